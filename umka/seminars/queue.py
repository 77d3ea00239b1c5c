"""Seminar works in the teacher's queue «Проверить» (R6, R13): from the grading
phase each work waits for its two grades and the review, due
`School.review_days` working days after the grading began; a reminder a working
day before, escalation to a deputy head once overdue."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from umka.courses.queue_sources import ModelQueue
from umka.courses.review_queue import QueueItem
from umka.seminars.models import Phase, Work

FORM = _("Seminar")


class WorkQueue(ModelQueue):
    form = FORM
    space_field = "seminar__space"
    escalation_relation = "escalated_seminars_work"

    def pending(self):
        return Work.objects.filter(
            status=Work.Status.SUBMITTED,
            withdrawn_at__isnull=True,
            review_due_at__isnull=False,
            seminar__phase__in=(Phase.GRADING, Phase.CLOSED),
        ).select_related("seminar", "seminar__space", "author", "escalated_to")

    def item(self, row) -> QueueItem:
        return QueueItem(
            key=f"seminars.work:{row.pk}",
            form=FORM,
            space_title=row.seminar.space.title,
            title=row.seminar.title,
            student_name=row.author.full_name,
            submitted_at=row.submitted_at,
            review_due_at=row.review_due_at,
            url=reverse("seminars:grade", args=[row.pk]),
            late=row.late,
            escalated_to_name=row.escalated_to.full_name if row.escalated_to else "",
        )

    def about(self, row) -> tuple[str, str]:
        return row.seminar.title, row.author.short_name
