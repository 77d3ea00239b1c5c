"""Logins made from ФИО: «Иванова Мария Петровна» → «ivanova.mp»."""

import re

from django.db.models import Q

# Transliteration close to the passport rules (ГОСТ Р 52535.1-2006 / ICAO Doc 9303).
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}  # fmt: skip


def transliterate(text: str) -> str:
    out = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())
    return re.sub(r"[^a-z0-9]+", "", out)


def base_username(last_name: str, first_name: str, middle_name: str = "") -> str:
    initials = "".join(transliterate(p)[:1] for p in (first_name, middle_name) if p)
    base = transliterate(last_name) or "user"
    return f"{base}.{initials}" if initials else base


def unique_username(base: str, taken: set[str]) -> str:
    """`base`, or `base2`, `base3`… — the first one not in `taken` (lower-case)."""
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{base}{n}"
    taken.add(candidate.lower())
    return candidate


def taken_usernames(base: str) -> set[str]:
    """Existing logins that could clash with `base`."""
    from umka.accounts.models import User

    return {
        u.lower()
        for u in User.objects.filter(
            Q(username__iexact=base) | Q(username__istartswith=base)
        ).values_list("username", flat=True)
    }
