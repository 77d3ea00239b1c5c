"""Two-factor devices and recovery codes: every change audited."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from umka.accounts.models import User
from umka.audit.services import record
from umka.core import ratelimit
from umka.core.errors import DomainError
from umka.signin import audit_actions as actions
from umka.signin.two_factor import is_required

RECOVERY_CODES = 10
_CODE_ACTION = "signin.code"


def totp_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one at a time per person)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=False
        )
    return device


def _normalise(token: str) -> str:
    return "".join((token or "").split()).replace("-", "").lower()


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


def totp_device_confirm(
    *, actor: User, device: TOTPDevice, token: str, request=None
) -> list[str]:
    """Confirm the authenticator with a code it shows; it replaces any earlier one.
    Returns the new recovery codes (shown once)."""
    if device.user_id != actor.pk or device.confirmed:
        raise DomainError(_("Start setting up again."), code="stale")
    _check_not_locked(actor)
    if not device.verify_token(_normalise(token)):
        _failed(actor, request)
        raise DomainError(
            _(
                "The code is not right. Check the time on your phone and type the "
                "six digits the app shows now."
            ),
            code="bad_code",
        )
    ratelimit.reset(_CODE_ACTION, actor)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(actor)
        record(
            actor=actor,
            action=actions.DEVICE_ADDED,
            target=actor,
            changes={"recovery_codes": RECOVERY_CODES},
            request=request,
        )
    return codes


def recovery_codes_renew(*, actor: User, request=None) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise DomainError(_("Set up two-factor sign-in first."), code="no_device")
    with transaction.atomic():
        codes = _new_recovery_codes(actor)
        record(
            actor=actor,
            action=actions.RECOVERY_CODES_RENEWED,
            target=actor,
            request=request,
        )
    return codes


def two_factor_remove(*, actor: User, request=None) -> None:
    """Turn two-factor sign-in off: only for a person whose role does not need it."""
    if is_required(actor):
        raise DomainError(
            _("Your role requires two-factor sign-in: it cannot be turned off."),
            code="required",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        StaticDevice.objects.filter(user=actor).delete()
        record(
            actor=actor, action=actions.DEVICE_REMOVED, target=actor, request=request
        )


def _code_rate() -> ratelimit.Rate:
    # The same lockout as for passwords (django-axes): N failures, then a pause.
    return ratelimit.Rate(
        settings.AXES_FAILURE_LIMIT, int(settings.AXES_COOLOFF_TIME * 3600)
    )


def _check_not_locked(user: User) -> None:
    if ratelimit.count(_CODE_ACTION, user) >= _code_rate().count:
        minutes = max(1, round(_code_rate().seconds / 60))
        raise DomainError(
            _(
                "Too many wrong codes. Sign-in is paused for %(minutes)s minutes; "
                "then try again or use a recovery code."
            )
            % {"minutes": minutes},
            code="locked",
        )


def _failed(user: User, request) -> None:
    failures = ratelimit.hit(_CODE_ACTION, user, _code_rate())
    record(
        actor=None,
        actor_name=user.full_name or user.username,
        action=actions.CODE_FAILED,
        target=user,
        request=request,
    )
    if failures == _code_rate().count:
        record(
            actor=None,
            actor_name=user.full_name or user.username,
            action=actions.CODE_LOCKED,
            target=user,
            changes={"failures": failures},
            request=request,
        )


def code_check(*, user: User, token: str, request=None):
    """The device that accepts `token` — the authenticator's code or a recovery
    code (used up by this). Wrong codes count towards the lockout."""
    _check_not_locked(user)
    token = _normalise(token)
    device = None
    if token:
        for candidate in TOTPDevice.objects.filter(user=user, confirmed=True):
            if candidate.verify_token(token):
                device = candidate
                break
        else:
            static = StaticDevice.objects.filter(user=user, confirmed=True).first()
            if static is not None and static.verify_token(token):
                device = static
                record(
                    actor=user,
                    action=actions.RECOVERY_CODE_USED,
                    target=user,
                    changes={"recovery_codes_left": static.token_set.count()},
                    request=request,
                )
    if device is None:
        _failed(user, request)
        raise DomainError(
            _(
                "The code is not right. Type the six digits your app shows now, or "
                "one of your recovery codes."
            ),
            code="bad_code",
        )
    ratelimit.reset(_CODE_ACTION, user)
    return device
