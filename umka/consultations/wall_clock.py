"""How a consultation's times read — the one way every output reads them (R8).

The stored instants are the truth: `Occurrence.starts_at` / `ends_at` (and
`moved_from`). Every output — the public list and its sessions view, the print form
and the PDF, the embed, the iCalendar feeds, the staff pages, the schedule board and
the frozen rows of a version — shows them on the school's wall clock
(`umka.core.clock`), never `Consultation.start_time`, which only records what was
typed when planning.

A consultation's regular slot, as the appendix's row prints it («вторник,
15:00–15:45»), is that of its last session as planned (before any move): the sessions
of a recurring consultation share it, and when the school changes its time zone the
sessions still to come keep their wall-clock time (`time_zone.py`), the last one
among them.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from umka.consultations.models import Consultation, Occurrence
from umka.core import clock


@dataclass(frozen=True)
class Slot:
    """A consultation's day and time on the school's clock."""

    starts: dt.datetime
    ends: dt.datetime

    @property
    def weekday(self) -> int:
        return self.starts.weekday()

    @property
    def time_text(self) -> str:
        """«15:00–15:45»."""
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"


def planned_at(occurrence) -> dt.datetime:
    """Where a session was planned before any move."""
    return occurrence.moved_from or occurrence.starts_at


def last_planned(occurrences: Iterable) -> dt.datetime | None:
    """The latest planned start among `occurrences` (any status)."""
    return max((planned_at(o) for o in occurrences), default=None)


def last_planned_subquery() -> Subquery:
    """`last_planned` as an annotation of a Consultation queryset (no extra query)."""
    return Subquery(
        Occurrence.objects.filter(consultation=OuterRef("pk"))
        .annotate(planned=Coalesce("moved_from", "starts_at"))
        .order_by("-planned")
        .values("planned")[:1]
    )


def slot(consultation: Consultation, last: dt.datetime | None) -> Slot:
    """The regular slot of `consultation` whose last planned session starts at
    `last` (a consultation without sessions falls back to what was typed)."""
    minutes = dt.timedelta(minutes=consultation.duration_minutes)
    if last is None:
        starts = clock.at(consultation.starts_on, consultation.start_time)
    else:
        starts = clock.local(last)
    return Slot(starts, starts + minutes)


def session_times(occurrence: Occurrence) -> tuple[dt.datetime, dt.datetime]:
    """A session's start and end on the school's clock."""
    return clock.local(occurrence.starts_at), clock.local(occurrence.ends_at)


def dates_text(consultation: Consultation) -> str:
    """«17.11.2026», or «каждую неделю, 17.11–28.12.2026» (the appendix's dates)."""
    c = consultation
    if c.recurrence == Consultation.Recurrence.ONCE:
        return f"{c.starts_on:%d.%m.%Y}"
    step = (
        _("every week")
        if c.recurrence == Consultation.Recurrence.WEEKLY
        else _("every two weeks")
    )
    return _("%(step)s, %(start)s–%(end)s") % {
        "step": step,
        "start": f"{c.starts_on:%d.%m}",
        "end": f"{c.repeat_until or c.starts_on:%d.%m.%Y}",
    }
