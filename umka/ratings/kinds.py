"""What may be rated (R13): each app registers its kinds of help from its own
`ratable.py`, so the ratings app never reads another app's tables.

    kinds.register(kinds.Kind(
        code="bookings.booking", label=_("Individual consultation"),
        candidates=held_bookings,   # (user, since, object_id) -> list[Ratable]
    ))

`candidates(user, since, object_id)` lists what `user` may rate that happened at
or after `since` (None: whenever; the service checks the school's rating period),
only the one object when `object_id` is given, with a constant number of queries.
`rate_url` is set when the app rates in its own page (requests rate the answer
in the request's thread); otherwise the ratings page does it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Ratable:
    """One piece of help that a person may rate."""

    kind: str
    object_id: int
    title: str
    #: The staff member who gave the help (a user id).
    staff_id: int
    #: When the help was given: the rating period runs from here.
    happened_at: dt.datetime
    #: The student it was for (None: a parent's group session).
    student_id: int | None
    #: The object's own page.
    url: str = ""


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    candidates: Callable[[object, dt.datetime | None, int | None], list[Ratable]]
    #: The page where this kind is rated, when not the ratings page.
    rate_url: Callable[[Ratable], str] | None = None


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _kinds[kind.code] = kind
    return kind


def get(code: str) -> Kind | None:
    return _kinds.get(code)


def all_kinds() -> list[Kind]:
    return list(_kinds.values())


def label(code: str) -> str:
    kind = _kinds.get(code)
    return str(kind.label) if kind else code
