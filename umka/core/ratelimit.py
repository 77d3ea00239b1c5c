"""How often one person may do a thing: counters on the cache, shared by every app.

A rate is written «N/period» (`"10/h"`, `"5/10m"`, `"30/d"`); the settings name one
per action (`RATE_LIMITS`). Counting is a fixed window that starts with the first
attempt. A cache that cannot answer lets the action through: a limit must never
take a page down (the chat's own limit in `umka.rooms.consumers` is per connection
and needs no cache).

    from umka.core import ratelimit

    ratelimit.enforce(action="requests.create", who=actor, request=request)

`enforce` raises `RateLimited` (a `DomainError`, so forms show it next to what was
typed); the first refusal of a window is handed to the recorders registered with
`on_refusal` (umka.signin writes it to the audit trail).
"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

from umka.core.errors import DomainError

logger = logging.getLogger(__name__)

RATE_LIMITED = "core.rate_limited"

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse(text: str) -> Rate:
    """«10/h» → Rate(10, 3600); «5/10m» → Rate(5, 600)."""
    match = _RATE.match(text or "")
    if not match:
        raise ValueError(f"Not a rate: {text!r} (write it as 10/h, 5/10m, 30/d)")
    count, multiple, unit = match.groups()
    return Rate(int(count), int(multiple or 1) * _UNITS[unit])


def rate_for(action: str) -> Rate | None:
    """The configured rate of `action`, or None when it is not limited."""
    text = getattr(settings, "RATE_LIMITS", {}).get(action)
    return parse(text) if text else None


def _key(action: str, who) -> str:
    ident = getattr(who, "pk", who)
    return f"ratelimit:{action}:{ident}"


def hit(action: str, who, rate: Rate) -> int:
    """Count one attempt of `who` (a user, or any short text such as an address)
    and return how many there were in the window; 0 when the cache is away."""
    key = _key(action, who)
    try:
        cache.add(key, 0, rate.seconds)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, rate.seconds)
            return 1
    except Exception:  # a cache that cannot answer is no reason to refuse
        logger.warning("rate limit %s: the cache did not answer", action)
        return 0


def count(action: str, who) -> int:
    """Attempts counted so far in the current window (0 when none or no cache)."""
    try:
        return int(cache.get(_key(action, who)) or 0)
    except Exception:
        return 0


def reset(action: str, who) -> None:
    try:
        cache.delete(_key(action, who))
    except Exception:
        logger.warning("rate limit %s: the cache did not answer", action)


def once_per(key: str, seconds: int) -> bool:
    """True the first time `key` is seen in `seconds` (e.g. one audit entry an
    hour); True as well when the cache cannot answer."""
    try:
        return bool(cache.add(f"once:{key}", 1, seconds))
    except Exception:
        return True


# Who writes a refusal down (the audit trail, registered by umka.signin): core
# imports no app.
_recorders: list[Callable[..., None]] = []


def on_refusal(recorder: Callable[..., None]) -> None:
    """Call `recorder(who=, actor=, action=, rate=, request=)` on the first refusal
    of each window."""
    if recorder not in _recorders:
        _recorders.append(recorder)


class RateLimited(DomainError):
    """Too many attempts: the message says when to try again."""


def _refusal(rate: Rate) -> RateLimited:
    minutes = max(1, round(rate.seconds / 60))
    return RateLimited(
        ngettext(
            "Too many attempts in a short time. Please try again in %(minutes)s "
            "minute; what you wrote is kept.",
            "Too many attempts in a short time. Please try again in %(minutes)s "
            "minutes; what you wrote is kept.",
            minutes,
        )
        % {"minutes": minutes},
        code="rate_limited",
    )


def enforce(*, action: str, who, request=None, actor=None) -> None:
    """Count an attempt at `action` by `who` and raise `RateLimited` when over the
    configured rate. The first refusal of a window goes to the audit trail.

    Only what comes through the site is counted (`request` given): the demo
    loader, imports and tasks call the same services without one. Call it outside
    the service's transaction, so the audit entry is kept when the refusal rolls
    the rest back.
    """
    rate = rate_for(action)
    if rate is None or request is None:
        return
    done = hit(action, who, rate)
    if done <= rate.count:
        return
    if done == rate.count + 1:
        for recorder in _recorders:
            recorder(who=who, actor=actor, action=action, rate=rate, request=request)
    raise _refusal(rate)
