"""Answered requests as help to rate (R13). The author rates the answer in the
request's own thread (`services.request_rate`), which keeps the rating in the
common table too; here the ratings app learns what may be rated and where."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from umka.ratings import kinds
from umka.requests.models import Request

KIND = "requests.request"


def as_ratable(req: Request) -> kinds.Ratable:
    return kinds.Ratable(
        kind=KIND,
        object_id=req.pk,
        title=str(req)[:300],
        staff_id=req.answered_by_id or req.assignee_id,
        happened_at=req.answered_at,
        student_id=req.student_id,
        url=req.get_absolute_url(),
    )


def answered_requests(user, since, object_id) -> list[kinds.Ratable]:
    if not user.is_authenticated:
        return []
    answered = Request.objects.filter(
        Q(status=Request.Status.ANSWERED) | Q(status=Request.Status.CLOSED),
        author=user,
        answered_at__isnull=False,
    )
    if since is not None:
        answered = answered.filter(answered_at__gte=since)
    if object_id is not None:
        answered = answered.filter(pk=object_id)
    return [as_ratable(req) for req in answered[:200]]


kinds.register(
    kinds.Kind(
        code=KIND,
        label=_("Answer to a request"),
        candidates=answered_requests,
        rate_url=lambda item: item.url + "#rate-form",
    )
)
