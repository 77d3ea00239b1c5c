"""Kinds of notification: short codes («app.event») with human labels.

Each app registers its own kinds at start-up, the way audit actions are registered:

    # umka/consultations/notification_kinds.py, imported in AppConfig.ready()
    SCHEDULE_AMENDED = register("consultations.amended", _("Schedule amended"))

`notify()` refuses a kind nobody registered, so a typo fails loudly in tests.
"""

from django.utils.functional import Promise

_labels: dict[str, str | Promise] = {}


def register(code: str, label_text: str | Promise) -> str:
    """Register a kind («app.event») with its translatable label; returns the code."""
    _labels[code] = label_text
    return code


def is_registered(code: str) -> bool:
    return code in _labels


def label(code: str) -> str:
    return str(_labels.get(code, code))


def choices() -> list[tuple[str, str]]:
    """(code, label) of every registered kind, by label in the active language."""
    return sorted(
        ((code, str(text)) for code, text in _labels.items()), key=lambda c: c[1]
    )
