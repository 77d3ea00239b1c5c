"""The school's clock («часы школы»): now, today and wall-clock time of the school.

Domain code asks this module for «today» and for local times and never reads the
active (ambient) time zone: a Huey worker, a management command or a Channels
consumer runs with the server's `TIME_ZONE`, which may be another zone than the
school's. The school's zone is read from the `School` row every time (cached): the
school app installs that source at start-up (`set_zone_source`), so this module, at
the bottom of the house, imports no app.

Entry points still enter `school_time()` — the web middleware, every Huey task, every
Umka management command and the WebSocket application — so that what they *render*
(templates, forms, e-mail) shows the school's wall clock as well.
"""

import contextlib
import contextvars
import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable, Iterator

from django.conf import settings
from django.utils import timezone

from umka.core import time_zones

logger = logging.getLogger(__name__)

#: The school's zone as read when an entry point entered `school_time()` (one read
#: per request or task instead of one per formatted time), or the zone being moved
#: to while a change of the school's zone is saved.
_entered: contextvars.ContextVar[zoneinfo.ZoneInfo | None] = contextvars.ContextVar(
    "umka_school_zone", default=None
)


def zone() -> zoneinfo.ZoneInfo:
    """The school's time zone."""
    if (entered := _entered.get()) is not None:
        return entered
    return _read_zone()


def _no_school() -> str | None:
    return None


#: Returns the name of the school's zone, or None before a school exists.
_zone_source: Callable[[], str | None] = _no_school


def set_zone_source(source: Callable[[], str | None]) -> None:
    """Where the school's zone comes from (the school app's `ready()` sets it)."""
    global _zone_source
    _zone_source = source


def _read_zone() -> zoneinfo.ZoneInfo:
    """The school's zone from its source. The model refuses an unknown zone; a row
    written around it (raw SQL, an old backup) is reported in the log and by
    `manage.py check` — never silently."""
    name = _zone_source()
    if name is None:
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)
    try:
        return time_zones.zone_info(name)
    except time_zones.UnknownTimeZone:
        logger.error(
            "The school's time zone %r is not a known time zone; using %s. "
            "Choose the school's zone in the back office.",
            name,
            settings.TIME_ZONE,
        )
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def now() -> dt.datetime:
    """The current instant (aware, UTC); tests move it by patching timezone.now."""
    return timezone.now()


def today() -> dt.date:
    """Today's date on the school's wall clock."""
    return timezone.localtime(now(), zone()).date()


def local(moment: dt.datetime) -> dt.datetime:
    """An instant on the school's wall clock."""
    return timezone.localtime(moment, zone())


def local_date(moment: dt.datetime) -> dt.date:
    """The school's calendar day of an instant."""
    return local(moment).date()


def at(day: dt.date, time: dt.time, tz: dt.tzinfo | None = None) -> dt.datetime:
    """The instant of a wall-clock date and time in the school's zone (or `tz`)."""
    return dt.datetime.combine(day, time, tzinfo=tz or zone())


def day_start(day: dt.date, tz: dt.tzinfo | None = None) -> dt.datetime:
    """Midnight at the start of a school day, as an aware instant."""
    return at(day, dt.time.min, tz)


@contextlib.contextmanager
def school_time() -> Iterator[zoneinfo.ZoneInfo]:
    """Enter the school's clock: what runs inside reads the zone once, and renders
    (templates, forms, e-mail) on the school's wall clock. Every entry point enters
    it: the web middleware, each Huey task, each Umka management command."""
    tz = _read_zone()
    token = _entered.set(tz)
    try:
        with timezone.override(tz):
            yield tz
    finally:
        _entered.reset(token)


@contextlib.contextmanager
def changing_zone(new_zone: zoneinfo.ZoneInfo) -> Iterator[None]:
    """Inside a change of the school's zone: the clock already runs on the new one."""
    token = _entered.set(new_zone)
    try:
        with timezone.override(new_zone):
            yield
    finally:
        _entered.reset(token)
