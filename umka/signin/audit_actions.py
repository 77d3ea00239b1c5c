from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register
from umka.audit.services import record
from umka.core.ratelimit import RATE_LIMITED

DEVICE_ADDED = register("signin.device_added", _("Turned on two-factor sign-in"))
DEVICE_REMOVED = register("signin.device_removed", _("Turned off two-factor sign-in"))
RECOVERY_CODE_USED = register(
    "signin.recovery_code_used", _("Signed in with a recovery code")
)
RECOVERY_CODES_RENEWED = register(
    "signin.recovery_codes_renewed", _("Made new recovery codes")
)
CODE_FAILED = register("signin.code_failed", _("Entered a wrong sign-in code"))
CODE_LOCKED = register("signin.code_locked", _("Locked out after wrong sign-in codes"))
SESSION_ENDED = register("signin.session_ended", _("Ended a session on another device"))
SESSIONS_ENDED = register("signin.sessions_ended", _("Signed out on all devices"))
register(RATE_LIMITED, _("Refused: too many attempts in a short time"))


def record_rate_limited(*, who, actor, action: str, rate, request) -> None:
    """The audit entry of a refusal by umka.core.ratelimit (the first of a window)."""
    person = actor if actor is not None else who
    signed_in = getattr(person, "is_authenticated", False)
    record(
        actor=person if signed_in else None,
        actor_name="" if signed_in else str(who)[:150],
        action=RATE_LIMITED,
        changes={"limited": action, "rate": f"{rate.count}/{rate.seconds}s"},
        request=request,
    )
