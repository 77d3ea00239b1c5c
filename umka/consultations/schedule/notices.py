"""Who is told at each step of the schedule's approval (R8): the approvers when a
draft is submitted, the coordinators when it is approved or returned, the audience
(students of the classes and chosen students, their parents, the organisers) when it
is published. Called from the services inside their transaction."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from umka.accounts.models import Role, User
from umka.consultations.models import ApprovalDelegation, ScheduleDocument
from umka.consultations.notification_kinds import (
    SCHEDULE_APPROVED,
    SCHEDULE_PUBLISHED,
    SCHEDULE_RETURNED,
    SCHEDULE_SUBMITTED,
)
from umka.consultations.schedule.amendments import affected_people
from umka.core import clock
from umka.notifications.services import notify


def approvers() -> set[User]:
    """The director(s) and the deputies authorised to approve today."""
    today = clock.today()
    delegated = (
        ApprovalDelegation.objects.filter(valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values_list("deputy", flat=True)
    )
    return set(
        User.objects.filter(is_active=True).filter(
            Q(role_assignments__role=Role.DIRECTOR) | Q(pk__in=delegated)
        )
    )


def coordinators() -> set[User]:
    """The deputies who assemble and publish the schedule."""
    return set(
        User.objects.filter(is_active=True, role_assignments__role=Role.DEPUTY_HEAD)
    )


def _url(schedule: ScheduleDocument) -> str:
    return reverse("consultations:schedule", args=[schedule.pk])


def told_submitted(schedule: ScheduleDocument, *, actor: User) -> None:
    notify(
        recipients=approvers() - {actor},
        kind=SCHEDULE_SUBMITTED,
        title=_("The consultation schedule %(name)s awaits your approval")
        % {"name": schedule},
        body=_("%(person)s submitted it. Review it and approve or return it.")
        % {"person": actor.full_name},
        url=_url(schedule),
        actor=actor,
        target=schedule,
    )


def told_approved(schedule: ScheduleDocument, *, actor: User) -> None:
    recipients = coordinators() | {schedule.submitted_by}
    notify(
        recipients=recipients - {actor},
        kind=SCHEDULE_APPROVED,
        title=_("The consultation schedule %(name)s is approved") % {"name": schedule},
        body=_("%(person)s approved it. Publish it so that families see it.")
        % {"person": actor.full_name},
        url=_url(schedule),
        actor=actor,
        target=schedule,
    )


def told_returned(schedule: ScheduleDocument, *, actor: User, reason: str) -> None:
    recipients = coordinators() | {schedule.submitted_by}
    notify(
        recipients=recipients - {actor},
        kind=SCHEDULE_RETURNED,
        title=_("The consultation schedule %(name)s is returned for rework")
        % {"name": schedule},
        body=_("%(person)s returned it: %(reason)s")
        % {"person": actor.full_name, "reason": reason.strip()},
        url=_url(schedule),
        actor=actor,
        target=schedule,
    )


def told_published(schedule: ScheduleDocument, *, actor: User) -> None:
    consultations = list(
        schedule.consultations.select_related("organiser").prefetch_related(
            "audience_classes", "audience_students"
        )
    )
    organisers = {c.organiser for c in consultations if c.organiser_id}
    notify(
        recipients=(affected_people(consultations) | organisers) - {actor},
        kind=SCHEDULE_PUBLISHED,
        title=_("The consultation schedule %(name)s is published") % {"name": schedule},
        body=_("See when and where the consultations are held."),
        url=reverse("schedule:detail", args=[schedule.pk]),
        actor=actor,
        target=schedule,
    )
