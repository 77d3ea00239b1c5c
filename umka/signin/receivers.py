"""Sessions are recorded when a person signs in and forgotten when they sign out
(django.contrib.auth's signals fire for every way of signing in, tests included)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from umka.signin.models import SignedInSession
from umka.signin.sessions import session_record


@receiver(user_logged_in, dispatch_uid="umka_signin_session_in")
def _on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_record(request, user)


@receiver(user_logged_out, dispatch_uid="umka_signin_session_out")
def _on_logout(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        SignedInSession.objects.filter(session_key=key).delete()
