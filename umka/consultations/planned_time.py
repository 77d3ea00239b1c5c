"""Other apps' planned time of a staff member, for the R7 limits and clash checks.

Consultation sessions are counted by `rules` directly; an app with its own planned
time (e.g. individual booking windows) registers a provider here, so planning a
consultation counts its windows and opening a window counts the consultations:

    def windows(organiser, start, end, exclude) -> list[Planned]: ...
    planned_time.register(windows)

`exclude` holds keys (e.g. "bookings.window:12") of items being replaced.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Planned:
    key: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    label: str


Provider = Callable[
    [object, dt.datetime, dt.datetime, frozenset[str]], Iterable[Planned]
]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def other_planned(
    organiser, start: dt.datetime, end: dt.datetime, exclude: Iterable[str] = ()
) -> list[Planned]:
    """Planned time of `organiser` overlapping [start, end) from every provider."""
    excluded = frozenset(exclude)
    found: list[Planned] = []
    for provider in _providers:
        found.extend(
            p
            for p in provider(organiser, start, end, excluded)
            if p.key not in excluded and p.starts_at < end and start < p.ends_at
        )
    return found
