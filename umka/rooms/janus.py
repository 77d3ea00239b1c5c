"""A small client of the Janus admin API: create and destroy VideoRooms.

Django creates one Janus VideoRoom per live room through the admin API's
``message_plugin`` request (HTTP, ``settings.JANUS_ADMIN_URL``, authenticated by
``settings.JANUS_ADMIN_SECRET``); browsers then join it with the room's PIN.
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

from django.conf import settings

PLUGIN = "janus.plugin.videoroom"
TIMEOUT_SECONDS = 5
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


def is_configured() -> bool:
    """Janus is used when the browser-facing JANUS_URL is set."""
    return bool(getattr(settings, "JANUS_URL", ""))


def _admin_key() -> str:
    # The VideoRoom plugin's admin_key (janus.plugin.videoroom.jcfg): the same
    # value as the admin secret unless a setting of its own is given.
    return (
        getattr(settings, "JANUS_VIDEOROOM_ADMIN_KEY", "")
        or settings.JANUS_ADMIN_SECRET
    )


def _call(request: dict) -> dict:
    """Send one VideoRoom request through the admin API; return the plugin's answer.

    Raises JanusError when Janus is unreachable, answers something unexpected, or
    the core or the plugin reports an error.
    """
    url = settings.JANUS_ADMIN_URL
    transaction = secrets.token_hex(8)
    body = json.dumps(
        {
            "janus": "message_plugin",
            "transaction": transaction,
            "admin_secret": settings.JANUS_ADMIN_SECRET,
            "plugin": PLUGIN,
            "request": request,
        }
    ).encode()
    what = request.get("request")
    http_request = urllib.request.Request(  # noqa: S310 (the configured admin URL)
        url,
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 (the configured admin URL)
            http_request, timeout=TIMEOUT_SECONDS
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
) -> None:
    """Create a private, non-permanent VideoRoom; JanusError if it exists already."""
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
        }
    )
    if response.get("videoroom") != "created":
        raise JanusError(f"Janus did not create room {room_id}: {response!r}")


def destroy_room(room_id: int, *, secret: str) -> None:
    """Destroy a VideoRoom (everyone in it is disconnected)."""
    response = _call(
        {"request": "destroy", "room": room_id, "secret": secret, "permanent": False}
    )
    if response.get("videoroom") != "destroyed":
        raise JanusError(f"Janus did not destroy room {room_id}: {response!r}")


def room_exists(room_id: int) -> bool:
    response = _call({"request": "exists", "room": room_id})
    return bool(response.get("exists"))
