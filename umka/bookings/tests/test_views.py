"""Booking screens. Each view has a role matrix (anonymous, student, other student,
parent, other parent, teacher, deputy, administrator) asserting the status code
and that nothing changed when refused; list pages pin their query count."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from icalendar import Calendar

from umka.accounts.tests.factories import make_student
from umka.bookings import services
from umka.bookings.models import Booking, BookingWindow, Slot, SlotWatch
from umka.bookings.tests.factories import (
    TUESDAY,
    TZ,
    booking_school,
    open_window,
    signed_in,
    slots,
)
from umka.school.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(clock):
    return booking_school()


@pytest.fixture
def window(school):
    return open_window(school, how_to_join="https://meet.example.org/room")


@pytest.fixture
def booking(school, window, django_capture_on_commit_callbacks):
    """The student's booking of the first slot, with a private note for staff (and
    its notices, written after the commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        created = services.booking_create(
            actor=school.student,
            slot=slots(window)[0],
            student=school.student,
            note="Квадратные уравнения",
        )
    Booking.objects.filter(pk=created.pk).update(private_note="Только для школы")
    created.refresh_from_db()
    return created


def state() -> list:
    return [
        list(BookingWindow.objects.order_by("pk").values()),
        list(Slot.objects.order_by("pk").values()),
        list(Booking.objects.order_by("pk").values()),
        list(SlotWatch.objects.order_by("pk").values()),
    ]


def expect(response, status: int) -> None:
    if status == 302 and response.status_code == 302:
        return
    assert response.status_code == status, response.content.decode()[:500]


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- The family's pages -------------------------------------------------------------


@pytest.mark.requirement("R5", "R3")
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("student", 200),
        ("other_student", 200),
        ("parent", 200),
        ("other_parent", 200),
        ("teacher", 200),
        ("deputy", 200),
        ("administrator", 200),
    ],
)
def test_my_bookings_role_matrix(client, school, booking, name, status):
    response = signed_in(client, school, name).get(reverse("bookings:mine"))
    expect(response, status)
    if name == "anonymous":
        assert is_login_redirect(response)
        return
    shown = reverse("bookings:detail", args=[booking.pk]) in response.content.decode()
    assert shown == (name in ("student", "parent"))


@pytest.mark.requirement("R5", "R3")
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("student", 200),
        ("other_student", 200),
        ("parent", 200),
        ("other_parent", 404),
        ("teacher", 404),
        ("deputy", 404),
        ("administrator", 404),
    ],
)
def test_find_for_a_student_role_matrix(client, school, window, name, status):
    url = reverse("bookings:find") + f"?student={school.student.pk}"
    if name == "other_student":
        url = reverse("bookings:find")  # their own page: the teacher is not theirs
    response = signed_in(client, school, name).get(url)
    expect(response, status)
    if status == 200 and name != "other_student":
        assert school.teacher.full_name in response.content.decode()
    if name == "other_student":
        assert school.teacher.full_name not in response.content.decode()


@pytest.mark.requirement("R5", "R3")
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("student", 200),
        ("other_student", 404),
        ("parent", 200),
        ("other_parent", 404),
        ("teacher", 404),
        ("deputy", 404),
        ("administrator", 404),
    ],
)
def test_find_slots_role_matrix(client, school, window, booking, name, status):
    student = school.other_student if name == "other_student" else school.student
    url = (
        reverse("bookings:find_slots")
        + f"?student={student.pk}&organiser={school.teacher.pk}"
    )
    response = signed_in(client, school, name).get(url, headers={"HX-Request": "true"})
    expect(response, status)
    if status == 200:
        html = response.content.decode()
        assert "Вы записаны" in html  # the first slot is theirs
        assert "уже есть слот в этом окне" in html
        assert "<html" not in html  # a fragment for htmx


