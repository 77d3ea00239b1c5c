"""Quiet hours: no e-mail to students and parents from 19:00 to 08:00 local time
unless they allow it; such e-mail waits for 08:00."""

import datetime as dt
from zoneinfo import ZoneInfo

from umka.accounts.models import Role

QUIET_FROM = dt.time(19, 0)
QUIET_UNTIL = dt.time(8, 0)

#: A reminder moved out of the quiet hours goes this long before they begin, so the
#: periodic task that sends it (every 5 minutes) runs before 19:00.
REMINDER_MARGIN = dt.timedelta(minutes=15)

#: People protected by the quiet hours (unless they opt in to evening e-mail).
QUIET_ROLES = frozenset({Role.STUDENT, Role.PARENT})


def deliver_at(now: dt.datetime, tz: ZoneInfo, quiet: bool) -> dt.datetime:
    """When an e-mail due at `now` may go out.

    With `quiet`, a moment in [19:00, 08:00) of the school's local time moves to the
    next 08:00 (tomorrow's after 19:00, today's after midnight); otherwise `now`.
    The result is aware; 08:00 is taken on the local wall clock, so it stays 08:00
    across a DST change.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("deliver_at() needs an aware datetime")
    if not quiet:
        return now
    local = now.astimezone(tz)
    if local.time() >= QUIET_FROM:
        day = local.date() + dt.timedelta(days=1)
    elif local.time() < QUIET_UNTIL:
        day = local.date()
    else:
        return now
    return dt.datetime.combine(day, QUIET_UNTIL, tzinfo=tz)


def is_quiet_for(roles, evening_email: bool) -> bool:
    """Whether the quiet hours apply to a person with these roles.

    A person who is both staff and a parent is protected too (the notice may be
    about their child); they may opt in like any parent.
    """
    return not evening_email and bool(QUIET_ROLES & set(roles))


def remind_at(due: dt.datetime, tz: ZoneInfo, quiet: bool) -> dt.datetime:
    """When a reminder due at `due` (e.g. an hour before an event) is sent.

    With `quiet`, a reminder that falls in [19:00, 08:00) of the local time is sent
    before the quiet hours begin — at 18:45 of the evening they begin — never after
    the event it reminds of; otherwise `due`. The result is aware.
    """
    if due.tzinfo is None or due.utcoffset() is None:
        raise ValueError("remind_at() needs an aware datetime")
    if not quiet:
        return due
    local = due.astimezone(tz)
    if local.time() >= QUIET_FROM:
        evening = local.date()
    elif local.time() < QUIET_UNTIL:
        evening = local.date() - dt.timedelta(days=1)
    else:
        return due
    starts = dt.datetime.combine(evening, QUIET_FROM, tzinfo=tz)
    return starts - REMINDER_MARGIN
