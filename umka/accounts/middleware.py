from django.shortcuts import redirect
from django.urls import reverse

# Pages a person with a one-time password may still open.
_ALLOWED_URL_NAMES = ("accounts:password_change", "accounts:logout", "set_language")


class ForcePasswordChangeMiddleware:
    """An account created with a one-time password must set its own first."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed: tuple[str, ...] | None = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            if self._allowed is None:
                self._allowed = tuple(reverse(name) for name in _ALLOWED_URL_NAMES)
            path = request.path
            if not (path in self._allowed or path.startswith("/static/")):
                return redirect("accounts:password_change")
        return self.get_response(request)