@pytest.mark.requirement("R5", "R3")
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("student", 302),
        ("other_student", 404),
        ("parent", 302),
        ("other_parent", 404),
        ("teacher", 404),
        ("deputy", 404),
        ("administrator", 404),
    ],
)
def test_book_role_matrix(client, school, window, name, status):
    slot = slots(window)[1]
    before = state()
    response = signed_in(client, school, name).post(
        reverse("bookings:book", args=[slot.pk]),
        {"student": school.student.pk, "note": "Проценты"},
    )
    expect(response, status)
    if name in ("student", "parent"):
        booking = Booking.objects.get(slot=slot)
        assert response["Location"] == reverse("bookings:detail", args=[booking.pk])
        assert booking.booked_by == getattr(school, name)
    else:
        assert state() == before


@pytest.mark.requirement("R5")
def test_booking_a_taken_slot_answers_409_with_the_message(client, school, booking):
    client.force_login(school.classmate)
    before = state()
    response = client.post(
        reverse("bookings:book", args=[booking.slot_id]),
        {"student": school.classmate.pk, "note": "Дроби"},
    )
    assert response.status_code == 409
    assert "слот уже занят" in response.content.decode()
    assert state() == before


def test_the_booking_form_shows_the_slot(client, school, window):
    client.force_login(school.parent)
    slot = slots(window)[2]
    response = client.get(
        reverse("bookings:book", args=[slot.pk]) + f"?student={school.student.pk}"
    )
    assert response.status_code == 200
    assert school.student.full_name in response.content.decode()


def test_a_note_is_required_on_the_form(client, school, window):
    client.force_login(school.student)
    before = state()
    response = client.post(
        reverse("bookings:book", args=[slots(window)[1].pk]), {"note": ""}
    )
    assert response.status_code == 200
    assert state() == before


@pytest.mark.requirement("R5")
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("student", 302),
        ("other_student", 404),
        ("parent", 302),
        ("other_parent", 404),
        ("teacher", 404),
        ("deputy", 404),
        ("administrator", 404),
    ],
)
def test_watch_role_matrix(client, school, window, name, status):
    slot = slots(window)[0]
    services.booking_create(
        actor=school.classmate, slot=slot, student=school.classmate, note="x"
    )
    before = state()
    response = signed_in(client, school, name).post(
        reverse("bookings:watch", args=[slot.pk]),
        {"student": school.student.pk, "note": "Жду"},
    )
    expect(response, status)
    if name in ("student", "parent"):
        assert SlotWatch.objects.get().student == school.student
    else:
        assert state() == before


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("student", 302),
        ("other_student", 404),
        ("parent", 302),
        ("other_parent", 404),
        ("teacher", 404),
        ("deputy", 404),
        ("administrator", 404),
    ],
)
def test_watch_remove_role_matrix(client, school, window, name, status):
    slot = slots(window)[0]
    services.booking_create(
        actor=school.classmate, slot=slot, student=school.classmate, note="x"
    )
    watch = services.watch_create(
        actor=school.student, slot=slot, student=school.student, note="Жду"
    )
    before = state()
    response = signed_in(client, school, name).post(
        reverse("bookings:watch_remove", args=[watch.pk])
    )
    expect(response, status)
    if name in ("student", "parent"):
        assert not SlotWatch.objects.exists()
    else:
        assert state() == before


# --- A booking's page ----------------------------------------------------------------


@pytest.mark.requirement("R5", "R3")
@pytest.mark.parametrize(
    ("name", "status", "private"),
    [
        ("anonymous", 302, False),
        ("student", 200, False),
        ("other_student", 404, False),
        ("parent", 200, False),
        ("other_parent", 404, False),
        ("teacher", 200, True),
        ("deputy", 200, True),
        ("administrator", 200, True),
    ],
)
def test_booking_detail_role_matrix(client, school, booking, name, status, private):
    response = signed_in(client, school, name).get(
        reverse("bookings:detail", args=[booking.pk])
    )
    expect(response, status)
    if status == 200:
        html = response.content.decode()
        assert "Квадратные уравнения" in html
        assert ("Только для школы" in html) == private


