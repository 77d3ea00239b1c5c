"""Personal data held by sign-in (see umka/privacy/registry.py)."""

from umka.privacy import registry
from umka.signin.models import SignedInSession

registry.declare(
    SignedInSession,
    people=("user",),
    fields=("user_agent", "ip_address", "signed_in_at", "last_seen"),
)
# The second factor's secrets are never exported: a copy would be a key to the account.
registry.not_personal(
    "otp_totp.TOTPDevice", reason="the authenticator's secret key, never exported"
)
registry.not_personal(
    "otp_static.StaticDevice", reason="recovery codes, secrets never exported"
)
