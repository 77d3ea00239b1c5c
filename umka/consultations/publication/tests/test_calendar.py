"""Calendar feeds of consultations (R8): RFC 5545, stable UIDs, growing SEQUENCE."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from umka.audit.models import AuditEntry
from umka.consultations.models import CalendarToken, Consultation, Occurrence
from umka.consultations.planning import services as planning_services
from umka.consultations.publication.audit import CALENDAR_TOKEN_ISSUED
from umka.consultations.publication.tests.test_public import make_school, plan, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return make_school()


@pytest.fixture
def published(school):
    """Algebra for 7А (weekly) and a chat for 7Б, published."""
    algebra = plan(school, recurrence=Consultation.Recurrence.WEEKLY)
    chat = plan(
        school,
        organiser=school.deputy,
        subject=None,
        form=Consultation.Form.CHAT,
        classes=[school.class_7b],
        start_time=dt.time(10, 0),
    )
    publish(school)
    return algebra, chat


def feed(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def uid(occurrence: Occurrence) -> str:
    return f"{occurrence.uid}@umka"


def class_url(school_class) -> str:
    return reverse("schedule:calendar_class", args=[school_class.pk])


# --- Class and organiser feeds --------------------------------------------------------


@pytest.mark.requirement("R8")
def test_class_feed_parses_with_one_event_per_session(client, school, published):
    algebra, chat = published

    calendar = feed(client, class_url(school.class_7a))

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    assert calendar.to_ical().count(b"X-PUBLISHED-TTL:PT1H") == 1
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Moscow"
    found = events(calendar)
    sessions = list(algebra.occurrences.all())
    assert set(found) == {uid(o) for o in sessions}  # nothing of 7Б
    first = min(sessions, key=lambda o: o.starts_at)
    event = found[uid(first)]
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Moscow"
    assert event.decoded("DTSTART") == first.starts_at
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=3)
    assert event.decoded("DTEND") == first.ends_at
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert "LAST-MODIFIED" in event
    assert str(event["STATUS"]) == "CONFIRMED"
    summary = str(event["SUMMARY"])
    assert "Алгебра" in summary
    assert "видеоконференция" in summary
    description = str(event["DESCRIPTION"])
    assert "Кондратьева Оксана" in description
    assert "7А" in description
    assert "https://meet.example.org/algebra-7a" in description
    assert str(event["LOCATION"]) == "https://meet.example.org/algebra-7a"


@pytest.mark.requirement("R8")
def test_amendment_changes_the_same_event_with_the_next_sequence(
    client, school, published
):
    algebra, _chat = published
    session = algebra.occurrences.order_by("starts_at").first()
    before = events(feed(client, class_url(school.class_7a)))[uid(session)]
    new_start = session.starts_at + dt.timedelta(days=2)  # Thursday, same hour

    planning_services.occurrence_move(
        actor=school.teacher,
        occurrence=session,
        starts_at=new_start,
        reason="Олимпиада по математике",
    )
    after = events(feed(client, class_url(school.class_7a)))[uid(session)]

    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1 == 1
    assert after.decoded("DTSTART") == new_start
    assert after.decoded("DTSTART") != before.decoded("DTSTART")
    assert after.decoded("DTEND") - after.decoded("DTSTART") == dt.timedelta(minutes=45)
    assert "Олимпиада по математике" in str(after["DESCRIPTION"])
    assert after.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")


@pytest.mark.requirement("R8")
def test_cancelled_session_stays_in_the_feed_as_cancelled(client, school, published):
    algebra, _chat = published
    session = algebra.occurrences.order_by("starts_at").first()

    planning_services.occurrence_cancel(
        actor=school.teacher, occurrence=session, reason="Карантин"
    )

    event = events(feed(client, class_url(school.class_7a)))[uid(session)]

    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert "Карантин" in str(event["DESCRIPTION"])


def test_feeds_show_only_published_schedules(client, school):
    plan(school)  # a draft

    calendar = feed(client, class_url(school.class_7a))
    organiser = feed(
        client, reverse("schedule:calendar_organiser", args=[school.teacher.pk])
    )

    assert events(calendar) == {}
    assert events(organiser) == {}
    assert len(calendar.walk("VTIMEZONE")) == 1


@pytest.mark.requirement("R8")
def test_organiser_feed_has_what_the_organiser_gives(client, school, published):
    algebra, chat = published

    calendar = feed(
        client, reverse("schedule:calendar_organiser", args=[school.deputy.pk])
    )

    assert set(events(calendar)) == {uid(o) for o in chat.occurrences.all()}
    assert "Кондратьева" not in calendar.to_ical().decode()


@pytest.mark.parametrize("who", ["student", "parent"])
def test_organiser_feed_is_only_for_staff(client, school, published, who):
    url = reverse("schedule:calendar_organiser", args=[getattr(school, who).pk])

    assert client.get(url).status_code == 404


def test_unknown_class_or_organiser_gives_404(client, school):
    unknown_class = reverse("schedule:calendar_class", args=[999999])
    unknown_person = reverse("schedule:calendar_organiser", args=[999999])

    assert client.get(unknown_class).status_code == 404
    assert client.get(unknown_person).status_code == 404


def test_feed_is_cached_a_little_and_answers_not_modified(client, school, published):
    url = class_url(school.class_7a)

    first = client.get(url)
    again = client.get(url, headers={"if-none-match": first["ETag"]})

    assert "max-age=300" in first["Cache-Control"]
    assert "public" in first["Cache-Control"]
    assert again.status_code == 304


def test_chosen_students_are_not_named_in_feeds(client, school):
    plan(
        school,
        form=Consultation.Form.INDIVIDUAL,
        classes=[],
        students=[school.student],
    )
    publish(school)

    text = client.get(
        reverse("schedule:calendar_organiser", args=[school.teacher.pk])
    ).content.decode()

    assert "BEGIN:VEVENT" in text
    assert school.student.last_name not in text


# --- Personal feed --------------------------------------------------------------------


def token_for(user) -> str:
    return CalendarToken.objects.create(user=user).token


def personal_url(token: str) -> str:
    return reverse("schedule:calendar_personal", args=[token])


@pytest.mark.requirement("R8")
def test_personal_feed_shows_the_students_class_and_not_another(
    client, school, published
):
    algebra, chat = published

    found = events(feed(client, personal_url(token_for(school.student))))

    assert set(found) == {uid(o) for o in algebra.occurrences.all()}
    assert not {uid(o) for o in chat.occurrences.all()} & set(found)


def test_personal_feed_of_a_parent_follows_the_child(client, school, published):
    algebra, chat = published

    found = events(feed(client, personal_url(token_for(school.parent))))
    other = events(feed(client, personal_url(token_for(school.other_parent))))

    assert set(found) == {uid(o) for o in algebra.occurrences.all()}
    assert set(other) == {uid(o) for o in chat.occurrences.all()}


def test_personal_feed_shows_a_teachers_own_draft_as_tentative(client, school):
    draft = plan(school)

    found = events(feed(client, personal_url(token_for(school.teacher))))

    (event,) = found.values()
    assert str(event["UID"]) == uid(draft.occurrences.get())
    assert str(event["STATUS"]) == "TENTATIVE"


def test_students_personal_feed_has_no_unapproved_consultations(client, school):
    plan(school)  # a draft for 7А

    found = events(feed(client, personal_url(token_for(school.student))))

    assert found == {}


def test_personal_feed_is_private(client, school, published):
    response = client.get(personal_url(token_for(school.student)))

    assert "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_wrong_token_gives_404(client, school, published):
    token_for(school.student)

    assert client.get(personal_url("not-a-real-token-" + "x" * 30)).status_code == 404


def test_inactive_persons_feed_gives_404(client, school, published):
    token = token_for(school.student)
    school.student.is_active = False
    school.student.save(update_fields=["is_active"])

    assert client.get(personal_url(token)).status_code == 404


# --- «My calendar» page ---------------------------------------------------------------


def test_my_calendar_needs_sign_in(client, school):
    response = client.get(reverse("schedule:calendar_mine"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert client.post(reverse("schedule:calendar_mine")).status_code == 302
    assert not CalendarToken.objects.exists()


def test_person_creates_then_replaces_the_feed_address(client, school, published):
    client.force_login(school.parent)
    url = reverse("schedule:calendar_mine")

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["token"] is None

    assert client.post(url).status_code == 302
    first = CalendarToken.objects.get(user=school.parent).token
    assert len(first) >= 32
    shown = client.get(url).content.decode()
    assert personal_url(first) in shown
    assert "webcal://" in shown

    assert client.post(url).status_code == 302
    second = CalendarToken.objects.get(user=school.parent).token
    assert second != first
    assert client.get(personal_url(first)).status_code == 404
    assert client.get(personal_url(second)).status_code == 200

    entries = AuditEntry.objects.filter(action=CALENDAR_TOKEN_ISSUED)
    assert [e.changes["replaced"] for e in entries.order_by("pk")] == [False, True]
    assert all(first not in str(e.changes) for e in entries)
    assert all(e.actor_id == school.parent.pk for e in entries)


def test_tokens_are_unique_and_url_safe(school):
    tokens = {
        CalendarToken.objects.create(user=u).token
        for u in (school.student, school.parent, school.teacher)
    }

    assert len(tokens) == 3
    for token in tokens:
        assert len(token) >= 32
        assert reverse("schedule:calendar_personal", args=[token])


def test_feed_keeps_last_years_sessions_and_drops_older_ones(
    client, school, published, clock
):
    algebra, _chat = published
    clock.travel(clock.now.replace(year=clock.now.year + 3))

    found = events(feed(client, class_url(school.class_7a)))

    assert found == {}
    assert algebra.occurrences.exists()
