"""Fetch and authorise in one step: one 404 for what is missing and what is forbidden.

Each app's `policies.py` has `access_<thing>(user, pk, ...)` built on this (Zulip's
`access_stream_by_id`): a view calls it instead of fetching a row and checking a
policy itself, so nobody can tell a forbidden row from a missing one and no view
forgets the check.

    def access_booking(user, pk) -> Booking:
        return get_visible_or_404(bookings_visible_to(user), pk=pk)
"""

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def get_visible_or_404(visible: QuerySet[M], **lookup) -> M:
    """The one row of `visible` (the user's queryset from a policy) matching
    `lookup`; Http404 when there is none — missing or not the user's to see."""
    try:
        return visible.get(**lookup)
    except (ObjectDoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def require(allowed: bool) -> None:
    """Raise Http404 unless a policy allowed it (for pages of no single row)."""
    if not allowed:
        raise Http404
