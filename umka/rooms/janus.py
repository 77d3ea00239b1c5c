"""A small client of the Janus admin API: create and destroy VideoRooms, on one
Janus host or on the least loaded of a pool.

Django creates one Janus VideoRoom per live room through the admin API's
``message_plugin`` request (HTTP, the host's admin URL, authenticated by
``settings.JANUS_ADMIN_SECRET``); browsers then join it with the room's PIN.

The hosts are ``settings.JANUS_POOL`` («browser URL|admin URL», one a host) or,
without it, the one host ``JANUS_URL`` / ``JANUS_ADMIN_URL``. A new media room
goes to the host with the fewest sessions (each browser holds one — a webinar's
viewers too — so it counts people, not rooms; then the fewest rooms), asked with
``list_sessions`` and the VideoRoom's ``list`` when there is more than one host;
a host that does not answer is tried last.
Plain ``urllib``: no dependency, a few seconds of timeout, every failure raised as
``JanusError``.

Janus answers a ``message_plugin`` with HTTP 200 and either
``{"janus": "error", "error": {"code", "reason"}}`` (core: wrong admin secret,
unknown plugin, bad JSON) or ``{"janus": "success", "response": {...}}`` where the
plugin's own answer is ``{"videoroom": "created" | "destroyed" | "success", ...}``
or ``{"videoroom": "event", "error_code": 427, "error": "Room 1 already exists"}``.
"""

import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

PLUGIN = "janus.plugin.videoroom"
TIMEOUT_SECONDS = 5
#: Asking a pool's hosts for their load comes before a room is made: a host that
#: hangs is passed over sooner.
LOAD_TIMEOUT_SECONDS = 2
# VideoRoom's own error codes we name (janus_videoroom.c)
NO_SUCH_ROOM = 426
ROOM_EXISTS = 427
# Video bitrate cap per publisher (bits/s): enough for a face or a whiteboard.
DEFAULT_BITRATE = 512_000


class JanusError(Exception):
    """Janus could not be reached or refused a request."""

    def __init__(self, message: str, *, code: int | None = None):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Host:
    """One Janus: where browsers reach its API, where Umka reaches its admin API."""

    url: str
    admin_url: str


def hosts() -> list[Host]:
    """The Janus hosts rooms may be placed on (JANUS_POOL, else JANUS_URL)."""
    pool = []
    for item in getattr(settings, "JANUS_POOL", None) or []:
        url, _, admin_url = item.partition("|")
        if url.strip() and admin_url.strip():
            pool.append(Host(url.strip(), admin_url.strip()))
    if pool:
        return pool
    url = getattr(settings, "JANUS_URL", "")
    return [Host(url, settings.JANUS_ADMIN_URL)] if url else []


def is_configured() -> bool:
    """Janus is used when a host is configured (JANUS_URL or JANUS_POOL)."""
    return bool(hosts())


def host_for(admin_url: str) -> Host | None:
    """The configured host of a room (by the admin URL it was created on); a room
    made before the pool (no host kept) is on the one JANUS_URL."""
    configured = hosts()
    if not admin_url:
        return configured[0] if configured else None
    return next((h for h in configured if h.admin_url == admin_url), None)


def load(host: Host) -> tuple[int, int]:
    """(sessions, VideoRooms) on a host now; JanusError if it does not answer."""
    sessions = _core_call({"janus": "list_sessions"}, host)
    rooms = _call(
        {"request": "list", "admin_key": _admin_key()},
        host=host,
        timeout=LOAD_TIMEOUT_SECONDS,
    )
    return len(sessions.get("sessions") or []), len(rooms.get("list") or [])


def by_load() -> list[Host]:
    """The hosts, least loaded first; those that do not answer last (in their
    configured order). One host is not asked."""
    configured = hosts()
    if len(configured) < 2:
        return configured
    answered, silent = [], []
    for index, host in enumerate(configured):
        try:
            answered.append((load(host), index, host))
        except JanusError:
            silent.append(host)
    return [host for _load, _index, host in sorted(answered)] + silent


