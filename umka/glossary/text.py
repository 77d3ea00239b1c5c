"""Terms as the glossary compares, sorts and files them (pure functions).

- `term_key` — one spelling for finding duplicates: Unicode NFC, case folded,
  «ё» as «е», spaces collapsed, quotes and end punctuation dropped: «Ёж»,
  «ёж», « ЕЖ. » are one term.
- `sort_key` — the Russian alphabet order, Ё in its place after Е (a plain
  `sorted()` or a database collation puts Ё after Я or mixes it with Е), then
  Latin letters, then digits and the rest; case does not matter.
- `initial` — the letter a term is filed under («Ё» its own).
"""

import re
import unicodedata

RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_ORDER = {letter: n for n, letter in enumerate(RUSSIAN)}
_SPACES = re.compile(r"\s+")
_EDGES = "«»\"'„“”.,;:!?…()[]-–— "


def clean_term(text: str) -> str:
    """The term as shown: one line, single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text or ""))).strip()


def term_key(text: str) -> str:
    value = clean_term(text).casefold().replace("ё", "е")
    return value.strip(_EDGES)


def _char_key(char: str) -> tuple[int, int]:
    lower = char.casefold()
    if lower in _ORDER:
        return (0, _ORDER[lower])
    if "a" <= lower <= "z":
        return (1, ord(lower))
    if char.isdigit():
        return (2, ord(char))
    return (3, ord(lower))


def sort_key(text: str) -> tuple:
    """Alphabetical order of Russian terms, Ё after Е; then as written."""
    term = clean_term(text).strip(_EDGES)
    return (tuple(_char_key(c) for c in term), term)


def initial(text: str) -> str:
    """The index letter: «Ёж» → «Ё», «ель» → «Е», «HTML» → «H», «3D» → «#»."""
    term = clean_term(text).strip(_EDGES)
    if not term:
        return "#"
    first = term[0].upper()
    return first if first.isalpha() else "#"


def aliases_of(text: str) -> list[str]:
    """Aliases, one a line (or separated by semicolons), cleaned, no repeats."""
    found, seen = [], set()
    for part in re.split(r"[\n;]", text or ""):
        alias = clean_term(part)
        if alias and term_key(alias) not in seen:
            seen.add(term_key(alias))
            found.append(alias[:200])
    return found
