"""Who must use a second factor, and the half-way state between password and code.

A password alone never signs in a person who has a confirmed device or whose role
requires one: `begin()` keeps only «this user typed the right password» in the
session (for `PENDING_MINUTES`), and `finish()` signs them in once the code (or
a recovery code) is right. So a session is never half signed in.
"""

import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth import login as auth_login
from django.db.models import QuerySet
from django.shortcuts import redirect
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from umka.accounts.models import User

PENDING_KEY = "signin.pending"
PENDING_MINUTES = 10


def is_required(user: User) -> bool:
    """The director, deputies and administrators (`TWO_FACTOR_REQUIRED_ROLES`) and
    superusers (the back office) must sign in with a second factor — unless the
    site runs with `TWO_FACTOR_REQUIRED` off (the demo)."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or bool(
        user.roles & set(settings.TWO_FACTOR_REQUIRED_ROLES)
    )


def totp_devices(user: User) -> QuerySet[TOTPDevice]:
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def has_device(user: User) -> bool:
    return totp_devices(user).exists()


def recovery_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def is_verified(request) -> bool:
    user = request.user
    return bool(getattr(user, "is_verified", None) and user.is_verified())


# --- Between the password and the code -------------------------------------------


def begin(request, user: User, next_url: str):
    """After a right password: a redirect to the code page (or to setting one up)
    when `user` needs a second factor; None when the password is enough."""
    needs_code = has_device(user)
    if not needs_code and not is_required(user):
        return None
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "next": next_url,
        "at": time.time(),
    }
    return redirect("signin:verify" if needs_code else "signin:setup")


def pending_user(request) -> User | None:
    """The person who typed the right password and owes a code, if still in time."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > PENDING_MINUTES * 60:
        request.session.pop(PENDING_KEY, None)
        return None
    return (
        get_user_model()
        .objects.filter(pk=pending.get("user"), is_active=True)
        .prefetch_related("role_assignments")
        .first()
    )


def pending_next(request) -> str:
    pending = request.session.get(PENDING_KEY) or {}
    return pending.get("next") or settings.LOGIN_REDIRECT_URL


def finish(request, user: User, device) -> None:
    """Sign `user` in with `device` as the verified second factor."""
    pending = request.session.pop(PENDING_KEY, None) or {}
    user.backend = pending.get("backend") or request.session.get(
        BACKEND_SESSION_KEY, settings.AUTHENTICATION_BACKENDS[-1]
    )
    # django-otp stores the device in the session when login() sees this attribute.
    user.otp_device = device
    auth_login(request, user, backend=user.backend)
