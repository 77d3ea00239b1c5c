"""ASGI entry point: pages over HTTP; the live rooms and the forums' live
threads over WebSocket (Channels).

Serve it with daphne or uvicorn (see README, "Running a school"); `runserver`
serves it too in development because daphne is the first installed app.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django first: the routing below imports models.
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from umka.forums.routing import websocket_urlpatterns as forum_routes  # noqa: E402
from umka.rooms.consumers import ServerSend  # noqa: E402
from umka.rooms.routing import websocket_urlpatterns  # noqa: E402
from umka.signin.websocket import TwoFactorGuard  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(
            ServerSend(
                AuthMiddlewareStack(
                    # who owes a second factor gets no WebSocket (umka.signin)
                    TwoFactorGuard(URLRouter(websocket_urlpatterns + forum_routes))
                )
            )
        ),
    }
)
