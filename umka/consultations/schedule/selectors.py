"""Reads for the schedule document screens (R8): a year's schedules, the
authorities to approve, the reasons a draft was returned.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from umka.accounts.models import Role, User
from umka.audit.models import AuditEntry
from umka.consultations import audit_actions, policies
from umka.consultations.models import ApprovalDelegation, Occurrence, ScheduleDocument
from umka.school.models import (
    AcademicYear,
    StudyPeriod,
)

CANCELLED = Occurrence.Status.CANCELLED


def _date(day: dt.date) -> str:
    return formats.date_format(day, "d.m.Y")


def years() -> QuerySet[AcademicYear]:
    return AcademicYear.objects.order_by("-starts_on")


@dataclass
class PeriodRow:
    """One line of the schedules page: a study period (None: the whole year) and
    its document, if one has been opened."""

    year: AcademicYear
    period: StudyPeriod | None
    document: ScheduleDocument | None

    @property
    def label(self) -> str:
        return str(self.period) if self.period else _("Whole academic year")


def schedule_list(user: User, year: AcademicYear) -> list[PeriodRow]:
    """The periods of `year` with their schedules and counts (three queries)."""
    documents = {
        d.period_id: d
        for d in policies.schedules_visible_to(user)
        .filter(year=year)
        .select_related("approved_by", "submitted_by")
        .annotate(
            consultation_count=Count("consultations", distinct=True),
            session_count=Count(
                "consultations__occurrences",
                filter=~Q(consultations__occurrences__status=CANCELLED),
                distinct=True,
            ),
        )
    }
    rows = [
        PeriodRow(year, period, documents.pop(period.pk, None))
        for period in StudyPeriod.objects.filter(year=year)
        .select_related("year")
        .order_by("starts_on")
    ]
    rows.append(PeriodRow(year, None, documents.pop(None, None)))
    return rows


def current_delegations(today: dt.date) -> QuerySet[ApprovalDelegation]:
    """Authorities to approve that are in force today or start later."""
    return (
        ApprovalDelegation.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
        .select_related("deputy", "granted_by")
        .order_by("valid_from", "pk")
    )


def deputies() -> QuerySet[User]:
    """Active deputy heads (whom the director may authorise)."""
    return User.objects.filter(
        is_active=True, role_assignments__role=Role.DEPUTY_HEAD
    ).distinct()


def for_page(schedules: QuerySet[ScheduleDocument]) -> QuerySet[ScheduleDocument]:
    """What a schedule's page shows of it besides its rows (its `related=` for
    `policies.access_schedule_document`)."""
    return schedules.select_related(
        "year", "period__year", "submitted_by", "approved_by"
    )


def returns_of(schedule: ScheduleDocument) -> QuerySet[AuditEntry]:
    """Each time the schedule was sent back for rework, newest first (the reason
    lives in the audit entry: the document keeps only its current state)."""
    return AuditEntry.objects.filter(
        action=audit_actions.RETURNED,
        target_type__app_label="consultations",
        target_type__model="scheduledocument",
        target_id=str(schedule.pk),
    ).order_by("-at", "-pk")


@dataclass
class ScheduleTask:
    """A schedule waiting for this person's action, for the home page's «Needs
    attention»: `action` is "approve" or "publish"."""

    schedule: ScheduleDocument
    action: str


def schedule_tasks(user: User) -> list[ScheduleTask]:
    """Every submitted schedule for whoever may approve (R8), every approved but
    unpublished one for whoever publishes. Two queries at most."""
    tasks = []
    related = ("year", "period", "submitted_by")
    if policies.can_approve(user):
        tasks += [
            ScheduleTask(s, "approve")
            for s in ScheduleDocument.objects.filter(
                status=ScheduleDocument.Status.SUBMITTED
            ).select_related(*related)
        ]
    if policies.can_publish_schedules(user):
        tasks += [
            ScheduleTask(s, "publish")
            for s in ScheduleDocument.objects.filter(
                status=ScheduleDocument.Status.APPROVED
            ).select_related(*related)
        ]
    return tasks
