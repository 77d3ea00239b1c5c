"""Submissions in the teacher's queue «Проверить» (R6, R13): waiting for a grade
and review, due `School.review_days` working days after they came in; a reminder
a working day before, escalation to a deputy head once overdue."""

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from umka.accounts.models import User
from umka.assignments.models import Submission
from umka.assignments.services import when
from umka.audit.services import record
from umka.core import clock
from umka.courses import audit_actions as course_actions
from umka.courses import notification_kinds as kinds
from umka.courses import policies as spaces
from umka.courses.deadlines import escalation_deputy, reminder_horizon
from umka.courses.models import SpaceTeacher
from umka.courses.review_queue import QueueItem
from umka.courses.sync import SYSTEM_NAME
from umka.notifications.services import notify

FORM = gettext_lazy("E-assignment")


def _items(submissions) -> list[QueueItem]:
    return [
        QueueItem(
            key=f"assignments.submission:{s.pk}",
            form=FORM,
            space_title=s.assignment.space.title,
            title=s.assignment.title,
            student_name=s.student.full_name,
            submitted_at=s.submitted_at,
            review_due_at=s.review_due_at,
            url=reverse("assignments:grade", args=[s.pk]),
            late=s.late,
            escalated_to_name=s.escalated_to.full_name if s.escalated_to else "",
        )
        for s in submissions
    ]


def _waiting():
    return Submission.objects.filter(status=Submission.Status.WAITING).select_related(
        "assignment", "assignment__space", "student", "escalated_to"
    )


def _teachers_by_space(space_ids) -> dict[int, list[User]]:
    found = defaultdict(list)
    for link in SpaceTeacher.objects.filter(space__in=space_ids).select_related(
        "teacher"
    ):
        found[link.space_id].append(link.teacher)
    return found


class SubmissionQueue:
    def waiting(self, teacher) -> list[QueueItem]:
        return _items(
            _waiting()
            .filter(assignment__space__in=spaces.spaces_taught_by(teacher))
            .order_by("submitted_at", "pk")
        )

    def overseen(self) -> list[QueueItem]:
        return _items(
            _waiting()
            .filter(review_due_at__lte=clock.now())
            .order_by("review_due_at", "pk")
        )

    def remind(self, now) -> int:
        """One notice per teacher for the work due within a working day."""
        due = list(
            _waiting().filter(
                reminded_at__isnull=True,
                review_due_at__gt=now,
                review_due_at__lte=reminder_horizon(now),
            )
        )
        with transaction.atomic():
            claimed = [
                s
                for s in due
                if Submission.objects.filter(pk=s.pk, reminded_at__isnull=True).update(
                    reminded_at=now
                )
            ]
            teachers = _teachers_by_space({s.assignment.space_id for s in claimed})
            per_teacher = defaultdict(list)
            for s in claimed:
                for teacher in teachers[s.assignment.space_id]:
                    per_teacher[teacher].append(s)
            with translation.override(settings.LANGUAGE_CODE):
                for teacher, works in per_teacher.items():
                    first = min(s.review_due_at for s in works)
                    notify(
                        recipients=[teacher],
                        kind=kinds.REVIEW_REMINDER,
                        title=_("Work to grade by %(when)s: %(count)s")
                        % {"when": when(first), "count": len(works)},
                        url=reverse("courses:queue"),
                    )
        return len(claimed)

    def escalate(self, now) -> int:
        """R13: each overdue submission goes up once to the deputy head with the
        fewest overdue reviews; the deputy and the teachers are told."""
        overdue = list(
            _waiting()
            .filter(escalated_at__isnull=True, review_due_at__lte=now)
            .order_by("review_due_at", "pk")
        )
        escalated = defaultdict(list)
        for s in overdue:
            deputy = escalation_deputy(
                load=Count(
                    "escalated_submissions",
                    filter=Q(escalated_submissions__status=Submission.Status.WAITING),
                    distinct=True,
                )
            )
            if deputy is None:
                continue
            with transaction.atomic():
                if not Submission.objects.filter(
                    pk=s.pk, escalated_at__isnull=True, status=Submission.Status.WAITING
                ).update(escalated_at=now, escalated_to=deputy):
                    continue
                record(
                    actor=None,
                    actor_name=str(SYSTEM_NAME),
                    action=course_actions.REVIEW_ESCALATED,
                    target=s,
                    changes={"to": deputy.full_name, "due": when(s.review_due_at)},
                )
            escalated[deputy].append(s)
        teachers = _teachers_by_space(
            {s.assignment.space_id for works in escalated.values() for s in works}
        )
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            for deputy, works in escalated.items():
                notify(
                    recipients=[deputy],
                    kind=kinds.REVIEW_ESCALATED,
                    title=_("Overdue reviews under your control: %(count)s")
                    % {"count": len(works)},
                    url=reverse("courses:queue"),
                )
                for s in works:
                    notify(
                        recipients=teachers[s.assignment.space_id],
                        kind=kinds.REVIEW_ESCALATED,
                        title=_("The review of «%(title)s» (%(student)s) is overdue")
                        % {
                            "title": s.assignment.title,
                            "student": s.student.short_name,
                        },
                        url=reverse("assignments:grade", args=[s.pk]),
                    )
        return sum(len(works) for works in escalated.values())
