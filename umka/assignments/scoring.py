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
from collections.abc import Callable
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


_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def _fraction(value) -> Decimal:
    return Decimal(str(value if value is not None else 0))


def _share(points: Decimal, fraction: Decimal) -> Decimal:
    fraction = max(_ZERO, min(_HUNDRED, fraction))
    return (points * fraction / _HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def _index(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Each maker reads the answer key once and returns the scorer of a response (the
# fraction earned, in %): a submission is scored by looking things up.


def _single(data):
    fractions = [_fraction(c.get("fraction")) for c in data.get("choices", [])]

    def scorer(response) -> Decimal:
        i = _index(response.get("choice"))
        return fractions[i] if i is not None and 0 <= i < len(fractions) else _ZERO

    return scorer


def _multiple(data):
    fractions = [_fraction(c.get("fraction")) for c in data.get("choices", [])]
    # No credit for ticking everything, unless every choice is right.
    everything_earns = all(f > 0 for f in fractions)

    def scorer(response) -> Decimal:
        ticked = {
            i
            for i in (_index(v) for v in response.get("choices", []) or [])
            if i is not None and 0 <= i < len(fractions)
        }
        if not ticked or (len(ticked) == len(fractions) and not everything_earns):
            return _ZERO
        return sum((fractions[i] for i in ticked), _ZERO)

    return scorer


def _short(data):
    accepted: dict[str, Decimal] = {}
    for answer in data.get("answers", []):
        key = normalise_answer(answer.get("text", ""))
        fraction = _fraction(answer.get("fraction", 100))
        accepted[key] = max(accepted.get(key, _ZERO), fraction)

    def scorer(response) -> Decimal:
        given = normalise_answer(response.get("text", ""))
        return accepted.get(given, _ZERO) if given else _ZERO

    return scorer


def _number(data):
    answers = []
    for answer in data.get("answers", []):
        value = parse_number(answer.get("value"))
        if value is not None:
            tolerance = abs(parse_number(answer.get("tolerance", 0)) or _ZERO)
            answers.append((value, tolerance, _fraction(answer.get("fraction", 100))))

    def scorer(response) -> Decimal:
        given = parse_number(response.get("text", ""))
        if given is None:
            return _ZERO
        return max(
            (f for value, tol, f in answers if abs(given - value) <= tol),
            default=_ZERO,
        )

    return scorer


def _matching(data):
    rights = [normalise_answer(p["right"]) for p in data.get("pairs", [])]

    def scorer(response) -> Decimal:
        if not rights:
            return _ZERO
        matches = response.get("matches", {}) or {}
        right = sum(
            1
            for i, expected in enumerate(rights)
            if normalise_answer(matches.get(str(i), "")) == expected
        )
        return _HUNDRED * right / len(rights)

    return scorer


def _ordering(data):
    count = len(data.get("items", []))
    every_place = list(range(count))

    def scorer(response) -> Decimal:
        order = [_index(v) for v in response.get("order", []) or []]
        if not count or sorted(i for i in order if i is not None) != every_place:
            return _ZERO
        return (
            _HUNDRED
            * sum(1 for place, item in enumerate(order) if item == place)
            / count
        )

    return scorer


_MAKERS = {
    "single": _single,
    "multiple": _multiple,
    "short": _short,
    "number": _number,
    "matching": _matching,
    "ordering": _ordering,
}


def scorer_for(kind: str, data: dict, points) -> Callable[[dict], Decimal] | None:
    """The scorer of one part: response → points earned (0.01 precision); None
    for a part the teacher grades. Made once, it scores any number of responses
    (rescoring a whole class, the benchmark)."""
    maker = _MAKERS.get(kind)
    if maker is None:
        return None
    fraction_of = maker(data or {})
    points = Decimal(points)
    return lambda response: _share(points, fraction_of(response or {}))


def score(kind: str, data: dict, points: Decimal, response: dict) -> Decimal | None:
    """Points earned by `response` (0.01 precision); None for a part the teacher
    grades (text, files)."""
    scorer = scorer_for(kind, data, points)
    return None if scorer is None else scorer(response)
