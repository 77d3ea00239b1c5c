"""A source of the queue «Проверить» over one model (R6, R13): the forms whose
waiting rows carry the queue's fields — `review_due_at`, `reminded_at`,
`escalated_at`, `escalated_to` — subclass `ModelQueue` and name what differs
(which rows wait, where their space is, how an item reads); the reminder a
working day before and the escalation to a deputy head once overdue are the
same for all.

    class WorkQueue(ModelQueue):
        form = _("Seminar")
        space_field = "seminar__space"
        escalation_relation = "escalated_seminar_works"
        def pending(self): ...      # the waiting rows, with what item() reads
        def item(self, row): ...    # -> QueueItem
        def about(self, row): ...   # -> (title, student) for the notices
    review_queue.register(WorkQueue())
"""

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.audit.services import record
from umka.core import clock
from umka.courses import audit_actions as actions
from umka.courses import notification_kinds as kinds
from umka.courses import policies
from umka.courses.deadlines import escalation_deputy, reminder_horizon
from umka.courses.models import SpaceTeacher
from umka.courses.review_queue import QueueItem
from umka.courses.sync import SYSTEM_NAME
from umka.notifications.services import notify


def _when(moment) -> str:
    return formats.date_format(clock.local(moment), "d.m.Y H:i")


def teachers_by_space(space_ids) -> dict[int, list[User]]:
    """The teachers of each space, one query."""
    found = defaultdict(list)
    for link in SpaceTeacher.objects.filter(space__in=space_ids).select_related(
        "teacher"
    ):
        found[link.space_id].append(link.teacher)
    return found


class ModelQueue:
    form: str | Promise = ""
    #: The lookup from a row to its course space («seminar__space»).
    space_field: str = ""
    #: The related name of the row's `escalated_to` (a deputy's open escalations).
    escalation_relation: str = ""

    def pending(self) -> QuerySet:
        raise NotImplementedError

    def item(self, row) -> QueueItem:
        raise NotImplementedError

    def about(self, row) -> tuple[str, str]:
        """(what, whose) for the notices: the work's title, the student's name."""
        raise NotImplementedError

    def space_id_of(self, row) -> int:
        value = row
        for step in self.space_field.split("__"):
            value = getattr(value, step)
        return value.pk

    # --- the registry's protocol -------------------------------------------------

    def waiting(self, teacher) -> list[QueueItem]:
        taught = policies.spaces_taught_by(teacher)
        rows = self.pending().filter(**{f"{self.space_field}__in": taught})
        return [self.item(row) for row in rows.order_by("review_due_at", "pk")]

    def overseen(self) -> list[QueueItem]:
        rows = self.pending().filter(review_due_at__lte=clock.now())
        return [self.item(row) for row in rows.order_by("review_due_at", "pk")]

    def remind(self, now) -> int:
        """One notice per teacher for the rows due within a working day."""
        due = list(
            self.pending().filter(
                reminded_at__isnull=True,
                review_due_at__gt=now,
                review_due_at__lte=reminder_horizon(now),
            )
        )
        with transaction.atomic():
            claimed = [
                row
                for row in due
                if self.pending()
                .filter(pk=row.pk, reminded_at__isnull=True)
                .update(reminded_at=now)
            ]
            teachers = teachers_by_space({self.space_id_of(r) for r in claimed})
            per_teacher = defaultdict(list)
            for row in claimed:
                for teacher in teachers[self.space_id_of(row)]:
                    per_teacher[teacher].append(row)
            with translation.override(settings.LANGUAGE_CODE):
                for teacher, rows in per_teacher.items():
                    first = min(r.review_due_at for r in rows)
                    notify(
                        recipients=[teacher],
                        kind=kinds.REVIEW_REMINDER,
                        title=_("Work to grade by %(when)s: %(count)s")
                        % {"when": _when(first), "count": len(rows)},
                        url=reverse("courses:queue"),
                    )
        return len(claimed)

    def escalate(self, now) -> int:
        """R13: each overdue row goes up once to the deputy head with the fewest
        open escalations of this form; the deputy and the teachers are told."""
        overdue = list(
            self.pending()
            .filter(escalated_at__isnull=True, review_due_at__lte=now)
            .order_by("review_due_at", "pk")
        )
        waiting = self.pending().values("pk")
        relation = self.escalation_relation
        escalated = defaultdict(list)
        for row in overdue:
            deputy = escalation_deputy(
                load=Count(
                    relation, filter=Q(**{f"{relation}__in": waiting}), distinct=True
                )
            )
            if deputy is None:
                continue
            with transaction.atomic():
                if (
                    not self.pending()
                    .filter(pk=row.pk, escalated_at__isnull=True)
                    .update(escalated_at=now, escalated_to=deputy)
                ):
                    continue
                record(
                    actor=None,
                    actor_name=str(SYSTEM_NAME),
                    action=actions.REVIEW_ESCALATED,
                    target=row,
                    changes={"to": deputy.full_name, "due": _when(row.review_due_at)},
                )
            escalated[deputy].append(row)
        teachers = teachers_by_space(
            {self.space_id_of(r) for rows in escalated.values() for r in rows}
        )
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            for deputy, rows in escalated.items():
                notify(
                    recipients=[deputy],
                    kind=kinds.REVIEW_ESCALATED,
                    title=_("Overdue reviews under your control: %(count)s")
                    % {"count": len(rows)},
                    url=reverse("courses:queue"),
                )
                for row in rows:
                    title, student = self.about(row)
                    notify(
                        recipients=teachers[self.space_id_of(row)],
                        kind=kinds.REVIEW_ESCALATED,
                        title=_("The review of «%(title)s» (%(student)s) is overdue")
                        % {"title": title, "student": student},
                        url=self.item(row).url,
                    )
        return sum(len(rows) for rows in escalated.values())
