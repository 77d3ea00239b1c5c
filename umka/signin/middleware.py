import time

from django.shortcuts import redirect
from django.urls import reverse

from umka.signin import sessions, two_factor

# Pages a person who owes a second factor may still open.
_ALLOWED_URL_NAMES = (
    "signin:verify",
    "signin:setup",
    "signin:recovery_codes",
    "accounts:logout",
    "set_language",
)


class TwoFactorMiddleware:
    """A signed-in person whose role requires two-factor sign-in (see
    `two_factor.is_required`) and whose session is not verified with it is sent to
    set it up or to type a code before anything else. Put after django-otp's
    OTPMiddleware. The sign-in page itself never lets such a person in with a
    password alone; this catches sessions that began before (or another way)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed: tuple[str, ...] | None = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and two_factor.is_required(user)
            and not two_factor.is_verified(request)
        ):
            if self._allowed is None:
                self._allowed = tuple(reverse(name) for name in _ALLOWED_URL_NAMES)
            path = request.path
            if not (path in self._allowed or path.startswith("/static/")):
                target = (
                    "signin:verify" if two_factor.has_device(user) else "signin:setup"
                )
                return redirect(target)
        return self.get_response(request)


class SessionActivityMiddleware:
    """Keeps «last seen» of the person's session, writing at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            seen = request.session.get(sessions.SEEN_KEY)
            if (
                seen is None
                or time.time() - float(seen) >= sessions.TOUCH_EVERY_SECONDS
            ):
                sessions.session_record(request, user)
        return self.get_response(request)
