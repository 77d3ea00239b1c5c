"""A change of the school's time zone after planning (R8): a consultation planned for
15:00 stays at 15:00 on the school's clock in the new zone, on every output; the
sessions still to come are recomputed and their calendars told (SEQUENCE), past and
held sessions are history; on an approved schedule the change is an amendment its
audience hears about."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.consultations.models import Consultation, Occurrence, ScheduleVersion
from umka.consultations.planning import held as held_services
from umka.consultations.planning import services as planning_services
from umka.consultations.publication.tests.test_pdf import pdf_pages
from umka.consultations.publication.tests.test_public import make_school, plan, publish
from umka.consultations.tests.factories import TUESDAY
from umka.core import clock as school_clock
from umka.notifications.models import Notification
from umka.school.models import School
from umka.school.services import school_time_zone_change

pytestmark = pytest.mark.django_db

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
VLADIVOSTOK = zoneinfo.ZoneInfo("Asia/Vladivostok")
REASON = "Изменён часовой пояс школы: Europe/Moscow → Asia/Vladivostok"
RANGE = re.compile(r"(\d{1,2}:\d{2})\s*–\s*\d{1,2}:\d{2}")


@pytest.fixture
def school():
    return make_school()


def _move_school(to: str = "Asia/Vladivostok") -> None:
    school_time_zone_change(
        actor=make_person(Role.ADMINISTRATOR),
        school=School.objects.get(),
        time_zone=to,
    )


def _starts_in_html(response) -> set[str]:
    """Start times of the «15:00–15:45» ranges a page shows."""
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", "", response.content.decode())
    return set(RANGE.findall(text))


def _starts_in_feed(response) -> set[str]:
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    starts = set()
    for event in calendar.walk("VEVENT"):
        start = event.decoded("dtstart")
        assert start.tzinfo.key == school_clock.zone().key  # TZID of the school's zone
        starts.add(f"{start:%H:%M}")
    return starts


def outputs(client, school, consultation) -> dict[str, set[str]]:
    """The session start times every output shows, by output."""
    schedule = school.schedule
    session = consultation.occurrences.order_by("starts_at").first()
    sessions = {"view": "sessions", "from": TUESDAY.isoformat()}
    seen = {
        "public list": _starts_in_html(
            client.get(reverse("schedule:detail", args=[schedule.pk]))
        ),
        "public sessions": _starts_in_html(
            client.get(reverse("schedule:detail", args=[schedule.pk]), sessions)
        ),
        "embed": _starts_in_html(client.get(reverse("schedule:embed"))),
        "embed sessions": _starts_in_html(
            client.get(reverse("schedule:embed"), sessions)
        ),
        "print form": _starts_in_html(
            client.get(reverse("schedule:print", args=[schedule.pk]))
        ),
        "class feed": _starts_in_feed(
            client.get(reverse("schedule:calendar_class", args=[school.class_7a.pk]))
        ),
        "organiser feed": _starts_in_feed(
            client.get(reverse("schedule:calendar_organiser", args=[school.teacher.pk]))
        ),
    }
    pdf = client.get(reverse("schedule:pdf", args=[schedule.pk]))
    seen["pdf"] = set(RANGE.findall("\n".join(pdf_pages(pdf.content))))
    client.force_login(school.deputy)
    seen["staff consultation page"] = _starts_in_html(
        client.get(reverse("consultations:detail", args=[consultation.pk]))
    )
    seen["staff session page"] = _starts_in_html(
        client.get(reverse("consultations:session", args=[session.pk]))
    )
    board = client.get(
        reverse("consultations:schedule", args=[schedule.pk]), {"week": "2026-11-16"}
    )
    seen["schedule board"] = _starts_in_html(board)
    seen["board rows"] = {
        row.time.split("–")[0]
        for group in board.context["board"].groups
        for row in group.rows
    }
    seen["board grid"] = {
        f"{block.session.starts:%H:%M}"
        for day in board.context["board"].days
        for block in day.blocks
    }
    client.logout()
    return seen


@pytest.mark.requirement("R8")
def test_every_output_shows_15_00_before_and_after_the_zone_changes(client, school):
    consultation = plan(school, recurrence=Consultation.Recurrence.WEEKLY)
    publish(school)

    before = outputs(client, school, consultation)
    _move_school()
    after = outputs(client, school, consultation)

    assert before == dict.fromkeys(before, {"15:00"})
    assert after == dict.fromkeys(after, {"15:00"})
    first = consultation.occurrences.order_by("starts_at").first()
    assert school_clock.local(first.starts_at) == dt.datetime(
        2026, 11, 17, 15, 0, tzinfo=VLADIVOSTOK
    )


@pytest.mark.requirement("R8")
def test_a_zone_change_is_an_amendment_its_audience_is_told(
    client, school, clock, django_capture_on_commit_callbacks
):
    consultation = plan(school, recurrence=Consultation.Recurrence.WEEKLY)
    publish(school)
    held, cancelled, *upcoming = consultation.occurrences.order_by("starts_at")
    planning_services.occurrence_cancel(
        actor=school.teacher, occurrence=cancelled, reason="Педсовет"
    )
    moved = upcoming[0]
    planning_services.occurrence_move(
        actor=school.teacher,
        occurrence=moved,
        starts_at=dt.datetime(2026, 12, 10, 15, 0, tzinfo=MOSCOW),
        reason="Олимпиада",
    )
    clock.travel(dt.datetime(2026, 11, 17, 16, 0, tzinfo=MOSCOW))
    held_services.occurrence_mark_held(actor=school.teacher, occurrence=held)
    held.refresh_from_db()
    cancelled.refresh_from_db()
    version = school.schedule.version
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        _move_school()

    # History stays: the held session keeps its instant (22:00 on the new clock).
    assert Occurrence.objects.get(pk=held.pk).starts_at == held.starts_at
    assert Occurrence.objects.get(pk=held.pk).sequence == held.sequence
    # What is still to come keeps its wall-clock time, and calendars pick it up.
    later = Occurrence.objects.get(pk=cancelled.pk)
    assert school_clock.local(later.starts_at).time() == dt.time(15, 0)
    assert later.sequence == cancelled.sequence + 1
    moved = Occurrence.objects.get(pk=moved.pk)
    assert school_clock.local(moved.starts_at) == dt.datetime(
        2026, 12, 10, 15, 0, tzinfo=VLADIVOSTOK
    )
    assert school_clock.local(moved.moved_from).time() == dt.time(15, 0)
    # An amendment with its reason, and the audience told.
    school.schedule.refresh_from_db()
    assert school.schedule.version == version + 1
    latest = ScheduleVersion.objects.get(
        document=school.schedule, number=school.schedule.version
    )
    assert latest.reason == REASON
    (row,) = latest.rows
    assert row["time"] == "15:00–15:45"
    told = set(
        Notification.objects.filter(kind="consultations.amended").values_list(
            "recipient", flat=True
        )
    )
    assert told == {
        school.student.pk,
        school.classmate.pk,
        school.parent.pk,
        school.teacher.pk,
    }
    body = Notification.objects.filter(recipient=school.parent).get().body
    assert "Asia/Vladivostok" in body


def test_a_draft_is_recomputed_without_an_amendment_or_notices(school):
    consultation = plan(school)
    before = consultation.occurrences.get()

    _move_school()

    after = consultation.occurrences.get()
    assert school_clock.local(after.starts_at) == dt.datetime(
        2026, 11, 17, 15, 0, tzinfo=VLADIVOSTOK
    )
    assert after.ends_at - after.starts_at == dt.timedelta(minutes=45)
    assert after.sequence == before.sequence + 1
    assert not ScheduleVersion.objects.exists()
    assert not Notification.objects.exists()


def test_moving_back_restores_the_instants(school):
    consultation = plan(school)
    before = consultation.occurrences.get().starts_at

    _move_school("Asia/Vladivostok")
    _move_school("Europe/Moscow")

    assert consultation.occurrences.get().starts_at == before
