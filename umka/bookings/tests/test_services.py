"""Services of individual consultations by booking: booking, cancelling,
the queue, moving and marking (R5, R13)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils.translation import override

from umka.audit.models import AuditEntry
from umka.bookings import services
from umka.bookings.models import Booking, SlotWatch
from umka.bookings.tests.factories import (
    NOW,
    at,
    book,
    booking_school,
    open_window,
    slots,
    titles,
)
from umka.core.errors import DomainError
from umka.notifications.models import Notification
from umka.school.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(clock):
    return booking_school()


# --- Booking (R5) ---------------------------------------------------------------------


@pytest.mark.requirement("R5")
def test_a_student_books_a_slot_and_everyone_is_told(
    school, django_capture_on_commit_callbacks
):
    window = open_window(school)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(school, slots(window)[0])
    assert booking.status == Booking.Status.BOOKED
    assert booking.window == window
    assert booking.booked_by == school.student
    assert any("Разобрать" in n.body for n in Notification.objects.all())
    assert len(titles(school.student)) == 1
    assert len(titles(school.parent)) == 1
    assert titles(school.teacher)[0].startswith("Новая запись")
    assert titles(school.other_parent) == []
    family = Notification.objects.get(recipient=school.parent)
    assert f"/bookings/{booking.pk}/invite.ics" in family.body
    assert AuditEntry.objects.filter(action="bookings.booked").count() == 1


@pytest.mark.requirement("R5")
def test_a_parent_books_for_their_child(school):
    window = open_window(school)
    booking = book(school, slots(window)[1], actor=school.parent)
    assert booking.student == school.student
    assert booking.booked_by == school.parent


@pytest.mark.requirement("R5", "R3")
@pytest.mark.parametrize(
    ("actor", "student"),
    [
        ("other_parent", "student"),
        ("classmate", "student"),
        ("teacher", "student"),
        ("parent", "classmate"),
    ],
)
def test_nobody_books_for_someone_else(school, actor, student):
    window = open_window(school)
    with pytest.raises(DomainError):
        book(
            school,
            slots(window)[0],
            actor=getattr(school, actor),
            student=getattr(school, student),
        )
    assert not Booking.objects.exists()


@pytest.mark.requirement("R5")
def test_booking_create_refuses_a_taken_slot(school):
    window = open_window(school)
    slot = slots(window)[0]
    book(school, slot)
    with override("ru"), pytest.raises(DomainError) as refused:
        book(school, slot, actor=school.classmate, student=school.classmate)
    assert refused.value.code == "slot_taken"
    with override("ru"):
        assert "слот уже занят" in refused.value.messages[0]
    assert Booking.objects.count() == 1


@pytest.mark.requirement("R5")
def test_the_database_holds_one_active_booking_per_slot(school):
    window = open_window(school)
    slot = slots(window)[0]
    book(school, slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            slot=slot,
            window=window,
            student=school.classmate,
            booked_by=school.classmate,
            note="x",
        )
    # A cancelled booking does not hold the slot.
    Booking.objects.update(status=Booking.Status.CANCELLED, cancelled_at=NOW)
    book(school, slot, actor=school.classmate, student=school.classmate)


def test_one_booking_per_student_and_window(school):
    window = open_window(school)
    first, second = slots(window)[:2]
    book(school, first)
    with pytest.raises(DomainError) as refused:
        book(school, second, actor=school.parent)
    assert refused.value.code == "already_booked"


def test_booking_waits_for_the_opening_time(school, clock):
    window = open_window(school, opens_at=at(NOW.date(), 18))
    with pytest.raises(DomainError) as refused:
        book(school, slots(window)[0])
    assert refused.value.code == "not_open_yet"
    clock.travel(at(NOW.date(), 18))
    book(school, slots(window)[0])


@pytest.mark.requirement("R5")
def test_booking_closes_at_the_school_cutoff(school, clock):
    window = open_window(school)
    slot = slots(window)[0]
    clock.travel(slot.starts_at - dt.timedelta(hours=12, seconds=1))
    book(school, slot)
    clock.travel(slots(window)[1].starts_at - dt.timedelta(hours=12))
    with pytest.raises(DomainError) as refused:
        book(school, slots(window)[1], actor=school.classmate, student=school.classmate)
    assert refused.value.code == "cutoff_passed"


def test_the_cutoff_is_the_schools_setting(school, clock):
    School.objects.update(booking_cutoff_hours=48)
    from umka.school.selectors import forget_cached_school

    forget_cached_school()
    window = open_window(school)
    clock.travel(slots(window)[0].starts_at - dt.timedelta(hours=47))
    with pytest.raises(DomainError, match="48"):
        book(school, slots(window)[0])


@pytest.mark.requirement("R5", "R3")
def test_a_student_books_only_staff_who_help_them(school):
    # other_teacher does not teach 7А; the deputy helps every student.
    other = open_window(school, organiser=school.other_teacher)
    with pytest.raises(DomainError):
        book(school, slots(other)[0])
    deputy = open_window(
        school, organiser=school.deputy, start=dt.time(10), end=dt.time(10, 30)
    )
    book(school, slots(deputy)[0])


def test_a_note_is_required(school):
    window = open_window(school)
    with pytest.raises(DomainError) as refused:
        book(school, slots(window)[0], note="   ")
    assert refused.value.code == "note_missing"


# --- Cancelling, the queue and moving -------------------------------------------------


@pytest.mark.requirement("R5")
def test_the_family_cancels_until_the_cutoff(school, clock):
    window = open_window(school)
    booking = book(school, slots(window)[0])
    clock.travel(booking.slot.starts_at - dt.timedelta(hours=11))
    with pytest.raises(DomainError) as refused:
        services.booking_cancel(actor=school.parent, booking=booking)
    assert refused.value.code == "cutoff_passed"
    clock.travel(booking.slot.starts_at - dt.timedelta(hours=13))
    services.booking_cancel(actor=school.parent, booking=booking)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.cancelled_by == school.parent
    assert booking.sequence == 1
    assert any(
        t.startswith("Индивидуальная консультация отменена")
        for t in titles(school.teacher)
    )


def test_the_organiser_cancels_with_a_reason_after_the_cutoff(school, clock):
    window = open_window(school)
    booking = book(school, slots(window)[0])
    clock.travel(booking.slot.starts_at - dt.timedelta(hours=1))
    with pytest.raises(DomainError) as refused:
        services.booking_cancel(actor=school.teacher, booking=booking)
    assert refused.value.code == "reason_missing"
    services.booking_cancel(actor=school.teacher, booking=booking, reason="Болезнь")
    assert Booking.objects.get().status == Booking.Status.CANCELLED


def test_strangers_cannot_cancel(school):
    window = open_window(school)
    booking = book(school, slots(window)[0])
    for stranger in (school.classmate, school.other_parent, school.other_teacher):
        with pytest.raises(DomainError):
            services.booking_cancel(actor=stranger, booking=booking, reason="x")
    assert Booking.objects.get().status == Booking.Status.BOOKED


@pytest.mark.requirement("R5")
def test_a_freed_slot_goes_to_the_first_watcher(school, clock):
    window = open_window(school)
    slot = slots(window)[0]
    booking = book(school, slot)
    third = school.other_student  # another class: the teacher does not help them
    services.watch_create(
        actor=school.classmate, slot=slot, student=school.classmate, note="Дроби"
    )
    clock.advance(minutes=1)
    with pytest.raises(DomainError):
        services.watch_create(actor=third, slot=slot, student=third, note="x")
    with pytest.raises(DomainError) as refused:
        services.watch_create(
            actor=school.classmate, slot=slot, student=school.classmate, note="x"
        )
    assert refused.value.code == "already_watching"
    services.booking_cancel(actor=school.student, booking=booking)
    taken = Booking.objects.get(slot=slot, status=Booking.Status.BOOKED)
    assert taken.student == school.classmate
    assert taken.note == "Дроби"
    assert not SlotWatch.objects.exists()
    assert any("освободился" in t for t in titles(school.classmate))


def test_a_watch_is_only_for_a_full_slot(school):
    window = open_window(school)
    with pytest.raises(DomainError) as refused:
        services.watch_create(
            actor=school.student,
            slot=slots(window)[0],
            student=school.student,
            note="x",
        )
    assert refused.value.code == "slot_free"


def test_booking_in_the_window_ends_ones_watches_there(school):
    window = open_window(school)
    first, second = slots(window)[:2]
    booking = book(school, first)
    services.watch_create(
        actor=school.classmate, slot=first, student=school.classmate, note="x"
    )
    book(school, second, actor=school.classmate, student=school.classmate)
    assert not SlotWatch.objects.exists()
    services.booking_cancel(actor=school.student, booking=booking)
    assert not Booking.objects.filter(slot=first, status="booked").exists()


@pytest.mark.requirement("R5")
def test_reschedule_moves_the_booking_atomically(school):
    window = open_window(school)
    first, second, third = slots(window)[:3]
    booking = book(school, first)
    book(school, third, actor=school.classmate, student=school.classmate)
    uid = booking.uid
    with pytest.raises(DomainError) as refused:
        services.booking_reschedule(actor=school.parent, booking=booking, slot=third)
    assert refused.value.code == "slot_taken"
    moved = services.booking_reschedule(
        actor=school.parent, booking=booking, slot=second
    )
    assert moved.slot == second
    assert moved.uid == uid
    assert moved.sequence == 1
    assert not Booking.objects.filter(slot=first, status="booked").exists()
    assert AuditEntry.objects.filter(action="bookings.rescheduled").count() == 1


def test_reschedule_only_to_the_same_organiser(school):
    window = open_window(school)
    deputy = open_window(
        school, organiser=school.deputy, start=dt.time(10), end=dt.time(10, 30)
    )
    booking = book(school, slots(window)[0])
    with pytest.raises(DomainError) as refused:
        services.booking_reschedule(
            actor=school.student, booking=booking, slot=slots(deputy)[0]
        )
    assert refused.value.code == "other_organiser"


def test_a_reschedule_frees_the_old_slot_for_its_watcher(school):
    window = open_window(school)
    first, second = slots(window)[:2]
    booking = book(school, first)
    services.watch_create(
        actor=school.classmate, slot=first, student=school.classmate, note="Степени"
    )
    services.booking_reschedule(actor=school.student, booking=booking, slot=second)
    assert Booking.objects.get(slot=first, status="booked").student == school.classmate


# --- After the meeting ----------------------------------------------------------------


@pytest.mark.requirement("R5", "R13")
def test_the_organiser_marks_held_with_an_outcome_note(school, clock):
    window = open_window(school)
    booking = book(school, slots(window)[0])
    with pytest.raises(DomainError) as refused:
        services.booking_mark(
            actor=school.teacher, booking=booking, status="held", outcome_note="x"
        )
    assert refused.value.code == "not_started"
    clock.travel(booking.slot.ends_at)
    with pytest.raises(DomainError) as refused:
        services.booking_mark(actor=school.teacher, booking=booking, status="held")
    assert refused.value.code == "outcome_missing"
    with pytest.raises(DomainError):
        services.booking_mark(
            actor=school.other_teacher,
            booking=booking,
            status="held",
            outcome_note="x",
        )
    services.booking_mark(
        actor=school.teacher,
        booking=booking,
        status="held",
        outcome_note="Повторить формулы сокращённого умножения.",
        private_note="Семья просила не звонить вечером.",
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.HELD
    assert booking.marked_by == school.teacher
    outcome = Notification.objects.filter(kind="bookings.outcome")
    assert {n.recipient for n in outcome} == {school.student, school.parent}
    assert all("Семья" not in n.body for n in Notification.objects.all())
    entry = AuditEntry.objects.get(action="bookings.marked")
    assert entry.changes["private_note"] == "changed"


def test_a_no_show_needs_no_note(school, clock):
    window = open_window(school)
    booking = book(school, slots(window)[0])
    clock.travel(booking.slot.starts_at + dt.timedelta(minutes=5))
    services.booking_mark(actor=school.teacher, booking=booking, status="no_show")
    assert Booking.objects.get().status == Booking.Status.NO_SHOW
    assert not Notification.objects.filter(kind="bookings.outcome").exists()


# --- Speed where people wait (the booking rush) ---------------------------------------


@pytest.mark.requirement("R5")
def test_the_notices_of_a_booking_follow_the_commit(
    school, django_capture_on_commit_callbacks
):
    window = open_window(school)
    with django_capture_on_commit_callbacks() as waiting:
        booking = book(school, slots(window)[0])
        assert titles(school.parent) == []  # nothing written under the slot's lock
    assert len(waiting) == 1
    waiting[0]()  # the commit: the task queue (inline in tests) writes them
    assert len(titles(school.student)) == 1
    assert len(titles(school.parent)) == 1
    assert titles(school.teacher) == [titles(school.teacher)[0]]
    assert Notification.objects.filter(target_id=str(booking.pk)).count() == 3


@pytest.mark.requirement("R5")
def test_the_notices_are_written_at_once_when_the_queue_fails(
    school, monkeypatch, django_capture_on_commit_callbacks
):
    from umka.bookings import tasks

    real = tasks.tell_booked

    class BrokenQueue:
        def __call__(self, *args):
            raise ConnectionError("the queue is down")

        def call_local(self, *args):
            return real.call_local(*args)

    monkeypatch.setattr(tasks, "tell_booked", BrokenQueue())
    with django_capture_on_commit_callbacks(execute=True):
        book(school, slots(open_window(school))[0])
    assert len(titles(school.parent)) == 1
    assert len(titles(school.teacher)) == 1


@pytest.mark.requirement("R5")
def test_a_taken_slot_is_refused_before_any_lock_or_transaction(school):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    slot = slots(open_window(school))[0]
    book(school, slot)
    with CaptureQueriesContext(connection) as queries, pytest.raises(DomainError) as e:
        book(school, slot, actor=school.classmate, student=school.classmate)
    assert e.value.code == "slot_taken"
    assert not any("SAVEPOINT" in q["sql"] for q in queries.captured_queries)
    # The classmate's roles, may they book this teacher, is the slot taken.
    assert len(queries) == 3


@pytest.mark.requirement("R5", "R3")
def test_a_slot_checked_for_one_student_is_checked_again_for_another(school):
    """The page's access marks the slot it read as checked for that student; the
    service trusts the mark for that student only."""
    from umka.bookings import policies

    slot = policies.slot_bookable_by(school.student, slots(open_window(school))[0].pk)
    assert slot is not None
    assert slot.organiser_checked_for == school.student.pk
    # other_student is in another class: the teacher does not help them.
    with pytest.raises(DomainError) as refused:
        book(school, slot, actor=school.other_student, student=school.other_student)
    assert refused.value.code == "forbidden"
    assert not Booking.objects.exists()
    book(school, slot)
    assert Booking.objects.get().student == school.student


@pytest.mark.requirement("R5")
def test_a_slot_read_as_free_is_checked_again_under_the_lock(school):
    """A slot read (by the page's access) before another family took it is
    refused, and stays booked once."""
    from umka.bookings import policies

    pk = slots(open_window(school))[0].pk
    stale = policies.slot_bookable_by(school.classmate, pk)
    book(school, policies.slot_bookable_by(school.student, pk))
    with pytest.raises(DomainError) as refused:
        book(school, stale, actor=school.classmate, student=school.classmate)
    assert refused.value.code == "slot_taken"
    assert Booking.objects.filter(slot_id=pk).count() == 1


@pytest.mark.requirement("R5")
def test_a_second_press_is_told_the_slot_is_already_theirs(school):
    """Booking a slot one already holds (a double press, a second tab) is not
    «taken by someone else»: the refusal says it is theirs, nothing is added."""
    slot = slots(open_window(school))[0]
    first = book(school, slot)
    with pytest.raises(DomainError) as again:
        book(school, slot)
    assert again.value.code == "already_yours"
    assert Booking.objects.get() == first
    # Past the quick look (the slot read before the first booking): the check
    # under the lock says the same.
    from umka.bookings import services

    assert services._refusal(slot, school.student).code == "already_yours"
    with pytest.raises(DomainError) as other:
        book(school, slot, actor=school.classmate, student=school.classmate)
    assert other.value.code == "slot_taken"
