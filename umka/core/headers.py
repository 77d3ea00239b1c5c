"""Headers every page gets (issue 15): what the browser may use, what it may keep.

- Permissions-Policy: the camera, the microphone and screen sharing only on the
  live rooms' pages (`umka.rooms`), nowhere else; geolocation, payment and USB
  nowhere.
- Cache-Control: a signed-in person's pages are `private` (no shared cache, no
  proxy keeps them) and HTML is also `no-store`: the back button of a shared
  school computer does not show the previous person's grades after sign-out.

The Content-Security-Policy itself comes from django-csp (settings
CONTENT_SECURITY_POLICY).
"""

from django.utils.cache import patch_cache_control

_NOWHERE = ("geolocation", "payment", "usb", "serial", "bluetooth")
_MEDIA = ("camera", "microphone", "display-capture")


def permissions_policy(*, media: bool) -> str:
    allowed = "(self)" if media else "()"
    return ", ".join(
        [f"{name}={allowed}" for name in _MEDIA] + [f"{name}=()" for name in _NOWHERE]
    )


ROOMS_POLICY = permissions_policy(media=True)
DEFAULT_POLICY = permissions_policy(media=False)


class PrivacyHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        in_rooms = match is not None and match.namespace == "rooms"
        response.headers.setdefault(
            "Permissions-Policy", ROOMS_POLICY if in_rooms else DEFAULT_POLICY
        )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            html = response.get("Content-Type", "").startswith("text/html")
            patch_cache_control(
                response, private=True, **({"no_store": True} if html else {})
            )
        return response
