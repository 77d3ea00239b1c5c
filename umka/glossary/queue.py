"""Proposed glossary terms in the teacher's queue «Проверить» (R6, R13): each
waits for approval or return, due `School.review_days` working days after it
was proposed (or corrected); a reminder, then the escalation to a deputy."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from umka.courses.queue_sources import ModelQueue
from umka.courses.review_queue import QueueItem
from umka.glossary.models import Entry

FORM = _("Glossary")


class EntryQueue(ModelQueue):
    form = FORM
    space_field = "space"
    escalation_relation = "escalated_glossary_entry"

    def pending(self):
        return Entry.objects.filter(
            status=Entry.Status.PROPOSED, review_due_at__isnull=False
        ).select_related("space", "author", "escalated_to")

    def item(self, row) -> QueueItem:
        return QueueItem(
            key=f"glossary.entry:{row.pk}",
            form=FORM,
            space_title=row.space.title,
            title=row.term,
            student_name=row.author.full_name,
            submitted_at=row.updated_at,
            review_due_at=row.review_due_at,
            url=reverse("glossary:decide", args=[row.pk]),
            escalated_to_name=row.escalated_to.full_name if row.escalated_to else "",
        )

    def about(self, row) -> tuple[str, str]:
        return row.term, row.author.short_name
