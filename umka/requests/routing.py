"""Who answers a request and by when (R13): the assignee it is routed to, the
deadline in working days, the reminder before it and the escalation after it
(tasks.py runs `requests_remind` and `requests_escalate` every 15 minutes).
"""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from umka.accounts.models import User
from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.requests import audit_actions as actions
from umka.requests import notification_kinds as kinds
from umka.requests import selectors, thread
from umka.requests.models import Request, RequestMessage
from umka.school.calendar import add_working_days
from umka.school.models import SchoolClass, Subject
from umka.school.selectors import current_school

logger = logging.getLogger(__name__)

#: Days to answer when no school is set up (School.request_response_days).
DEFAULT_RESPONSE_DAYS = 3
#: Who Umka's own actions (reminders, escalation) are recorded as.
SYSTEM_NAME = gettext_lazy("Umka (automatically)")


# --- By when ----------------------------------------------------------------------


def response_days() -> int:
    school = current_school()
    return school.request_response_days if school else DEFAULT_RESPONSE_DAYS


def due_from(moment: dt.datetime) -> dt.datetime:
    """R13: the answer is due `School.request_response_days` working days after
    `moment` (weekends and holidays are not counted; the school's clock)."""
    return add_working_days(clock.local(moment), response_days())


# --- Who answers ------------------------------------------------------------------


def resolve_assignee(
    *, addressee: str, school_class: SchoolClass | None, subject: Subject | None
) -> tuple[User, str]:
    """The person a request goes to, and a note when the choice needs explaining.

    Subject teacher: who teaches the subject in the student's class (several: the
    first by name, and the note says so). Class teacher: the class's. The
    administration: the deputy head with the fewest open requests.
    """
    if addressee == Request.Addressee.SUBJECT_TEACHER:
        if subject is None:
            raise DomainError(
                _("Choose the subject the question is about."), code="no_subject"
            )
        if school_class is None:
            raise DomainError(
                _(
                    "The student is not in any class now, so there is no subject "
                    "teacher to write to. Write to the school administration."
                ),
                code="no_class",
            )
        teachers = selectors.teachers_of(subject, school_class)
        if not teachers:
            raise DomainError(
                _(
                    "Nobody teaches «%(subject)s» in %(class)s. Write to the class "
                    "teacher or to the school administration."
                )
                % {"subject": subject.name, "class": school_class},
                code="no_teacher",
            )
        note = ""
        if len(teachers) > 1:
            with thread.school_language():
                note = _(
                    "«%(subject)s» in %(class)s is taught by %(teachers)s; the "
                    "request went to the first by name."
                ) % {
                    "subject": subject.name,
                    "class": school_class,
                    "teachers": ", ".join(t.short_name for t in teachers),
                }
        return teachers[0], note
    if addressee == Request.Addressee.CLASS_TEACHER:
        if school_class is None:
            raise DomainError(
                _(
                    "The student is not in any class now. Write to the school "
                    "administration."
                ),
                code="no_class",
            )
        teacher = school_class.class_teacher
        if teacher is None or not teacher.is_active:
            raise DomainError(
                _(
                    "%(class)s has no class teacher. Write to a subject teacher or to "
                    "the school administration."
                )
                % {"class": school_class},
                code="no_class_teacher",
            )
        return teacher, ""
    if addressee == Request.Addressee.ADMINISTRATION:
        deputies = selectors.deputies_by_load()
        if not deputies:
            raise DomainError(
                _(
                    "The school has no deputy head in Umka to answer requests. Write "
                    "to the class teacher."
                ),
                code="no_deputy",
            )
        return deputies[0], ""
    raise DomainError(_("Choose whom the request is for."), code="no_addressee")


# --- Deadlines: reminders and escalation (R13), run by tasks.py every 15 minutes --


def requests_remind(now: dt.datetime | None = None) -> int:
    """Remind each assignee once (`reminded_at`) about an open request due within
    one working day. Returns how many reminders were sent."""
    now = now or timezone.now()
    horizon = add_working_days(clock.local(now), 1)
    due = (
        Request.objects.filter(
            status__in=Request.OPEN_STATUSES,
            reminded_at__isnull=True,
            due_at__gt=now,
            due_at__lte=horizon,
        )
        .select_related("assignee")
        .order_by("due_at", "pk")
    )
    sent = 0
    for req in due:
        with transaction.atomic():
            # Claimed with one conditional UPDATE: two workers never both remind.
            claimed = Request.objects.filter(
                pk=req.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            with thread.school_language():
                thread.tell(
                    [req.assignee],
                    kind=kinds.REMINDER,
                    title=_("Answer request № %(number)s by %(due)s: %(topic)s")
                    % {**thread.title_params(req), "due": thread.when(req.due_at)},
                    req=req,
                    actor=None,
                )
            sent += 1
    return sent


def escalation_deputy(req: Request) -> User | None:
    """Who an overdue request goes up to: the deputy head with the fewest open
    requests (not the assignee); failing one, the director."""
    deputies = selectors.deputies_by_load(exclude=[req.assignee_id])
    if deputies:
        return deputies[0]
    directors = [d for d in selectors.directors() if d.pk != req.assignee_id]
    return directors[0] if directors else None


def requests_escalate(now: dt.datetime | None = None) -> int:
    """R13: an open request past its due time goes up to a deputy head once
    (`escalated_at`, `escalated_to`), is recorded in the audit trail, and the
    deputy and the assignee are told. Returns how many were escalated."""
    now = now or timezone.now()
    overdue = (
        Request.objects.filter(
            status__in=Request.OPEN_STATUSES,
            escalated_at__isnull=True,
            due_at__lte=now,
        )
        .select_related("assignee")
        .order_by("due_at", "pk")
    )
    escalated = 0
    for req in overdue:
        deputy = escalation_deputy(req)
        if deputy is None:
            logger.warning("Request %s is overdue and nobody to escalate to", req.pk)
            continue
        with transaction.atomic():
            claimed = Request.objects.filter(
                pk=req.pk,
                escalated_at__isnull=True,
                status__in=Request.OPEN_STATUSES,
            ).update(escalated_at=now, escalated_to=deputy)
            if not claimed:
                continue
            req.escalated_at, req.escalated_to = now, deputy
            with thread.school_language():
                thread.add_message(
                    req,
                    kind=RequestMessage.Kind.ESCALATED,
                    author=None,
                    now=now,
                    to=deputy,
                )
                record(
                    actor=None,
                    actor_name=str(SYSTEM_NAME),
                    action=actions.ESCALATED,
                    target=req,
                    changes={
                        "escalated_to": str(deputy),
                        "assignee": str(req.assignee),
                        "due_at": thread.when(req.due_at),
                        "status": req.get_status_display(),
                    },
                )
                thread.tell(
                    [deputy, req.assignee],
                    kind=kinds.ESCALATED,
                    title=_("Request № %(number)s is overdue: %(topic)s")
                    % thread.title_params(req),
                    body=_(
                        "It was due %(due)s and is not answered. Assignee: "
                        "%(assignee)s. Under the control of: %(deputy)s."
                    )
                    % {
                        "due": thread.when(req.due_at),
                        "assignee": req.assignee.full_name,
                        "deputy": deputy.full_name,
                    },
                    req=req,
                    actor=None,
                )
            escalated += 1
    return escalated
