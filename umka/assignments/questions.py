"""A question's answer key as a teacher types it, and back; validation of keys
from any source (the editor, GIFT import).

In the editor, a choice is one line: «+» marks a right one (full credit), «+50%»
partial credit, «-25%» a penalty, nothing a wrong one. Without explicit
percentages a multiple-choice question shares 100 % among the right choices and
takes 100 % away over the wrong ones, so ticking everything earns nothing.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from umka.assignments.models import Kind
from umka.assignments.scoring import parse_number
from umka.core.errors import DomainError

# «+ right», «+50% partly right», «-25% penalised»; anything else is a wrong
# choice as typed («-2» is the number minus two).
_RIGHT = re.compile(r"^\+\s*(?:(?P<percent>\d+(?:[.,]\d+)?)%)?\s*(?P<text>.*)$")
_PENALTY = re.compile(r"^-(?P<percent>\d+(?:[.,]\d+)?)%\s*(?P<text>.*)$")
MAX_ITEMS = 30
ITEM_MAX = 500


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _fraction(value: Decimal) -> float:
    return float(round(value, 5))


def parse_choices(text: str, *, multiple: bool) -> list[dict]:
    choices, explicit = [], False
    for line in _lines(text):
        fraction, body = Decimal(0), line
        if match := _RIGHT.match(line):
            body, percent = match["text"], match["percent"]
            fraction = Decimal(100)
            if percent is not None:
                explicit, fraction = True, Decimal(percent.replace(",", "."))
        elif match := _PENALTY.match(line):
            explicit, body = True, match["text"]
            fraction = -Decimal(match["percent"].replace(",", "."))
        body = body.strip()
        if not body:
            continue
        choices.append({"text": body, "fraction": fraction})
    if multiple and not explicit:
        right = [c for c in choices if c["fraction"] > 0]
        wrong = [c for c in choices if c["fraction"] <= 0]
        for c in right:
            c["fraction"] = Decimal(100) / len(right)
        for c in wrong:
            c["fraction"] = -Decimal(100) / len(wrong)
    return [{"text": c["text"], "fraction": _fraction(c["fraction"])} for c in choices]


def choices_text(choices: list[dict], *, multiple: bool) -> str:
    """The editor's lines of choices: «+» alone where the shares are the default
    ones, explicit percentages otherwise."""
    right = [c for c in choices if c["fraction"] > 0]
    wrong = len(choices) - len(right)

    def default_share(fraction: float) -> bool:
        if not multiple:
            return fraction in (0, 100)
        target = 100 / len(right) if fraction > 0 else (-100 / wrong if wrong else 0)
        return abs(fraction - target) < 0.01

    plain = all(default_share(c["fraction"]) for c in choices)
    lines = []
    for c in choices:
        f = c["fraction"]
        if plain or f == 0:
            prefix = "+ " if f > 0 else ""
        else:
            number = f"{abs(f):g}".replace(".", ",")
            prefix = f"{'+' if f > 0 else '-'}{number}% "
        lines.append(prefix + c["text"])
    return "\n".join(lines)


def data_from_form(kind: str, values: dict) -> dict:
    """The answer key from the editor's fields (validated)."""
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        data = {
            "choices": parse_choices(
                values.get("choices", ""), multiple=kind == Kind.MULTIPLE
            )
        }
    elif kind == Kind.SHORT:
        data = {
            "answers": [
                {"text": line, "fraction": 100.0}
                for line in _lines(values.get("answers", ""))
            ]
        }
    elif kind == Kind.NUMBER:
        data = {
            "answers": [
                {
                    "value": str(values.get("number") or "").strip(),
                    "tolerance": str(values.get("tolerance") or "0").strip(),
                    "fraction": 100.0,
                }
            ]
        }
    elif kind == Kind.MATCHING:
        pairs = []
        for line in _lines(values.get("pairs", "")):
            left, arrow, right = line.partition("->")
            if not arrow:
                raise DomainError(
                    _("Write each pair as «left -> right»: «%(line)s».")
                    % {"line": line},
                    code="pair",
                )
            pairs.append({"left": left.strip(), "right": right.strip()})
        data = {"pairs": pairs}
    elif kind == Kind.ORDERING:
        data = {"items": _lines(values.get("items", ""))}
    elif kind == Kind.TEXT:
        data = {}
    else:
        data = {"max_files": 5}
    validate(kind, data)
    return data


def form_from_data(kind: str, data: dict) -> dict:
    """The editor's fields for an answer key."""
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        return {
            "choices": choices_text(
                data.get("choices", []), multiple=kind == Kind.MULTIPLE
            )
        }
    if kind == Kind.SHORT:
        return {"answers": "\n".join(a["text"] for a in data.get("answers", []))}
    if kind == Kind.NUMBER:
        first = (data.get("answers") or [{}])[0]
        return {"number": first.get("value", ""), "tolerance": first.get("tolerance")}
    if kind == Kind.MATCHING:
        return {
            "pairs": "\n".join(f"{p['left']} -> {p['right']}" for p in data["pairs"])
        }
    if kind == Kind.ORDERING:
        return {"items": "\n".join(data.get("items", []))}
    return {}


def _refuse(message: str, code: str = "invalid"):
    raise DomainError(message, code=code)


def validate(kind: str, data: dict) -> None:
    """Refuse an answer key that cannot be answered or scored (a Russian message)."""
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        choices = data.get("choices", [])
        if len(choices) < 2:
            _refuse(_("Give at least two choices."))
        if len(choices) > MAX_ITEMS:
            _refuse(_("At most %(count)s choices.") % {"count": MAX_ITEMS})
        if kind == Kind.SINGLE and not any(c["fraction"] >= 100 for c in choices):
            _refuse(_("Mark the right choice with «+»."))
        if kind == Kind.MULTIPLE and not any(c["fraction"] > 0 for c in choices):
            _refuse(_("Mark at least one right choice with «+»."))
    elif kind == Kind.SHORT:
        if not data.get("answers"):
            _refuse(_("Give at least one accepted answer."))
    elif kind == Kind.NUMBER:
        answers = data.get("answers", [])
        if not answers:
            _refuse(_("Give the right number."))
        for a in answers:
            if parse_number(a.get("value")) is None:
                _refuse(
                    _("«%(value)s» is not a number.") % {"value": a.get("value", "")}
                )
            if parse_number(a.get("tolerance", "0")) is None:
                _refuse(
                    _("The tolerance «%(value)s» is not a number.")
                    % {"value": a.get("tolerance")}
                )
    elif kind == Kind.MATCHING:
        pairs = data.get("pairs", [])
        if len(pairs) < 2:
            _refuse(_("Give at least two pairs."))
        if any(not p["left"] or not p["right"] for p in pairs):
            _refuse(_("Each pair needs both sides."))
    elif kind == Kind.ORDERING:
        items = data.get("items", [])
        if len(items) < 2:
            _refuse(_("Give at least two items to put in order."))
        if len(set(items)) != len(items):
            _refuse(_("The items to put in order must differ."))
    for value in _texts(data):
        if len(value) > ITEM_MAX:
            _refuse(
                _("An answer option is too long: at most %(limit)s characters.")
                % {"limit": ITEM_MAX}
            )


def _texts(data: dict):
    for key in ("choices", "answers"):
        for item in data.get(key, []):
            yield str(item.get("text", item.get("value", "")))
    for pair in data.get("pairs", []):
        yield pair["left"]
        yield pair["right"]
    yield from data.get("items", [])
