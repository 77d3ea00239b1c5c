"""The WebSocket side of `TwoFactorMiddleware` (signin.middleware).

Channels' consumers (the live rooms, the forums' live updates) are not behind
Django's middleware, so `TwoFactorGuard` sits in config/asgi.py between the session
and the routes: a signed-in person whose role requires a second factor
(`two_factor.is_required`) and whose session is not verified with one — a session
that began before the role required it, say — gets no WebSocket. It is accepted and
closed at once with 4404, which the rooms' and forums' scripts read as «not for
you» and do not retry; the page itself sends the person to type a code.
"""

from channels.db import database_sync_to_async
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from umka.signin import two_factor

NOT_ALLOWED = 4404


def owes_second_factor(user, session) -> bool:
    """Whether `user` must still type a code before this session may be used."""
    if user is None or not user.is_authenticated or not two_factor.is_required(user):
        return False
    persistent_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is None or device.user_id != user.pk


class TwoFactorGuard:
    """ASGI middleware inside Channels' AuthMiddlewareStack (it reads the resolved
    `user` and `session` of the scope)."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and await database_sync_to_async(
            owes_second_factor
        )(scope.get("user"), scope.get("session")):
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": NOT_ALLOWED})
            return None
        return await self.inner(scope, receive, send)
