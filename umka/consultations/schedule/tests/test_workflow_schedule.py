"""The schedule document's whole life through its pages, as the people who use it
(R8): a teacher plans, the deputy submits, the director (or an authorised deputy)
approves «УТВЕРЖДАЮ», the schedule is published, an amendment makes version 2,
notifies those affected, and the versions can be compared."""

import datetime as dt

import pytest
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.consultations.models import (
    ApprovalDelegation,
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.consultations.planning import services as planning_services
from umka.consultations.schedule import services as schedule_services
from umka.consultations.tests.factories import TUESDAY, small_school
from umka.notifications.models import Notification
from umka.school.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

Status = ScheduleDocument.Status

#: The «yes» of the confirm step (umka.core.confirm).
YES = {"confirmed": "yes"}


@pytest.fixture
def school():
    SchoolFactory()
    s = small_school()
    # The teacher plans their own consultation while the schedule is a draft.
    s.consultation = planning_services.consultation_plan(
        actor=s.teacher,
        schedule=s.schedule,
        organiser=s.teacher,
        form=Consultation.Form.VIDEOCONFERENCE,
        subject=s.maths,
        classes=[s.class_7a],
        starts_on=TUESDAY,
        start_time=dt.time(15, 0),
        duration_minutes=45,
        recurrence=Consultation.Recurrence.WEEKLY,
    )
    return s


def url(name: str, schedule, *args) -> str:
    return reverse(f"consultations:{name}", args=[schedule.pk, *args])


def snapshot(schedule):
    schedule.refresh_from_db()
    return (
        schedule.status,
        schedule.version,
        schedule.submitted_by_id,
        schedule.approved_by_id,
        schedule.published_at,
        ScheduleVersion.objects.count(),
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def submit(client, school):
    client.force_login(school.deputy)
    response = client.post(url("schedule_submit", school.schedule), YES, follow=True)
    school.schedule.refresh_from_db()
    assert school.schedule.status == Status.SUBMITTED
    return response


@pytest.mark.requirement("R8")
def test_deputy_submits_and_a_teacher_can_neither_submit_nor_approve(client, school):
    schedule = school.schedule
    client.force_login(school.teacher)
    before = snapshot(schedule)
    assert client.post(url("schedule_submit", schedule)).status_code == 403
    assert snapshot(schedule) == before

    response = submit(client, school)

    assert schedule.submitted_by == school.deputy
    assert schedule.submitted_at is not None
    assert messages_of(response)
    assert "approve-form" not in response.content.decode()  # a deputy without authority

    client.force_login(school.teacher)
    before = snapshot(schedule)
    for action in ("schedule_approve", "schedule_publish", "schedule_return"):
        response = client.post(
            url(action, schedule), {"order_number": "1", "reason": "Нет"}
        )
        assert response.status_code == 403, action
    assert snapshot(schedule) == before
    client.force_login(school.student)
    assert client.post(url("schedule_approve", schedule)).status_code == 404
    assert snapshot(schedule) == before


@pytest.mark.requirement("R8")
def test_deputy_returns_the_draft_with_a_reason_that_the_page_shows(client, school):
    submit(client, school)
    empty = client.post(url("schedule_return", school.schedule), {"reason": " "})
    assert empty.status_code == 302
    assert snapshot(school.schedule)[0] == Status.SUBMITTED

    response = client.post(
        url("schedule_return", school.schedule),
        {"reason": "Добавьте консультации по физике"},
        follow=True,
    )

    assert snapshot(school.schedule)[0] == Status.DRAFT
    html = response.content.decode()
    assert "Добавьте консультации по физике" in html
    assert 'id="submit-form"' in html


@pytest.mark.requirement("R8")
def test_director_approves_with_an_order_number_in_one_action(client, school):
    submit(client, school)
    client.force_login(school.director)
    review = client.get(url("schedule", school.schedule))
    assert 'id="approve-form"' in review.content.decode()

    response = client.post(
        url("schedule_approve", school.schedule),
        {"order_number": "112-о", "order_date": "2026-11-20", **YES},
        follow=True,
    )

    schedule = school.schedule
    schedule.refresh_from_db()
    assert schedule.status == Status.APPROVED
    assert schedule.approved_by == school.director
    assert schedule.approved_at is not None
    assert schedule.approver_position == "Директор"
    assert schedule.order_number == "112-о"
    assert schedule.order_date == dt.date(2026, 11, 20)
    assert schedule.version == 1
    version = ScheduleVersion.objects.get(document=schedule)
    assert version.number == 1
    assert version.created_by == school.director
    (row,) = version.rows
    assert row["organiser"] == school.teacher.full_name
    assert len(row["sessions"]) == 5
    html = response.content.decode()
    assert "112-о" in html
    assert "20.11.2026" in html
    assert 'id="stamp"' in html
    assert messages_of(response)


@pytest.mark.requirement("R8")
def test_deputy_approves_only_with_the_directors_authority(client, school):
    submit(client, school)
    before = snapshot(school.schedule)
    refused = client.post(url("schedule_approve", school.schedule), YES)
    assert refused.status_code == 403
    assert snapshot(school.schedule) == before

    client.force_login(school.director)
    granted = client.post(
        reverse("consultations:schedule_delegate"),
        {
            "deputy": school.deputy.pk,
            "valid_from": "2026-11-01",
            "valid_until": "",
            "order_number": "98-о",
            "order_date": "2026-10-30",
        },
    )
    assert granted.status_code == 302
    delegation = ApprovalDelegation.objects.get()
    assert (delegation.deputy, delegation.granted_by) == (
        school.deputy,
        school.director,
    )
    listed = client.get(reverse("consultations:schedules")).content.decode()
    assert school.deputy.full_name in listed
    assert "98-о" in listed

    client.force_login(school.deputy)
    page = client.get(url("schedule", school.schedule)).content.decode()
    assert 'id="approve-form"' in page
    client.post(url("schedule_approve", school.schedule), YES)
    school.schedule.refresh_from_db()
    assert school.schedule.status == Status.APPROVED
    assert school.schedule.approved_by == school.deputy


@pytest.mark.requirement("R8")
def test_only_the_director_authorises_and_only_a_deputy(client, school):
    data = {"deputy": school.deputy.pk, "valid_from": "2026-11-01"}
    client.force_login(school.deputy)
    assert (
        client.post(reverse("consultations:schedule_delegate"), data).status_code == 403
    )
    client.force_login(school.director)
    not_a_deputy = client.post(
        reverse("consultations:schedule_delegate"),
        {"deputy": school.teacher.pk, "valid_from": "2026-11-01"},
    )
    assert not_a_deputy.status_code == 400
    backwards = client.post(
        reverse("consultations:schedule_delegate"),
        {**data, "valid_until": "2026-10-01"},
    )
    assert backwards.status_code == 400
    assert not ApprovalDelegation.objects.exists()


@pytest.mark.requirement("R8")
def test_refused_action_shows_the_services_message(client, school):
    client.force_login(school.director)
    # Approving a draft: nothing changes, and the service's message is shown.
    response = client.post(url("schedule_approve", school.schedule), YES, follow=True)
    assert snapshot(school.schedule)[0] == Status.DRAFT
    assert messages_of(response)
    empty = ScheduleDocument.objects.create(year=school.year, period=None)
    client.force_login(school.deputy)
    response = client.post(url("schedule_submit", empty), YES, follow=True)
    assert snapshot(empty)[0] == Status.DRAFT
    (message,) = messages_of(response)
    assert "консультаций" in message or "no consultations" in message


@pytest.mark.requirement("R8")
def test_whole_workflow_amendment_notifies_the_class_and_versions_compare(
    client, school
):
    submit(client, school)
    client.force_login(school.director)
    client.post(
        url("schedule_approve", school.schedule), {"order_number": "112-о", **YES}
    )
    client.force_login(school.deputy)
    client.post(url("schedule_publish", school.schedule), YES)
    schedule = school.schedule
    schedule.refresh_from_db()
    assert schedule.status == Status.PUBLISHED
    assert schedule.published_at is not None

    # After approval a change is an amendment with a reason.
    occurrence = school.consultation.occurrences.order_by("starts_at").first()
    old = occurrence.starts_at
    planning_services.occurrence_move(
        actor=school.teacher,
        occurrence=occurrence,
        starts_at=old + dt.timedelta(days=2),
        reason="Учитель на курсах",
    )

    schedule.refresh_from_db()
    assert schedule.version == 2
    second = ScheduleVersion.objects.get(document=schedule, number=2)
    assert second.reason == "Учитель на курсах"
    told = set(
        Notification.objects.filter(kind="consultations.amended").values_list(
            "recipient", flat=True
        )
    )
    assert school.parent.pk in told  # a parent of a 7А student
    assert school.student.pk in told
    assert school.other_parent.pk not in told  # 7Б
    assert school.other_student.pk not in told

    versions = client.get(url("schedule_versions", schedule)).content.decode()
    assert "Учитель на курсах" in versions
    assert url("schedule_version", schedule, 2) in versions

    frozen = client.get(url("schedule_version", schedule, 1))
    assert frozen.status_code == 200
    assert "17.11.2026 15:00" in frozen.content.decode()

    compare = client.get(url("schedule_compare", schedule) + "?a=2&b=1")
    assert compare.status_code == 200
    assert compare.context["older"].number == 1
    (changed,) = compare.context["changed"]
    assert changed.sessions[0].before == "17.11.2026 15:00"
    assert changed.sessions[0].after == "19.11.2026 15:00"
    assert changed.sessions[0].reason == "Учитель на курсах"
    html = compare.content.decode()
    assert "<del>17.11.2026 15:00</del>" in html
    assert "<ins>19.11.2026 15:00</ins>" in html


@pytest.mark.requirement("R8")
def test_compare_shows_added_rows_and_changed_fields(client, school):
    submit(client, school)
    client.force_login(school.director)
    client.post(url("schedule_approve", school.schedule), YES)
    school.schedule.refresh_from_db()
    planning_services.consultation_plan(
        actor=school.deputy,
        schedule=school.schedule,
        organiser=school.other_teacher,
        form=Consultation.Form.CHAT,
        subject=school.maths,
        classes=[school.class_7b],
        starts_on=TUESDAY,
        start_time=dt.time(16, 0),
        duration_minutes=30,
        reason="Новая консультация для 7Б",
    )
    occurrence = school.consultation.occurrences.order_by("starts_at").first()
    planning_services.occurrence_cancel(
        actor=school.deputy, occurrence=occurrence, reason="ОРВИ"
    )

    response = client.get(url("schedule_compare", school.schedule) + "?a=1&b=3")

    (added,) = response.context["added"]
    assert added["classes"] == "7Б"
    (changed,) = response.context["changed"]
    assert changed.fields == []  # only a session changed
    (cancelled,) = changed.sessions
    assert cancelled.before.startswith("17.11.2026 15:00")
    assert cancelled.reason == "ОРВИ"
    assert response.context["removed"] == []
    assert "Новая консультация для 7Б" in response.content.decode()


@pytest.mark.requirement("R8")
def test_compare_highlights_each_changed_field_before_and_after(client, school):
    submit(client, school)
    approved = schedule_services.schedule_approve(
        actor=school.director, schedule=school.schedule
    )
    first = ScheduleVersion.objects.get(document=approved, number=1)
    row = {**first.rows[0], "time": "16:00–16:45", "how_to_join": "Кабинет 5"}
    ScheduleVersion.objects.create(
        document=approved,
        number=2,
        created_by=school.deputy,
        reason="Перенос",
        rows=[row, {**row, "consultation": 0, "subject": "Геометрия"}],
    )
    client.force_login(school.deputy)

    response = client.get(url("schedule_compare", approved) + "?a=1&b=2")

    (changed,) = response.context["changed"]
    assert [(f.before, f.after) for f in changed.fields] == [
        ("15:00–15:45", "16:00–16:45"),
        ("—", "Кабинет 5"),
    ]
    assert changed.sessions == []
    html = response.content.decode()
    assert "<del>15:00–15:45</del>" in html
    assert "<ins>16:00–16:45</ins>" in html
    assert [r["subject"] for r in response.context["added"]] == ["Геометрия"]


def test_compare_of_unknown_versions_is_404(client, school):
    client.force_login(school.deputy)
    for query in ("?a=1&b=2", "?a=x&b=1", ""):
        response = client.get(url("schedule_compare", school.schedule) + query)
        assert response.status_code == 404
    assert client.get(url("schedule_version", school.schedule, 1)).status_code == 404


def test_administrator_publishes(client, school):
    submit(client, school)
    schedule_services.schedule_approve(actor=school.director, schedule=school.schedule)
    client.force_login(make_person(Role.ADMINISTRATOR))
    client.post(url("schedule_publish", school.schedule), YES)
    assert snapshot(school.schedule)[0] == Status.PUBLISHED


@pytest.mark.requirement("R8")
def test_compare_leaves_out_sessions_that_were_only_held(client, school):
    submit(client, school)
    schedule = schedule_services.schedule_approve(
        actor=school.director, schedule=school.schedule
    )
    first, second = school.consultation.occurrences.order_by("starts_at")[:2]
    Occurrence.objects.filter(pk=first.pk).update(
        status=Occurrence.Status.HELD, held_at=first.ends_at
    )
    planning_services.occurrence_move(
        actor=school.deputy,
        occurrence=second,
        starts_at=second.starts_at + dt.timedelta(hours=1),
        reason="Перенос",
    )

    response = client.get(url("schedule_compare", schedule) + "?a=1&b=2")

    (changed,) = response.context["changed"]
    (moved,) = changed.sessions
    assert moved.before == "24.11.2026 15:00"
    assert moved.after == "24.11.2026 16:00"


@pytest.mark.requirement("R8")
def test_invalid_order_date_changes_nothing(client, school):
    submit(client, school)
    client.force_login(school.director)
    before = snapshot(school.schedule)
    response = client.post(
        url("schedule_approve", school.schedule),
        {"order_number": "1", "order_date": "31.02.2026", **YES},
        follow=True,
    )
    assert snapshot(school.schedule) == before
    assert messages_of(response)


# --- Confirmation and notices (issue 14) -----------------------------------------


def _kinds(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True)
    )


@pytest.mark.requirement("R8")
def test_submitting_asks_first_and_changes_nothing_until_confirmed(client, school):
    client.force_login(school.deputy)
    before = snapshot(school.schedule)
    response = client.post(url("schedule_submit", school.schedule))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="confirmed" value="yes"' in page
    assert snapshot(school.schedule) == before


@pytest.mark.requirement("R8")
def test_the_director_is_told_a_schedule_awaits_approval_and_sees_it_on_home(
    client, school
):
    submit(client, school)
    assert _kinds(school.director) == ["consultations.schedule_submitted"]
    assert _kinds(school.deputy) == []  # the one who submitted is not told
    assert _kinds(school.parent) == []

    client.force_login(school.director)
    home = client.get(reverse("home")).content.decode()
    assert f'id="home-schedule-task-{school.schedule.pk}"' in home
    assert url("schedule", school.schedule) in home


@pytest.mark.requirement("R8")
def test_the_deputy_is_told_when_approved_and_the_audience_when_published(
    client, school
):
    submit(client, school)
    client.force_login(school.director)
    client.post(url("schedule_approve", school.schedule), YES)
    assert "consultations.schedule_approved" in _kinds(school.deputy)
    home = client.get(reverse("home")).content.decode()
    assert 'data-action="approve"' not in home  # nothing left to approve
    assert 'data-action="publish"' in home  # the director may publish it

    client.force_login(school.deputy)
    client.post(url("schedule_publish", school.schedule), YES)
    for person in (school.student, school.parent, school.teacher):
        assert "consultations.schedule_published" in _kinds(person)
    assert "consultations.schedule_published" not in _kinds(school.other_student)
    assert "consultations.schedule_published" not in _kinds(school.other_parent)


@pytest.mark.requirement("R8")
def test_the_deputy_is_told_when_the_schedule_is_returned(client, school):
    submit(client, school)
    client.force_login(school.director)
    client.post(url("schedule_return", school.schedule), {"reason": "Нет 9-х классов"})
    notice = Notification.objects.get(
        recipient=school.deputy, kind="consultations.schedule_returned"
    )
    assert "Нет 9-х классов" in notice.body


def test_families_have_no_schedule_tasks_on_home(client, school):
    submit(client, school)
    for person in (school.parent, school.student, school.teacher):
        client.force_login(person)
        assert "home-schedule-task-" not in client.get(reverse("home")).content.decode()
