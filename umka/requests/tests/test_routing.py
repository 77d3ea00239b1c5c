"""Who answers a request and by when: the deadline in working days, the reminder
before it and the escalation after it (R13)."""

import datetime as dt

import pytest

from umka.accounts.models import Role
from umka.audit.models import AuditEntry
from umka.requests import routing, services
from umka.requests.models import Request, RequestMessage
from umka.requests.tests.factories import (
    MOSCOW,
    answered,
    notices,
    write,
)

pytestmark = pytest.mark.django_db


# --- The deadline (R13) -----------------------------------------------------------


@pytest.mark.requirement("R13")
def test_deadline_counting_skips_weekends_and_holidays(school, clock):
    # Friday evening; Monday counts, Tuesday 1 December is a holiday, then
    # Wednesday and Thursday: due Thursday at the same time.
    clock.set(2026, 11, 27, 18, 30)
    req = write(school)
    assert req.due_at == dt.datetime(2026, 12, 3, 18, 30, tzinfo=MOSCOW)


@pytest.mark.requirement("R13")
def test_deadline_during_holidays_counts_from_the_first_school_day(school, clock):
    clock.set(2026, 10, 28, 12, 0)  # autumn holidays until 4 November
    req = write(school)
    assert req.due_at == dt.datetime(2026, 11, 9, 12, 0, tzinfo=MOSCOW)


@pytest.mark.requirement("R13")
def test_deadline_follows_the_schools_setting(school, clock):
    school.school.request_response_days = 5
    school.school.save()
    from umka.school.selectors import forget_cached_school

    forget_cached_school()
    req = write(school)  # Tuesday 17.11 → Tuesday 24.11
    assert req.due_at == dt.datetime(2026, 11, 24, 10, 0, tzinfo=MOSCOW)


def test_deadline_of_an_installation_without_a_school_is_three_days(school, clock):
    school.school.delete()
    from umka.school.selectors import forget_cached_school

    forget_cached_school()
    assert routing.due_from(clock.moment) == dt.datetime(
        2026, 11, 20, 10, 0, tzinfo=MOSCOW
    )


# --- Reminders and escalation (R13) -----------------------------------------------


def test_reminder_about_a_day_before_due_once(school, clock):
    req = write(school)  # Tuesday 10:00, due Friday 10:00
    assert routing.requests_remind(dt.datetime(2026, 11, 18, 10, 0, tzinfo=MOSCOW)) == 0
    thursday = dt.datetime(2026, 11, 19, 10, 0, tzinfo=MOSCOW)
    assert routing.requests_remind(thursday) == 1
    assert routing.requests_remind(thursday + dt.timedelta(hours=1)) == 0
    [notice] = notices(school.teacher, "requests.reminder")
    assert "20.11.2026 10:00" in notice.title
    req.refresh_from_db()
    assert req.reminded_at == thursday


def test_reminder_counts_working_days_over_a_weekend(school, clock):
    clock.set(2026, 11, 25, 10, 0)  # Wednesday → due Monday 30.11 10:00
    write(school)
    friday = dt.datetime(2026, 11, 27, 11, 0, tzinfo=MOSCOW)
    assert routing.requests_remind(friday) == 1


def test_no_reminder_for_an_answered_request(school):
    answered(school)
    assert routing.requests_remind(dt.datetime(2026, 11, 19, 12, tzinfo=MOSCOW)) == 0


@pytest.mark.requirement("R13")
def test_an_overdue_request_escalates_to_a_deputy_head(school):
    req = write(school)  # due Friday 20.11 10:00
    before_due = dt.datetime(2026, 11, 20, 9, 59, tzinfo=MOSCOW)
    assert routing.requests_escalate(before_due) == 0
    overdue = dt.datetime(2026, 11, 20, 10, 15, tzinfo=MOSCOW)
    assert routing.requests_escalate(overdue) == 1
    req.refresh_from_db()
    assert req.escalated_at == overdue
    assert req.escalated_to in (school.deputy, school.deputy_2)
    assert req.status == Request.Status.NEW
    entry = AuditEntry.objects.get(action="requests.escalated")
    assert entry.actor is None
    assert entry.actor_name
    assert entry.changes["escalated_to"] == str(req.escalated_to)
    assert notices(req.escalated_to, "requests.escalated")
    assert notices(school.teacher, "requests.escalated")
    assert req.messages.filter(kind=RequestMessage.Kind.ESCALATED).exists()
    # Once.
    assert routing.requests_escalate(overdue + dt.timedelta(hours=1)) == 0
    assert AuditEntry.objects.filter(action="requests.escalated").count() == 1


@pytest.mark.requirement("R13")
def test_answered_requests_do_not_escalate(school):
    answered(school)
    assert routing.requests_escalate(dt.datetime(2026, 12, 30, tzinfo=MOSCOW)) == 0


def test_escalation_skips_the_deputy_who_is_the_assignee(school):
    req = write(school, addressee=Request.Addressee.ADMINISTRATION, subject=None)
    routing.requests_escalate(dt.datetime(2026, 11, 23, 12, tzinfo=MOSCOW))
    req.refresh_from_db()
    assert req.escalated_to not in (None, req.assignee)
    assert req.escalated_to.has_role(Role.DEPUTY_HEAD)


def test_escalation_goes_to_the_director_without_another_deputy(school):
    school.deputy_2.is_active = False
    school.deputy_2.save()
    req = write(school, addressee=Request.Addressee.ADMINISTRATION, subject=None)
    assert req.assignee == school.deputy
    routing.requests_escalate(dt.datetime(2026, 11, 23, 12, tzinfo=MOSCOW))
    req.refresh_from_db()
    assert req.escalated_to == school.director


def test_reopen_restarts_escalation(school, clock):
    req = answered(school)
    services.request_reopen(actor=school.parent, req=req, reason="Неясно")
    req.refresh_from_db()
    assert req.escalated_at is None
    assert routing.requests_escalate(req.due_at + dt.timedelta(minutes=1)) == 1


def test_the_periodic_task_runs_both(school, clock):
    from umka.requests.tasks import remind_and_escalate

    write(school)
    clock.set(2026, 11, 23, 9, 0)
    remind_and_escalate.call_local()
    req = Request.objects.get()
    assert req.escalated_at is not None
