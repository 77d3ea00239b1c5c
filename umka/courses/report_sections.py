"""Overdue reviews of deferred work (every form that feeds the queue «Проверить»)
on the administration's dashboard «Требует внимания» (R13)."""

from django.utils.translation import gettext_lazy as _

from umka.courses import review_queue
from umka.reports import registry

ATTENTION_LIMIT = 100


def overdue_reviews(now):
    for item in review_queue.overdue_overseen()[:ATTENTION_LIMIT]:
        yield registry.Line(
            kind=_("Review overdue"),
            title=f"{item.title} · {item.student_name}",
            detail=item.space_title,
            due_at=item.review_due_at,
            url=item.url,
        )


registry.register_attention(overdue_reviews)
