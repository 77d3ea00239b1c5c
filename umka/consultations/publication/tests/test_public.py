"""The published schedule for everyone (R8): /schedule/, its filters and views, the
print form and the embeddable snippet."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from umka.consultations.models import (
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.consultations.planning import services as planning_services
from umka.consultations.publication import rows as public_rows
from umka.consultations.publication import selectors as publication
from umka.consultations.schedule import services as schedule_services
from umka.consultations.tests.factories import TUESDAY, small_school
from umka.school.models import School, StudyPeriod, Subject

pytestmark = pytest.mark.django_db


def make_school():
    """The small test school, with its School row (the page header shows it)."""
    School.objects.create(
        name="Муниципальное бюджетное общеобразовательное учреждение «СОШ № 17»",
        short_name="МБОУ СОШ № 17",
        time_zone="Europe/Moscow",
    )
    return small_school()


@pytest.fixture
def school():
    return make_school()


def plan(school, **overrides) -> Consultation:
    fields = {
        "actor": school.deputy,
        "schedule": school.schedule,
        "organiser": school.teacher,
        "form": Consultation.Form.VIDEOCONFERENCE,
        "subject": school.maths,
        "classes": [school.class_7a],
        "starts_on": TUESDAY,
        "start_time": dt.time(15, 0),
        "duration_minutes": 45,
        "how_to_join": "https://meet.example.org/algebra-7a",
    }
    fields.update(overrides)
    return planning_services.consultation_plan(**fields)


def approve(school, schedule=None) -> ScheduleDocument:
    schedule = schedule or school.schedule
    schedule_services.schedule_submit(actor=school.deputy, schedule=schedule)
    return schedule_services.schedule_approve(
        actor=school.director,
        schedule=schedule,
        order_number="45-о",
        order_date=dt.date(2026, 11, 2),
    )


def publish(school, schedule=None) -> ScheduleDocument:
    schedule = approve(school, schedule)
    return schedule_services.schedule_publish(actor=school.deputy, schedule=schedule)


def published_in_bulk(
    school, *, consultations: int, weeks: int, number: int = 3
) -> ScheduleDocument:
    """A published schedule of `consultations` weekly consultations × `weeks`
    sessions, written with bulk_create (the rules are not the point here), with
    every kind of row the page shows: several organisers and subjects, classes and
    chosen students, topics, cancelled and moved sessions."""
    starts_on = dt.date(2027, 1, 12)  # a Tuesday
    period = StudyPeriod.objects.create(
        year=school.year,
        kind=StudyPeriod.Kind.QUARTER,
        number=number,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(weeks=weeks),
    )
    now = timezone.now()
    schedule = ScheduleDocument.objects.create(
        year=school.year,
        period=period,
        status=ScheduleDocument.Status.PUBLISHED,
        approved_at=now,
        approved_by=school.director,
        approver_position="Директор",
        order_number="7",
        published_at=now,
        version=1,
    )
    ScheduleVersion.objects.create(
        document=schedule, number=1, created_by=school.director, reason="Утверждён"
    )
    subjects = [school.maths] + [
        Subject.objects.get_or_create(name=name)[0]
        for name in ("Физика", "Русский язык", "История")
    ]
    organisers = itertools.cycle(
        [school.teacher, school.other_teacher, school.deputy, school.director]
    )
    forms = itertools.cycle(Consultation.Form.values)
    rows = []
    for i in range(consultations):
        first = starts_on + dt.timedelta(days=i % 5)
        topical = i % 3 == 0
        rows.append(
            Consultation(
                schedule=schedule,
                organiser=next(organisers),
                subject=subjects[i % len(subjects)] if i % 7 else None,
                form=next(forms),
                volume=Consultation.Volume.TOPICAL
                if topical
                else Consultation.Volume.OVERVIEW,
                topics="Дроби\nПроценты" if topical else "",
                recurrence=Consultation.Recurrence.WEEKLY,
                starts_on=first,
                start_time=dt.time(8 + i % 10, 0),
                duration_minutes=45,
                repeat_until=first + dt.timedelta(weeks=weeks - 1),
                how_to_join=f"Кабинет {100 + i % 30}",
                for_parents=i % 4 == 0,
                created_by=school.deputy,
            )
        )
    created = Consultation.objects.bulk_create(rows)
    classes = Consultation.audience_classes.through
    students = Consultation.audience_students.through
    classes.objects.bulk_create(
        classes(
            consultation_id=c.pk,
            schoolclass_id=(school.class_7a if i % 2 else school.class_7b).pk,
        )
        for i, c in enumerate(created)
        if i % 10
    )
    students.objects.bulk_create(
        students(consultation_id=c.pk, user_id=s.pk)
        for i, c in enumerate(created)
        if i % 10 == 0
        for s in (school.student, school.classmate)
    )
    tz = timezone.get_current_timezone()
    sessions = []
    for i, c in enumerate(created):
        for week in range(weeks):
            start = dt.datetime.combine(
                c.starts_on + dt.timedelta(weeks=week), c.start_time, tzinfo=tz
            )
            sessions.append(
                Occurrence(
                    consultation=c,
                    starts_at=start,
                    ends_at=start + dt.timedelta(minutes=45),
                    status=Occurrence.Status.CANCELLED
                    if (i + week) % 37 == 0
                    else Occurrence.Status.PLANNED,
                    change_reason="Болезнь" if (i + week) % 37 == 0 else "",
                    moved_from=start - dt.timedelta(days=1)
                    if (i + week) % 41 == 0
                    else None,
                )
            )
    Occurrence.objects.bulk_create(sessions, batch_size=500)
    return schedule


# --- Who sees what -------------------------------------------------------------------


@pytest.mark.requirement("R8")
def test_anonymous_visitor_sees_the_published_schedule_without_signing_in(
    client, school
):
    plan(school)
    publish(school)

    response = client.get(reverse("schedule:detail", args=[school.schedule.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Алгебра" in page
    assert "Кондратьева Оксана" in page
    assert "7А" in page
    assert "https://meet.example.org/algebra-7a" in page
    assert "45-о" in page  # the approval order


@pytest.mark.requirement("R8")
def test_schedule_index_shows_the_schedule_current_for_today(
    client, school, monkeypatch
):
    plan(school)
    publish(school)
    monkeypatch.setattr("umka.core.clock.today", lambda: TUESDAY)

    response = client.get(reverse("schedule:index"))

    assert response.status_code == 200
    assert response.context["schedule"] == school.schedule
    assert "Алгебра" in response.content.decode()


@pytest.mark.requirement("R8")
@pytest.mark.parametrize("submitted", [False, True])
def test_draft_or_submitted_schedule_is_not_public(client, school, submitted):
    plan(school)
    if submitted:
        schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)

    detail = client.get(reverse("schedule:detail", args=[school.schedule.pk]))
    index = client.get(reverse("schedule:index"))
    printed = client.get(reverse("schedule:print", args=[school.schedule.pk]))
    pdf = client.get(reverse("schedule:pdf", args=[school.schedule.pk]))
    embed = client.get(reverse("schedule:embed"), {"schedule": school.schedule.pk})

    assert detail.status_code == 404
    assert printed.status_code == 404
    assert pdf.status_code == 404
    assert embed.status_code == 404
    assert index.status_code == 200
    assert index.context["schedule"] is None
    assert "Алгебра" not in index.content.decode()


def test_approved_but_unpublished_schedule_is_not_public(client, school):
    plan(school)
    approve(school)

    response = client.get(reverse("schedule:detail", args=[school.schedule.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "who", ["student", "parent", "teacher", "deputy", "other_parent"]
)
def test_every_role_sees_the_published_page_and_nothing_changes(client, school, who):
    plan(school)
    publish(school)
    client.force_login(getattr(school, who))
    before = (Occurrence.objects.count(), ScheduleVersion.objects.count())

    response = client.get(reverse("schedule:detail", args=[school.schedule.pk]))

    assert response.status_code == 200
    assert "Алгебра" in response.content.decode()
    assert (Occurrence.objects.count(), ScheduleVersion.objects.count()) == before


@pytest.mark.requirement("R8")
def test_chosen_students_are_never_named_publicly(client, school):
    plan(
        school,
        form=Consultation.Form.INDIVIDUAL,
        classes=[],
        students=[school.student],
        start_time=dt.time(16, 0),
    )
    publish(school)

    page = client.get(reverse("schedule:detail", args=[school.schedule.pk]))
    sessions = client.get(
        reverse("schedule:detail", args=[school.schedule.pk]),
        {"view": "sessions", "from": TUESDAY.isoformat()},
    )
    printed = client.get(reverse("schedule:print", args=[school.schedule.pk]))

    for response in (page, sessions, printed):
        text = response.content.decode()
        assert school.student.last_name not in text
        assert public_rows.chosen_students_text(1) in text


# --- Filters and the two views --------------------------------------------------------


@pytest.fixture
def two_consultations(school):
    algebra = plan(school)
    chat = plan(
        school,
        organiser=school.deputy,
        subject=None,
        form=Consultation.Form.CHAT,
        classes=[school.class_7b],
        start_time=dt.time(10, 0),
        how_to_join="Чат класса",
    )
    publish(school)
    return algebra, chat


def _shown(response) -> set[int]:
    return {row.pk for row in response.context["rows"]}


@pytest.mark.requirement("R8")
def test_filters_by_class_subject_organiser_and_form(client, school, two_consultations):
    algebra, chat = two_consultations
    url = reverse("schedule:detail", args=[school.schedule.pk])

    assert _shown(client.get(url)) == {algebra.pk, chat.pk}
    assert _shown(client.get(url, {"class": school.class_7a.pk})) == {algebra.pk}
    assert _shown(client.get(url, {"class": school.class_7b.pk})) == {chat.pk}
    assert _shown(client.get(url, {"subject": school.maths.pk})) == {algebra.pk}
    assert _shown(client.get(url, {"organiser": school.deputy.pk})) == {chat.pk}
    assert _shown(client.get(url, {"form": "chat"})) == {chat.pk}
    assert _shown(client.get(url, {"form": "webinar"})) == set()


def test_malformed_filters_are_ignored(client, school, two_consultations):
    url = reverse("schedule:detail", args=[school.schedule.pk])

    response = client.get(
        url, {"class": "x", "subject": "-3", "form": "nonsense", "from": "2026-99-1"}
    )

    assert response.status_code == 200
    assert len(response.context["rows"]) == 2


def test_filter_lists_offer_what_the_schedule_contains(
    client, school, two_consultations
):
    response = client.get(reverse("schedule:detail", args=[school.schedule.pk]))

    options = response.context["options"]
    assert [name for _pk, name in options.classes] == ["7А", "7Б"]
    assert [name for _pk, name in options.subjects] == ["Алгебра"]
    assert {pk for pk, _name in options.organisers} == {
        school.teacher.pk,
        school.deputy.pk,
    }
    assert [value for value, _label in options.forms] == ["videoconference", "chat"]


def test_class_filter_offers_the_class_calendar(client, school, two_consultations):
    url = reverse("schedule:detail", args=[school.schedule.pk])

    page = client.get(url, {"class": school.class_7a.pk}).content.decode()

    assert reverse("schedule:calendar_class", args=[school.class_7a.pk]) in page


@pytest.mark.requirement("R8")
def test_sessions_view_lists_the_sessions_by_date(client, school, two_consultations):
    url = reverse("schedule:detail", args=[school.schedule.pk])

    response = client.get(url, {"view": "sessions", "from": TUESDAY.isoformat()})

    window = response.context["window"]
    assert window.start == TUESDAY
    assert window.days[0].date == TUESDAY
    times = [s.starts_at for s in window.days[0].sessions]
    assert times == sorted(times)
    assert len(window.days[0].sessions) == 2
    assert window.previous_start == school.quarter.starts_on
    assert window.end == dt.date(2026, 12, 14)  # four weeks
    assert window.next_start == dt.date(2026, 12, 15)
    assert response.content.decode().count('class="day"') == len(window.days)


@pytest.mark.requirement("R8")
def test_cancelled_and_moved_sessions_are_shown_with_reasons(client, school):
    algebra = plan(school, recurrence=Consultation.Recurrence.WEEKLY)
    publish(school)
    first, second = algebra.occurrences.order_by("starts_at")[:2]
    planning_services.occurrence_cancel(
        actor=school.teacher, occurrence=first, reason="Курсы повышения квалификации"
    )
    new_start = second.starts_at + dt.timedelta(days=2)
    planning_services.occurrence_move(
        actor=school.teacher,
        occurrence=second,
        starts_at=new_start,
        reason="Олимпиада в этот день",
    )
    url = reverse("schedule:detail", args=[school.schedule.pk])

    by_consultation = client.get(url).content.decode()
    by_date = client.get(
        url, {"view": "sessions", "from": TUESDAY.isoformat()}
    ).content.decode()

    for page in (by_consultation, by_date):
        assert "Курсы повышения квалификации" in page
        assert "Олимпиада в этот день" in page
        assert "<del>" in page
        old = timezone.localtime(second.moved_from or second.starts_at)
        assert f"{old:%d.%m %H:%M}" in page


def test_long_session_lists_are_cut_at_a_whole_day_and_continue(client, school):
    schedule = published_in_bulk(school, consultations=100, weeks=4, number=3)
    url = reverse("schedule:detail", args=[schedule.pk])

    response = client.get(url, {"view": "sessions", "from": "2027-01-12"})

    window = response.context["window"]
    assert window.count <= public_rows.SESSION_LIMIT
    assert window.next_start == window.end + dt.timedelta(days=1)
    later = client.get(
        url, {"view": "sessions", "from": window.next_start.isoformat()}
    ).context["window"]
    assert later.days[0].date == window.next_start


def test_order_number_typed_with_its_sign_is_printed_once(school):
    school.schedule.order_number = "№ 12-о"

    block = publication.approval_block(school.schedule)

    assert block.order.count("№") <= 1
    assert "12-о" in block.order


def test_current_schedule_prefers_today_then_upcoming_then_latest(school):
    first = ScheduleDocument(year=school.year, period=school.quarter)
    winter = StudyPeriod.objects.create(
        year=school.year,
        kind=StudyPeriod.Kind.QUARTER,
        number=3,
        starts_on=dt.date(2027, 1, 12),
        ends_on=dt.date(2027, 3, 27),
    )
    second = ScheduleDocument(year=school.year, period=winter)
    whole_year = ScheduleDocument(year=school.year)
    schedules = [first, second, whole_year]

    assert publication.current_schedule(schedules, TUESDAY) is first
    assert publication.current_schedule(schedules, dt.date(2027, 1, 5)) is whole_year
    assert publication.current_schedule([first, second], dt.date(2027, 1, 5)) is second
    assert publication.current_schedule([first], dt.date(2027, 5, 1)) is first
    assert publication.current_schedule([], TUESDAY) is None


# --- Query count (R8: the page for the demo school stays cheap) -----------------------


@pytest.fixture
def no_rows_cache(monkeypatch):
    """Every view renders the table itself (what grows with the schedule)."""
    from umka.consultations.publication import views

    monkeypatch.setattr(views, "ROWS_CACHE_SECONDS", 0)


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.requirement("R8")
@pytest.mark.parametrize("view", ["consultations", "sessions"])
def test_public_page_query_count_does_not_grow_with_the_schedule(
    client, school, view, no_rows_cache
):
    small = published_in_bulk(school, consultations=3, weeks=2, number=3)
    big = published_in_bulk(school, consultations=250, weeks=8, number=4)
    assert Occurrence.objects.filter(consultation__schedule=big).count() >= 2000
    params = {"view": view, "from": "2027-01-12"}
    client.get(reverse("schedule:index"))  # warm the school cache

    few = _queries(client, reverse("schedule:detail", args=[small.pk]), params)
    many = _queries(client, reverse("schedule:detail", args=[big.pk]), params)
    narrowed = {**params, "class": school.class_7a.pk, "form": "videoconference"}
    filtered = _queries(client, reverse("schedule:detail", args=[big.pk]), narrowed)
    assert client.get(reverse("schedule:detail", args=[big.pk]), narrowed).context[
        "rows"
    ]

    assert few == many == filtered
    assert many <= 12


@pytest.mark.requirement("R8")
def test_print_form_and_embed_query_count_does_not_grow(client, school, no_rows_cache):
    small = published_in_bulk(school, consultations=3, weeks=2, number=3)
    big = published_in_bulk(school, consultations=250, weeks=8, number=4)
    client.get(reverse("schedule:index"))

    assert _queries(client, reverse("schedule:print", args=[small.pk]), {}) == (
        _queries(client, reverse("schedule:print", args=[big.pk]), {})
    )
    assert _queries(client, reverse("schedule:embed"), {"schedule": small.pk}) == (
        _queries(client, reverse("schedule:embed"), {"schedule": big.pk})
    )


@pytest.mark.requirement("R8")
def test_the_table_is_read_from_the_cache_until_an_amendment(client, school):
    """A district's table has thousands of rows: it is rendered once per version
    (and filter and language); an amendment shows at once."""
    consultation = plan(school, how_to_join="Кабинет 214")
    schedule = publish(school)
    url = reverse("schedule:detail", args=[schedule.pk])
    first = _queries(client, url, {})
    cached = _queries(client, url, {})
    assert cached < first
    assert "Кабинет 214" in client.get(url).content.decode()

    from umka.consultations.planning import services as planning_services

    occurrence = consultation.occurrences.order_by("starts_at").first()
    planning_services.occurrence_cancel(
        actor=school.deputy, occurrence=occurrence, reason="Болезнь учителя"
    )
    schedule.refresh_from_db()
    assert schedule.version == 2
    page = client.get(url).content.decode()
    assert "Болезнь учителя" in page


# --- Print form -----------------------------------------------------------------------


@pytest.mark.requirement("R8")
def test_print_form_follows_the_appendix(client, school, two_consultations):
    response = client.get(reverse("schedule:print", args=[school.schedule.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "График консультаций" in page
    assert str(school.quarter) in page
    assert publication.initials_and_surname(school.director) in page  # approver
    assert "Директор" in page  # approver's position
    assert "45-о" in page  # the order
    assert "02.11.2026" in page
    assert page.count('<th scope="col">') == len(publication.COLUMNS) == 10
    assert "size: A4 landscape" in _print_css()
    assert "Кондратьева Оксана" in page
    assert "Учитель математики" in page
    assert "вторник" in page


def _print_css() -> str:
    from django.contrib.staticfiles import finders

    return open(finders.find("consultations/print.css"), encoding="utf-8").read()


def test_staff_may_print_a_draft_to_sign_it(client, school):
    plan(school)
    client.force_login(school.deputy)

    response = client.get(reverse("schedule:print", args=[school.schedule.pk]))

    assert response.status_code == 200
    assert response.context["approval"].approved is False
    assert "«___»" in response.content.decode()


def test_student_cannot_print_a_draft(client, school):
    plan(school)
    client.force_login(school.student)

    response = client.get(reverse("schedule:print", args=[school.schedule.pk]))

    assert response.status_code == 404


# --- Embed ----------------------------------------------------------------------------


@pytest.mark.requirement("R8")
def test_embed_page_may_be_framed_by_any_site_and_has_no_site_chrome(
    client, school, two_consultations
):
    embed = client.get(
        reverse("schedule:embed"),
        {"schedule": school.schedule.pk, "class": school.class_7a.pk},
    )
    page = client.get(reverse("schedule:detail", args=[school.schedule.pk]))

    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed.headers
    assert page.headers["X-Frame-Options"] == "DENY"
    text = embed.content.decode()
    assert "site-header" not in text
    assert "Алгебра" in text
    assert "Чат класса" not in text  # the 7Б consultation is filtered out


def test_embed_without_a_published_schedule_says_so(client, school):
    response = client.get(reverse("schedule:embed"))

    assert response.status_code == 200
    assert response.context["schedule"] is None


def test_embed_code_page_gives_an_iframe_snippet_with_the_filters(
    client, school, two_consultations
):
    response = client.get(reverse("schedule:embed_code"), {"class": school.class_7a.pk})

    assert response.status_code == 200
    text = response.content.decode()
    assert "&lt;iframe" in text
    assert f"http://testserver/schedule/embed/?class={school.class_7a.pk}" in text


def test_embed_code_page_works_before_anything_is_published(client, school):
    response = client.get(reverse("schedule:embed_code"))

    assert response.status_code == 200
    assert "http://testserver/schedule/embed/" in response.content.decode()
