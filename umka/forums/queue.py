"""Graded discussions in the teacher's queue «Проверить» (R6, R13): when the
period ends each student who posted waits for a grade and a review, due
`School.review_days` working days later; a reminder, then the escalation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from umka.courses.queue_sources import ModelQueue
from umka.courses.review_queue import QueueItem
from umka.forums.models import DiscussionGrade

FORM = _("Forum discussion")


class DiscussionQueue(ModelQueue):
    form = FORM
    space_field = "discussion__forum__space"
    escalation_relation = "escalated_forums_discussiongrade"

    def pending(self):
        return DiscussionGrade.objects.filter(
            status=DiscussionGrade.Status.WAITING
        ).select_related(
            "discussion", "discussion__forum__space", "student", "escalated_to"
        )

    def item(self, row) -> QueueItem:
        return QueueItem(
            key=f"forums.discussion:{row.pk}",
            form=FORM,
            space_title=row.discussion.forum.space.title,
            title=row.discussion.title,
            student_name=row.student.full_name,
            submitted_at=row.came_in_at,
            review_due_at=row.review_due_at,
            url=reverse("forums:grade", args=[row.pk]),
            escalated_to_name=row.escalated_to.full_name if row.escalated_to else "",
        )

    def about(self, row) -> tuple[str, str]:
        return row.discussion.title, row.student.short_name