@pytest.mark.requirement("R5")
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("student", 200),
        ("other_student", 404),
        ("parent", 200),
        ("other_parent", 404),
        ("teacher", 200),
        ("deputy", 200),
        ("administrator", 200),
    ],
)
def test_invite_role_matrix(client, school, booking, name, status):
    response = signed_in(client, school, name).get(
        reverse("bookings:invite", args=[booking.pk])
    )
    expect(response, status)
    if status == 200:
        assert response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        assert calendar["METHOD"] == "REQUEST"
        (event,) = calendar.walk("VEVENT")
        assert str(event["UID"]) == f"booking-{booking.uid}@umka"
        assert event["SEQUENCE"] == 0
        assert school.teacher.email in str(event["ORGANIZER"])
        assert event.decoded("DTSTART") == booking.slot.starts_at
        assert "Квадратные уравнения" in str(event["DESCRIPTION"])


def test_the_invite_of_a_cancelled_booking_cancels_the_event(client, school, booking):
    services.booking_cancel(actor=school.student, booking=booking)
    client.force_login(school.student)
    response = client.get(reverse("bookings:invite", args=[booking.pk]))
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"


@pytest.mark.requirement("R5")
@pytest.mark.parametrize(
    ("name", "status", "cancelled"),
    [
        ("anonymous", 302, False),
        ("student", 302, True),
        ("other_student", 404, False),
        ("parent", 302, True),
        ("other_parent", 404, False),
        ("teacher", 302, True),
        ("deputy", 302, True),
        ("administrator", 404, False),
    ],
)
def test_cancel_role_matrix(client, school, booking, name, status, cancelled):
    before = state()
    response = signed_in(client, school, name).post(
        reverse("bookings:cancel", args=[booking.pk]),
        {"reason": "Болезнь", "confirmed": "yes"},
    )
    expect(response, status)
    booking.refresh_from_db()
    assert (booking.status == Booking.Status.CANCELLED) == cancelled
    if not cancelled:
        assert state() == before


def test_the_family_cannot_cancel_after_the_cutoff(client, school, booking, clock):
    clock.travel(booking.slot.starts_at - dt.timedelta(hours=2))
    client.force_login(school.parent)
    before = state()
    response = client.post(
        reverse("bookings:cancel", args=[booking.pk]), {"confirmed": "yes"}
    )
    assert response.status_code == 200
    assert "не позже чем за 12 часов" in response.content.decode()
    assert state() == before


@pytest.mark.requirement("R5")
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("student", 302),
        ("other_student", 404),
        ("parent", 302),
        ("other_parent", 404),
        ("teacher", 404),
        ("deputy", 404),
        ("administrator", 404),
    ],
)
def test_reschedule_role_matrix(client, school, window, booking, name, status):
    target = slots(window)[3]
    before = state()
    response = signed_in(client, school, name).post(
        reverse("bookings:reschedule", args=[booking.pk]), {"slot": target.pk}
    )
    expect(response, status)
    booking.refresh_from_db()
    if name in ("student", "parent"):
        assert booking.slot == target
    else:
        assert state() == before


@pytest.mark.requirement("R5", "R13")
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("student", 404),
        ("other_student", 404),
        ("parent", 404),
        ("other_parent", 404),
        ("teacher", 302),
        ("deputy", 302),
        ("administrator", 404),
    ],
)
def test_mark_role_matrix(client, school, booking, clock, name, status):
    clock.travel(booking.slot.ends_at)
    before = state()
    response = signed_in(client, school, name).post(
        reverse("bookings:mark", args=[booking.pk]),
        {
            "status": "held",
            "outcome_note": "Решать по 5 задач в день.",
            "private_note": "",
        },
    )
    expect(response, status)
    booking.refresh_from_db()
    if status == 302 and name != "anonymous":
        assert booking.status == Booking.Status.HELD
        assert booking.outcome_note == "Решать по 5 задач в день."
    else:
        assert state() == before


def test_the_outcome_note_is_shown_to_the_family(client, school, booking, clock):
    clock.travel(booking.slot.ends_at)
    services.booking_mark(
        actor=school.teacher,
        booking=booking,
        status="held",
        outcome_note="Повторить теорему Виета.",
        private_note="Тревожится на контрольных.",
    )
    for person, private in (
        (school.parent, False),
        (school.student, False),
        (school.teacher, True),
    ):
        client.force_login(person)
        html = client.get(reverse("bookings:detail", args=[booking.pk])).content
        assert "Повторить теорему Виета." in html.decode()
        assert ("Тревожится" in html.decode()) == private


