"""What other apps do when the school changes its time zone («смена часового пояса»).

A consultation planned for 15:00 stays at 15:00 on the school's wall clock in the new
zone: its instants are recomputed and the change is an amendment its audience is told
about. Each app that stores planned instants registers a handler here (a registry, so
the school app imports none of them):

    def reanchor(*, actor, old_zone, new_zone, request) -> int: ...  # things moved
    zone_change.register(reanchor)

Handlers run inside the transaction that saves the new zone; one that raises undoes
the whole change.
"""

import datetime as dt
import zoneinfo
from collections.abc import Callable

Handler = Callable[..., int]
_handlers: list[Handler] = []


def register(handler: Handler) -> Handler:
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def reanchor_all(
    *, actor, old_zone: zoneinfo.ZoneInfo, new_zone: zoneinfo.ZoneInfo, request=None
) -> dict[str, int]:
    """Run every handler; returns how many things each moved, by handler name."""
    return {
        f"{h.__module__}.{h.__qualname__}": h(
            actor=actor, old_zone=old_zone, new_zone=new_zone, request=request
        )
        for h in _handlers
    }


def same_wall_clock(
    moment: dt.datetime, old_zone: dt.tzinfo, new_zone: dt.tzinfo
) -> dt.datetime:
    """The instant that shows in `new_zone` the wall-clock time `moment` showed in
    `old_zone` (15:00 Moscow → 15:00 Vladivostok)."""
    wall = moment.astimezone(old_zone).replace(tzinfo=None)
    return wall.replace(tzinfo=new_zone).astimezone(dt.UTC)
