from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    """The code the person's phone would show now (RFC 6238, as the app does)."""
    value = totp(device.bin_key, step=device.step, digits=device.digits, drift=drift)
    return f"{value:06d}"
