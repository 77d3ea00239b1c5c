"""ICE servers for the browsers: STUN, and TURN (coturn) with time-limited
credentials from coturn's shared secret (its `use-auth-secret` REST scheme), so no
long-lived TURN password ever reaches a page."""

import base64
import hashlib
import hmac
import time

from django.conf import settings


def turn_credentials(user_id: int, now: float | None = None) -> tuple[str, str]:
    expires = int((now or time.time()) + settings.TURN_CREDENTIAL_HOURS * 3600)
    username = f"{expires}:umka-{user_id}"
    digest = hmac.new(settings.TURN_SECRET.encode(), username.encode(), hashlib.sha1)
    return username, base64.b64encode(digest.digest()).decode()


def ice_servers(user_id: int) -> list[dict]:
    servers = []
    if settings.STUN_URLS:
        servers.append({"urls": list(settings.STUN_URLS)})
    if settings.TURN_URLS and settings.TURN_SECRET:
        username, credential = turn_credentials(user_id)
        servers.append(
            {
                "urls": list(settings.TURN_URLS),
                "username": username,
                "credential": credential,
            }
        )
    return servers
