"""Scoring of the parts checked automatically (R6). Pure functions of the answer
key (`data`), the part's points and the student's response: no database, so a
submission is scored at once and 10,000 of them in well under a second.

Keys (`data`) and responses by kind:

- single:   {"choices": [{"text", "fraction"}]}        ← {"choice": i}
- multiple: {"choices": [{"text", "fraction"}]}        ← {"choices": [i, …]}
            fractions of ticked choices add up (wrong ones are negative), never
            below 0; ticking every choice earns nothing unless all are right.
- short:    {"answers": [{"text", "fraction"}]}        ← {"text": "…"}
            compared without case, extra spaces and with «ё» as «е».
- number:   {"answers": [{"value", "tolerance", "fraction"}]} ← {"text": "3,14"}
- matching: {"pairs": [{"left", "right"}]}             ← {"matches": {"0": "right"}}
            each pair matched right earns its share.
- ordering: {"items": [in the right order]}            ← {"order": [item index, …]}
            each item in its right place earns its share.

Fractions are percentages (100 = full points), as in Moodle and GIFT.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
_SPACES = re.compile(r"\s+")
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")


def normalise_answer(text: str) -> str:
    """The comparison form of a short answer: NFC, case-folded, «ё» → «е», spaces
    collapsed, a final full stop dropped."""
    value = unicodedata.normalize("NFC", str(text or "")).casefold()
    value = value.replace("ё", "е")
    value = _SPACES.sub(" ", value).strip()
    return value.removesuffix(".").rstrip()


def parse_number(text) -> Decimal | None:
    """«3,14», «−2», «1 000,5» → Decimal; None when it is not a number."""
    value = _NUMBER_SPACES.sub("", str(text or "")).replace(",", ".")
    value = value.replace("−", "-").replace("–", "-")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _share(points: Decimal, fraction) -> Decimal:
    fraction = max(Decimal(0), min(Decimal(100), Decimal(str(fraction))))
    return (points * fraction / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _index(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _single(data, response) -> Decimal:
    choices = data.get("choices", [])
    i = _index(response.get("choice"))
    if i is None or not 0 <= i < len(choices):
        return Decimal(0)
    return Decimal(str(choices[i].get("fraction", 0)))


def _multiple(data, response) -> Decimal:
    choices = data.get("choices", [])
    ticked = {
        i
        for i in (_index(v) for v in response.get("choices", []) or [])
        if i is not None and 0 <= i < len(choices)
    }
    if not ticked:
        return Decimal(0)
    if len(ticked) == len(choices) and any(
        Decimal(str(c.get("fraction", 0))) <= 0 for c in choices
    ):
        return Decimal(0)  # no credit for ticking everything
    return sum(
        (Decimal(str(choices[i].get("fraction", 0))) for i in ticked), Decimal(0)
    )


def _short(data, response) -> Decimal:
    given = normalise_answer(response.get("text", ""))
    if not given:
        return Decimal(0)
    best = Decimal(0)
    for answer in data.get("answers", []):
        if normalise_answer(answer.get("text", "")) == given:
            best = max(best, Decimal(str(answer.get("fraction", 100))))
    return best


def _number(data, response) -> Decimal:
    given = parse_number(response.get("text", ""))
    if given is None:
        return Decimal(0)
    best = Decimal(0)
    for answer in data.get("answers", []):
        value = parse_number(answer.get("value"))
        tolerance = abs(parse_number(answer.get("tolerance", 0)) or Decimal(0))
        if value is not None and abs(given - value) <= tolerance:
            best = max(best, Decimal(str(answer.get("fraction", 100))))
    return best


def _matching(data, response) -> Decimal:
    pairs = data.get("pairs", [])
    if not pairs:
        return Decimal(0)
    matches = response.get("matches", {}) or {}
    right = sum(
        1
        for i, pair in enumerate(pairs)
        if normalise_answer(matches.get(str(i), "")) == normalise_answer(pair["right"])
    )
    return Decimal(100) * right / len(pairs)


def _ordering(data, response) -> Decimal:
    items = data.get("items", [])
    order = [_index(v) for v in response.get("order", []) or []]
    if not items or sorted(i for i in order if i is not None) != list(
        range(len(items))
    ):
        return Decimal(0)
    right = sum(1 for place, item in enumerate(order) if item == place)
    return Decimal(100) * right / len(items)


_SCORERS = {
    "single": _single,
    "multiple": _multiple,
    "short": _short,
    "number": _number,
    "matching": _matching,
    "ordering": _ordering,
}


def score(kind: str, data: dict, points: Decimal, response: dict) -> Decimal | None:
    """Points earned by `response` (0.01 precision); None for a part the teacher
    grades (text, files)."""
    scorer = _SCORERS.get(kind)
    if scorer is None:
        return None
    return _share(Decimal(points), scorer(data or {}, response or {}))