# --- The organiser's pages ---------------------------------------------------------


@pytest.mark.requirement("R5", "R7")
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("student", 404),
        ("other_student", 404),
        ("parent", 404),
        ("other_parent", 404),
        ("teacher", 200),
        ("deputy", 200),
        ("administrator", 200),
    ],
)
def test_windows_role_matrix(client, school, booking, name, status):
    response = signed_in(client, school, name).get(reverse("bookings:windows"))
    expect(response, status)
    if status == 200:
        shown = school.student.full_name in response.content.decode()
        # The deputy and the administrator are administration: they see everyone's.
        assert shown


@pytest.mark.requirement("R5", "R7")
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("student", 404),
        ("other_student", 404),
        ("parent", 404),
        ("other_parent", 404),
        ("teacher", 302),
        ("deputy", 302),
        ("administrator", 404),
    ],
)
def test_window_new_role_matrix(client, school, name, status):
    before = state()
    client = signed_in(client, school, name)
    response = client.post(
        reverse("bookings:window_new"),
        {
            "date": (TUESDAY + dt.timedelta(days=1)).isoformat(),
            "start_time": "14:00",
            "end_time": "15:00",
            "slot_minutes": "20",
            "opens_at": "2026-11-12T18:00",
            "form": "chat",
            "how_to_join": "Чат в Умке",
        },
    )
    expect(response, status)
    if name in ("teacher", "deputy"):
        window = BookingWindow.objects.get()
        assert window.organiser == getattr(school, name)
        assert window.slots.count() == 3
        assert window.opens_at == dt.datetime(2026, 11, 12, 18, 0, tzinfo=TZ)
    else:
        assert state() == before
    if name == "teacher":
        assert client.get(reverse("bookings:window_new")).status_code == 200


@pytest.mark.requirement("R7")
def test_window_new_shows_the_r7_refusal(client, school):
    client.force_login(school.teacher)
    response = client.post(
        reverse("bookings:window_new"),
        {
            "date": TUESDAY.isoformat(),
            "repeat_until": (TUESDAY + dt.timedelta(days=7)).isoformat(),
            "start_time": "13:00",
            "end_time": "16:00",
            "slot_minutes": "15",
            "form": "videoconference",
        },
    )
    assert response.status_code == 200
    assert "по договору" in response.content.decode()
    assert not BookingWindow.objects.exists()


def test_window_new_several_weeks_skips_holidays(client, school):
    client.force_login(school.teacher)
    response = client.post(
        reverse("bookings:window_new"),
        {
            "date": "2026-11-24",
            "repeat_until": "2026-12-08",
            "start_time": "15:00",
            "end_time": "15:30",
            "slot_minutes": "15",
            "form": "videoconference",
        },
    )
    assert response.status_code == 302
    days = sorted(w.date for w in BookingWindow.objects.all())
    assert days == [dt.date(2026, 11, 24), dt.date(2026, 12, 8)]  # 01.12 is off


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("student", 404),
        ("other_student", 404),
        ("parent", 404),
        ("other_parent", 404),
        ("teacher", 200),
        ("deputy", 200),
        ("administrator", 200),
    ],
)
def test_window_detail_role_matrix(client, school, booking, name, status):
    response = signed_in(client, school, name).get(
        reverse("bookings:window_detail", args=[booking.window_id])
    )
    expect(response, status)


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anonymous", 302),
        ("student", 404),
        ("other_student", 404),
        ("parent", 404),
        ("other_parent", 404),
        ("teacher", 302),
        ("deputy", 302),
        ("administrator", 404),
    ],
)
def test_window_cancel_role_matrix(client, school, booking, name, status):
    before = state()
    response = signed_in(client, school, name).post(
        reverse("bookings:window_cancel", args=[booking.window_id]),
        {"reason": "Курсы повышения квалификации", "confirmed": "yes"},
    )
    expect(response, status)
    window = BookingWindow.objects.get()
    if name in ("teacher", "deputy"):
        assert window.is_cancelled
        assert Booking.objects.get().status == Booking.Status.CANCELLED
    else:
        assert state() == before


