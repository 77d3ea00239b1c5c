"""Translated strings for room.js (the page passes them in room_config)."""


def client_strings() -> dict[str, str]:
    return {}
