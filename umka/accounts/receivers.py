"""Sign-in events come from django.contrib.auth's signals (also used by the admin
login and by django-axes); they are written to the audit trail here."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from umka.audit.services import record


@receiver(user_logged_in, dispatch_uid="umka_audit_login")
def _on_login(sender, request, user, **kwargs):
    record(actor=user, action="accounts.signed_in", target=user, request=request)


@receiver(user_logged_out, dispatch_uid="umka_audit_logout")
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(actor=user, action="accounts.signed_out", target=user, request=request)


@receiver(user_login_failed, dispatch_uid="umka_audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")[:150]
    user = get_user_model().objects.filter(username__iexact=username).first()
    record(
        actor=None,
        actor_name=username,
        action="accounts.sign_in_failed",
        target=user,
        changes={"username": username},
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="umka_audit_locked_out")
def _on_locked_out(sender, request, username, ip_address, **kwargs):
    user = get_user_model().objects.filter(username__iexact=username or "").first()
    record(
        actor=None,
        actor_name=(username or "")[:150],
        action="accounts.locked_out",
        target=user,
        changes={"username": username},
        request=request,
    )