def _admin_key() -> str:
    # The VideoRoom plugin's admin_key (janus.plugin.videoroom.jcfg): the same
    # value as the admin secret unless a setting of its own is given.
    return (
        getattr(settings, "JANUS_VIDEOROOM_ADMIN_KEY", "")
        or settings.JANUS_ADMIN_SECRET
    )


def _post(
    body: dict, host: Host | None, what: str, timeout: float = TIMEOUT_SECONDS
) -> dict:
    """POST one admin API request; its JSON answer, core errors raised."""
    url = host.admin_url if host else settings.JANUS_ADMIN_URL
    body = {
        **body,
        "transaction": secrets.token_hex(8),
        "admin_secret": settings.JANUS_ADMIN_SECRET,
    }
    http_request = urllib.request.Request(  # noqa: S310 (the configured admin URL)
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 (the configured admin URL)
            http_request, timeout=timeout
        ) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        raise JanusError(
            f"Janus admin API at {url} answered HTTP {error.code} to {what!r}"
        ) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise JanusError(
            f"Janus admin API at {url} is unreachable ({reason}) for {what!r}"
        ) from error
    try:
        answer = json.loads(raw)
    except ValueError as error:
        raise JanusError(
            f"Janus admin API at {url} answered non-JSON to {what!r}"
        ) from error
    if not isinstance(answer, dict):
        raise JanusError(f"Janus admin API at {url} answered {answer!r} to {what!r}")
    if answer.get("janus") == "error":
        error = answer.get("error") or {}
        code = error.get("code")
        raise JanusError(
            f"Janus refused {what!r}: {error.get('reason', 'unknown error')}"
            f" (code {code})",
            code=code,
        )
    return answer


def _core_call(request: dict, host: Host | None = None) -> dict:
    """A request of Janus' core admin API (``list_sessions``…), asked quickly."""
    answer = _post(request, host, request["janus"], LOAD_TIMEOUT_SECONDS)
    if answer.get("janus") != "success":
        raise JanusError(f"Janus answered {request['janus']!r} unexpectedly")
    return answer


def _call(
    request: dict, *, host: Host | None = None, timeout: float = TIMEOUT_SECONDS
) -> dict:
    """Send one VideoRoom request through the admin API; return the plugin's answer.

    Raises JanusError when Janus is unreachable, answers something unexpected, or
    the core or the plugin reports an error.
    """
    what = request.get("request")
    answer = _post(
        {"janus": "message_plugin", "plugin": PLUGIN, "request": request},
        host,
        what,
        timeout,
    )
    response = answer.get("response")
    if answer.get("janus") != "success" or not isinstance(response, dict):
        raise JanusError(f"Janus answered {what!r} unexpectedly: {answer!r}")
    if "error_code" in response or "error" in response:
        code = response.get("error_code")
        reason = response.get("error", "unknown error")
        raise JanusError(
            f"Janus VideoRoom refused {what!r}: {reason} (code {code})",
            code=code,
        )
    return response


def create_room(
    room_id: int,
    *,
    secret: str,
    pin: str,
    description: str,
    publishers: int,
    bitrate: int = DEFAULT_BITRATE,
    host: Host | None = None,
) -> None:
    """Create a private, non-permanent VideoRoom (on `host`, else JANUS_ADMIN_URL);
    JanusError if it exists already."""
    response = _call(
        {
            "request": "create",
            "admin_key": _admin_key(),
            "room": room_id,
            "secret": secret,
            "pin": pin,
            "description": description[:100],
            "publishers": publishers,
            "is_private": True,
            "permanent": False,
            "bitrate": bitrate,
            "record": False,
        },
        host=host,
    )
    if response.get("videoroom") != "created":
        raise JanusError(f"Janus did not create room {room_id}: {response!r}")


def destroy_room(room_id: int, *, secret: str, host: Host | None = None) -> None:
    """Destroy a VideoRoom (everyone in it is disconnected)."""
    response = _call(
        {"request": "destroy", "room": room_id, "secret": secret, "permanent": False},
        host=host,
    )
    if response.get("videoroom") != "destroyed":
        raise JanusError(f"Janus did not destroy room {room_id}: {response!r}")


def room_exists(room_id: int, host: Host | None = None) -> bool:
    response = _call({"request": "exists", "room": room_id}, host=host)
    return bool(response.get("exists"))
