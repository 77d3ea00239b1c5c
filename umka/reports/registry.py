"""What each app contributes to the administration's reports (R13), so this app
never reads another app's tables. Each app has a `report_sections.py` imported from
its `AppConfig.ready()`:

    registry.register(registry.Section("requests", _("Requests"), order=30,
                                       compute=requests_section))
    registry.register_attention(overdue_requests)

`compute(scope) -> Result` counts the app's records in the scope's period and
filters with a number of queries independent of the school's size; an attention
provider `(now) -> Iterable[Line]` lists what is overdue right now, each line a link
to the page where it is acted on.

Section codes in use: `consultations`, `attestation-checklists`, `bookings`,
`requests`, `deferred-work`, `materials`. Reserved: `low-rated-help` (low-rated
help with its comments, registered by the ratings).
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

RESERVED_CODES = frozenset({"low-rated-help"})


@dataclass(frozen=True)
class Scope:
    """A report's period [start, end) on the school's clock and its filters."""

    start: dt.datetime
    end: dt.datetime
    now: dt.datetime
    zone: dt.tzinfo
    staff: Any = None  # a User: organiser, assignee, author, reviewer
    subject: Any = None  # a school.Subject (the department: its teachers)
    school_class: Any = None  # a school.SchoolClass

    @property
    def first_day(self) -> dt.date:
        return self.start.astimezone(self.zone).date()

    @property
    def last_day(self) -> dt.date:
        return (self.end.astimezone(self.zone) - dt.timedelta(seconds=1)).date()


@dataclass(frozen=True)
class Figure:
    """One bar of a section's chart: a category and its count."""

    label: str | Promise
    value: float


@dataclass
class Result:
    """A section's figures: the chart's bars, a table and its totals row."""

    figures: list[Figure]
    columns: Sequence[str | Promise]
    rows: list[list] = field(default_factory=list)
    totals: list | None = None
    note: str | Promise = ""


@dataclass(frozen=True)
class Section:
    code: str
    title: str | Promise
    order: int
    compute: Callable[[Scope], Result]


@dataclass(frozen=True)
class Line:
    """Something overdue right now, with the page where it is acted on."""

    kind: str | Promise
    title: str
    detail: str | Promise
    due_at: dt.datetime | None
    url: str


_sections: dict[str, Section] = {}
_attention: list[Callable[[dt.datetime], Iterable[Line]]] = []


def register(section: Section) -> Section:
    _sections[section.code] = section
    return section


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.code))


def section(code: str) -> Section | None:
    return _sections.get(code)


def register_attention(
    provider: Callable[[dt.datetime], Iterable[Line]],
) -> Callable[[dt.datetime], Iterable[Line]]:
    if provider not in _attention:
        _attention.append(provider)
    return provider


def attention(now: dt.datetime) -> list[Line]:
    """Every provider's overdue lines, the longest overdue first."""
    lines = [line for provider in _attention for line in provider(now)]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(lines, key=lambda line: (line.due_at or far, str(line.title)))