def test_cancelling_asks_first_and_changes_nothing_until_confirmed(
    client, school, booking
):
    """Without JavaScript the first tap shows a confirm page repeating the form."""
    client.force_login(school.parent)
    before = state()
    response = client.post(
        reverse("bookings:cancel", args=[booking.pk]), {"reason": "Болезнь"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="confirmed" value="yes"' in page
    assert 'name="reason" value="Болезнь"' in page
    assert "button danger" in page
    assert state() == before
    booking.refresh_from_db()
    assert booking.status != Booking.Status.CANCELLED


def test_the_cancel_buttons_look_dangerous_and_ask_in_a_dialog(client, school, booking):
    client.force_login(school.parent)
    page = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert 'id="booking-cancel-form" data-confirm=' in page
    assert 'class="button danger" id="booking-cancel"' in page


def test_a_window_is_cancelled_only_once_confirmed(client, school, booking):
    client.force_login(school.teacher)
    url = reverse("bookings:window_cancel", args=[booking.window_id])
    client.post(url, {"reason": "Педсовет"})
    assert not BookingWindow.objects.get().is_cancelled


# --- Query counts -----------------------------------------------------------------


def _more_bookings(school, count: int) -> None:
    """`count` more windows of the teacher (next weeks), each booked by the student."""
    for week in range(1, count + 1):
        window = open_window(
            school,
            day=TUESDAY + dt.timedelta(days=7 * week + 1),
            start=dt.time(15),
            end=dt.time(15, 30),
        )
        services.booking_create(
            actor=school.parent,
            slot=slots(window)[0],
            student=school.student,
            note="Ещё",
        )
        classmate = make_student()
        EnrolmentFactory(student=classmate, school_class=school.class_7a)
        services.booking_create(
            actor=classmate, slot=slots(window)[1], student=classmate, note="И я"
        )


def _queries(client, url, django_assert_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("who", "url_name"),
    [
        ("parent", "bookings:mine"),
        ("teacher", "bookings:windows"),
        ("parent", "bookings:find"),
    ],
)
def test_list_pages_pin_their_query_count(
    client, school, booking, who, url_name, django_assert_num_queries
):
    client.force_login(getattr(school, who))
    url = reverse(url_name)
    if url_name == "bookings:find":
        url += f"?student={school.student.pk}&organiser={school.teacher.pk}"
    few = _queries(client, url, django_assert_num_queries)
    _more_bookings(school, 3)
    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200


def test_the_invite_is_ready_as_an_e_mail_attachment(school, booking):
    from umka.bookings.invite import invite_attachments
    from umka.notifications.models import Notification

    notice = Notification.objects.filter(recipient=school.parent).first()
    ((name, data, mimetype),) = invite_attachments(notice)
    assert name.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    assert b"METHOD:REQUEST" in data


@pytest.mark.requirement("R5")
def test_the_refusal_of_a_taken_slot_offers_the_queue_with_the_note(
    client, school, booking
):
    client.force_login(school.classmate)
    response = client.post(
        reverse("bookings:book", args=[booking.slot_id]),
        {"student": school.classmate.pk, "note": "Дроби и проценты"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert reverse("bookings:watch", args=[booking.slot_id]) in page
    assert 'value="Дроби и проценты"' in page
    before = state()
    response = client.post(
        reverse("bookings:watch", args=[booking.slot_id]),
        {"student": school.classmate.pk, "note": "Дроби и проценты"},
    )
    assert response.status_code == 302
    assert SlotWatch.objects.get(student=school.classmate).note == "Дроби и проценты"
    assert state() != before


@pytest.mark.requirement("R5")
def test_a_booking_and_a_refusal_make_few_queries(
    client, school, window, django_assert_num_queries
):
    """The path of a booking rush: pinned, so it stays cheap (the notices are
    written after the commit by the task queue)."""
    slot = slots(window)[1]
    client.force_login(school.student)
    url = reverse("bookings:book", args=[slot.pk])
    ContentType.objects.get_for_model(Booking)  # cached by any earlier audit entry
    # Session, user, roles, the slot, may book, taken?; in the transaction (a
    # savepoint in a test) the lock, what is in the way, insert, watches, audit.
    with django_assert_num_queries(13):
        response = client.post(url, {"student": school.student.pk, "note": "Дроби"})
    assert response.status_code == 302
    client.force_login(school.classmate)
    # Session, user, roles, the slot, may book, taken? (refused there), the
    # organiser's name, the unread badge: no transaction, no consent or
    # rate-limit look-up.
    with django_assert_num_queries(8):
        response = client.post(url, {"student": school.classmate.pk, "note": "Дроби"})
    assert response.status_code == 409


HTMX = {"HX-Request": "true"}


@pytest.mark.requirement("R5")
def test_the_booking_page_posts_with_htmx_and_is_sent_on_to_the_booking(
    client, school, window
):
    slot = slots(window)[0]
    client.force_login(school.parent)
    page = client.get(
        reverse("bookings:book", args=[slot.pk]), {"student": school.student.pk}
    ).content.decode()
    assert 'hx-post="{}"'.format(reverse("bookings:book", args=[slot.pk])) in page
    assert 'id="book-panel"' in page
    response = client.post(
        reverse("bookings:book", args=[slot.pk]),
        {"student": school.student.pk, "note": "Дроби"},
        headers=HTMX,
    )
    booking = Booking.objects.get(slot=slot)
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("bookings:detail", args=[booking.pk])
    assert booking.student == school.student
    assert booking.booked_by == school.parent
    # The flash message waits for the page the browser is sent to.
    detail = client.get(response["HX-Redirect"]).content.decode()
    assert "Записано" in detail or "Booked" in detail


@pytest.mark.requirement("R5")
def test_a_refusal_through_htmx_redraws_only_the_panel_with_the_queue(
    client, school, booking, django_assert_num_queries
):
    client.force_login(school.classmate)
    url = reverse("bookings:book", args=[booking.slot_id])
    data = {"student": school.classmate.pk, "note": "Дроби и проценты"}
    before = state()
    # Session, user, roles, the slot, may book, taken?: no page around it (the
    # slot's card above it already names the organiser).
    with django_assert_num_queries(6):
        response = client.post(url, data, headers=HTMX)
    assert response.status_code == 409
    panel = response.content.decode()
    assert "<html" not in panel
    assert "<h2 data-focus-on-swap>" in panel
    assert reverse("bookings:watch", args=[booking.slot_id]) in panel
    assert 'value="Дроби и проценты"' in panel
    assert state() == before


def test_a_form_error_through_htmx_redraws_the_form_with_the_error(
    client, school, window
):
    slot = slots(window)[0]
    client.force_login(school.student)
    before = state()
    response = client.post(
        reverse("bookings:book", args=[slot.pk]),
        {"student": school.student.pk, "note": ""},
        headers=HTMX,
    )
    assert response.status_code == 200
    panel = response.content.decode()
    assert "<html" not in panel
    assert 'name="note"' in panel
    assert "errorlist" in panel or "form-errors" in panel
    assert state() == before


def test_a_stranger_posting_through_htmx_still_gets_404(client, school, window):
    slot = slots(window)[0]
    client.force_login(school.other_student)  # another class: not their teacher
    response = client.post(
        reverse("bookings:book", args=[slot.pk]),
        {"student": school.other_student.pk, "note": "Дроби"},
        headers=HTMX,
    )
    assert response.status_code == 404
    assert not Booking.objects.exists()


@pytest.mark.requirement("R5")
@pytest.mark.parametrize("htmx", [False, True])
def test_a_second_press_of_book_leads_to_the_booking_made(client, school, window, htmx):
    slot = slots(window)[0]
    client.force_login(school.parent)
    url = reverse("bookings:book", args=[slot.pk])
    data = {"student": school.student.pk, "note": "Дроби"}
    headers = HTMX if htmx else {}
    client.post(url, data, headers=headers)
    booking = Booking.objects.get(slot=slot)
    response = client.post(url, data, headers=headers)
    target = reverse("bookings:detail", args=[booking.pk])
    if htmx:
        assert response.status_code == 204
        assert response["HX-Redirect"] == target
    else:
        assert response.status_code == 302
        assert response["Location"] == target
    assert Booking.objects.filter(slot=slot).count() == 1
    page = client.get(target).content.decode()
    assert "уже записан" in page
