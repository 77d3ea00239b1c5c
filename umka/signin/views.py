"""Two-factor sign-in (code, set-up, recovery codes) and «my sessions»."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from umka.core.errors import messages_of
from umka.signin import selectors, services, sessions, two_factor
from umka.signin.forms import CodeForm

CODES_KEY = "signin.codes"


def _who(request):
    """The person at the second step: signed in but not yet verified, or owing a
    code after a right password; None for anyone else."""
    if request.user.is_authenticated:
        return request.user
    return two_factor.pending_user(request)


def _next(request) -> str:
    url = two_factor.pending_next(request)
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return "/"


def _signed_in_with(request, user, device) -> None:
    if request.user.is_authenticated:
        otp_login(request, device)
    else:
        two_factor.finish(request, user, device)


def verify(request):
    """The second step of signing in: the authenticator's code or a recovery code."""
    user = _who(request)
    if user is None:
        return redirect("accounts:login")
    if two_factor.is_verified(request):
        return redirect("home")
    if not two_factor.has_device(user):
        return redirect("signin:setup")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = services.code_check(
                user=user, token=form.cleaned_data["code"], request=request
            )
        except ValidationError as error:
            for message in messages_of(error):
                form.add_error("code", message)
            status = 429 if error.code == "locked" else 400
        else:
            target = _next(request)
            _signed_in_with(request, user, device)
            return redirect(target)
    elif request.method == "POST":
        status = 400
    return render(
        request, "signin/verify.html", {"form": form, "person": user}, status=status
    )


def _qr_svg(device) -> str:
    # Drawn here as inline SVG markup: no image service, no data: URL.
    return mark_safe(  # noqa: S308 (segno's own markup, no user text)
        segno.make(device.config_url, error="m").svg_inline(
            scale=5, dark="#000", light="#fff"
        )
    )


def setup(request):
    """Set up an authenticator: scan the QR code, type a code it shows."""
    user = _who(request)
    if user is None:
        return redirect("accounts:login")
    if not request.user.is_authenticated and two_factor.has_device(user):
        return redirect("signin:verify")  # the password alone never replaces it
    if (
        request.user.is_authenticated
        and two_factor.has_device(user)
        and not two_factor.is_verified(request)
    ):
        return redirect("signin:verify")
    device = services.totp_device_start(user=user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_device_confirm(
                actor=user,
                device=device,
                token=form.cleaned_data["code"],
                request=request,
            )
        except ValidationError as error:
            for message in messages_of(error):
                form.add_error("code", message)
            status = 400
        else:
            device.refresh_from_db()
            target = _next(request)
            _signed_in_with(request, user, device)
            request.session[CODES_KEY] = {"codes": codes, "next": target}
            return redirect("signin:recovery_codes")
    return render(
        request,
        "signin/setup.html",
        {
            "form": form,
            "person": user,
            "qr": _qr_svg(device),
            "secret": selectors.secret_for_typing(device),
            "required": two_factor.is_required(user),
        },
        status=status,
    )


@login_required
def recovery_codes(request):
    """The ten recovery codes, shown once (to print or write down)."""
    shown = request.session.pop(CODES_KEY, None)
    if not shown:
        return redirect("signin:security")
    return render(
        request,
        "signin/recovery_codes.html",
        {"codes": shown["codes"], "next": shown.get("next") or "/"},
    )


@login_required
def security(request):
    """Two-factor sign-in and the sessions of the person themself."""
    user = request.user
    rows = list(sessions.sessions_of(user))
    return render(
        request,
        "signin/security.html",
        {
            "has_device": two_factor.has_device(user),
            "required": two_factor.is_required(user),
            "codes_left": two_factor.recovery_codes_left(user),
            "sessions": [
                selectors.session_row(row, request.session.session_key) for row in rows
            ],
        },
    )


@login_required
@require_POST
def codes_renew(request):
    try:
        codes = services.recovery_codes_renew(actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(messages_of(error)))
        return redirect("signin:security")
    request.session[CODES_KEY] = {"codes": codes, "next": "/signin/"}
    return redirect("signin:recovery_codes")


@login_required
@require_POST
def remove(request):
    try:
        services.two_factor_remove(actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(messages_of(error)))
    else:
        messages.success(request, _("Two-factor sign-in is turned off."))
    return redirect("signin:security")


@login_required
@require_POST
def session_end(request, pk: int):
    sessions.session_end(actor=request.user, pk=pk, request=request)
    messages.success(request, _("The session is ended: that device is signed out."))
    return redirect("signin:security")


@login_required
@require_POST
def sessions_end_all(request):
    sessions.sessions_end_all(actor=request.user, request=request)
    messages.success(request, _("You are signed out on all devices."))
    return redirect("accounts:login")
