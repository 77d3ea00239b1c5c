"""Requests about a student and their answers for the help ledger
(`umka.ledger.sources`). Two queries: the requests, and their answers."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from umka.ledger import sources
from umka.requests.models import Request, RequestMessage


def requests_answered(student, start, end) -> list[sources.Entry]:
    answers = RequestMessage.objects.filter(kind=RequestMessage.Kind.ANSWER).order_by(
        "created_at", "pk"
    )
    found = (
        Request.objects.filter(
            student=student, created_at__gte=start, created_at__lt=end
        )
        .select_related("answered_by", "assignee")
        .prefetch_related(Prefetch("messages", queryset=answers, to_attr="answers"))
    )
    entries = []
    for req in found:
        staff = req.answered_by or req.assignee
        detail = "\n".join(m.text for m in req.answers if m.text)
        if not detail:
            detail = req.get_status_display()
        entries.append(
            sources.Entry(
                kind=_("Request"),
                happened_at=req.created_at,
                title=str(req),
                staff=staff.full_name if staff else "",
                detail=detail,
                url=req.get_absolute_url(),
            )
        )
    return entries


sources.register(requests_answered)
