"""Human labels of audit actions. Each app registers its own in AppConfig.ready()."""

from django.utils.functional import Promise

_labels: dict[str, str | Promise] = {}


def register(code: str, label_text: str | Promise) -> str:
    """Register an action code («app.verb») with its translatable label."""
    _labels[code] = label_text
    return code


def label(code: str) -> str:
    return str(_labels.get(code, code))


def choices() -> list[tuple[str, str]]:
    return sorted(
        ((code, str(text)) for code, text in _labels.items()), key=lambda c: c[1]
    )
