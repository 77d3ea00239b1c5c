"""Reads for the sign-in pages: a session's row as a person reads it."""

from base64 import b32encode
from dataclasses import dataclass

from umka.signin.models import SignedInSession


def secret_for_typing(device) -> str:
    """The authenticator's key in groups of four, for typing it in by hand."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


_BROWSERS = (
    ("Edg/", "Edge"),
    ("YaBrowser", "Yandex Browser"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def device_name(user_agent: str) -> str:
    """«Chrome, Windows» from a User-Agent header; the raw header's start else."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    return ", ".join(p for p in (browser, system) if p) or user_agent[:60]


@dataclass(frozen=True)
class SessionRow:
    session: SignedInSession
    device: str
    current: bool


def session_row(row: SignedInSession, current_key: str | None) -> SessionRow:
    return SessionRow(row, device_name(row.user_agent), row.session_key == current_key)
