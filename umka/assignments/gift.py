"""Moodle's GIFT format: teachers bring the question banks they already have.

Supported: multiple choice with one right answer (`=right ~wrong`), with several
(`~%50%a ~%50%b ~%-100%c`), true/false (`{T}`, `{FALSE}`; imported as a single
choice «Верно / Неверно»), short answer (`{=a =b}`), missing word (text on both
sides of the braces), numerical (`{#3.14:0.01}`, `{#1..5}`, several answers with
partial credit), matching (`{=a -> b =c -> d}`), essay (`{}`, a written answer the
teacher grades); titles `::…::`, `$CATEGORY:`, formats `[markdown]`, `[plain]`,
`[html]`, `[moodle]`, feedback `#…` and general feedback `####…`, comments `//`,
escapes `\\~ \\= \\# \\{ \\} \\: \\n`.

Ordering and file questions have no GIFT form: export writes them as a comment
that says so. A file with any broken question imports nothing: the refusal names
the line and the reason (`GiftError`).
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from umka.assignments import questions
from umka.assignments.models import Kind
from umka.assignments.scoring import parse_number
from umka.core.errors import DomainError

TRUE_WORDS = ("T", "TRUE")
FALSE_WORDS = ("F", "FALSE")
TRUE_TEXT, FALSE_TEXT = "Верно", "Неверно"
_FORMAT = re.compile(r"^\[(markdown|plain|html|moodle)\]", re.IGNORECASE)
_PERCENT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_SPECIAL = "~=#{}:"


class GiftError(DomainError):
    def __init__(self, line: int, reason: str):
        super().__init__(
            _("Line %(line)s: %(reason)s Nothing was imported.")
            % {"line": line, "reason": reason},
            code="gift",
        )
        self.line = line


@dataclass
class GiftQuestion:
    kind: str
    text: str
    data: dict
    name: str = ""
    category: str = ""
    feedback: str = ""
    line: int = 0
    extra: dict = field(default_factory=dict)

    def key(self) -> tuple:
        """What a round trip must keep."""
        return (
            self.kind,
            self.name,
            self.category,
            self.text,
            self.data,
            self.feedback,
        )


# --- Reading ----------------------------------------------------------------------


def _blocks(source: str):
    """(first line number, text) of each question; «//» comment lines dropped."""
    block, start = [], 0
    for number, line in enumerate(source.splitlines(), start=1):
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            if block:
                yield start, "\n".join(block)
            block = []
            continue
        if not block:
            start = number
        block.append(line)
    if block:
        yield start, "\n".join(block)


def _find(text: str, char: str, start: int = 0) -> int:
    """Index of the first unescaped `char` from `start`, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            return i
        i += 1
    return -1


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _split_items(body: str) -> list[tuple[str, str]]:
    """(«=» or «~», raw text) of each answer of a block."""
    items, i, current, mark = [], 0, [], None
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            current.append(body[i : i + 2])
            i += 2
            continue
        if ch in "=~":
            if mark is not None:
                items.append((mark, "".join(current)))
            mark, current = ch, []
        else:
            current.append(ch)
        i += 1
    if mark is not None:
        items.append((mark, "".join(current)))
    elif "".join(current).strip():
        items.append(("", "".join(current)))
    return items


def _feedback(raw: str) -> tuple[str, str]:
    at = _find(raw, "#")
    if at < 0:
        return raw, ""
    return raw[:at], unescape(raw[at + 1 :]).strip()


def _percent(raw: str, line: int) -> tuple[float | None, str]:
    raw = raw.strip()
    match = _PERCENT.match(raw)
    if not match:
        return None, raw
    value = float(match[1])
    if not -100 <= value <= 100:
        raise GiftError(line, _("a percentage must be between -100 and 100."))
    return value, raw[match.end() :].strip()


def _line_of(block: str, index: int, start: int) -> int:
    return start + block.count("\n", 0, max(index, 0))


def parse(source: str) -> list[GiftQuestion]:
    """Every question of a GIFT text; GiftError at the first broken one."""
    found, category = [], ""
    for start, block in _blocks(source):
        stripped = block.strip()
        if stripped.startswith("$CATEGORY:"):
            category = stripped[len("$CATEGORY:") :].strip()
            category = category.removeprefix("$course$/").removeprefix("$system$/")
            continue
        question = _question(block, start)
        question.category = category
        found.append(question)
    if not found:
        raise GiftError(1, _("no questions found."))
    return found


def _question(block: str, start: int) -> GiftQuestion:
    text, name = block.strip(), ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise GiftError(start, _("the title «::…::» is not closed."))
        name, text = unescape(text[2:end]).strip(), text[end + 2 :].lstrip()
    text = _FORMAT.sub("", text, count=1)
    open_at = _find(text, "{")
    if open_at < 0:
        raise GiftError(
            start,
            _("no answers in braces {…}: descriptions are not supported."),
        )
    close_at = _find(text, "}", open_at + 1)
    offset = block.find(text[:20]) if text[:20] else 0
    if close_at < 0:
        raise GiftError(
            _line_of(block, offset + open_at, start),
            _("the answers «{» are not closed with «}»."),
        )
    if _find(text, "{", close_at + 1) >= 0:
        raise GiftError(
            _line_of(block, offset + close_at, start),
            _("a question may have one block of answers {…}."),
        )
    before, body, after = (
        text[:open_at],
        text[open_at + 1 : close_at],
        text[close_at + 1 :],
    )
    line = _line_of(block, offset + open_at, start)
    question_text = unescape(before).strip()
    if after.strip():
        question_text = f"{question_text} _____ {unescape(after).strip()}".strip()
    if not question_text:
        raise GiftError(start, _("the question has no text."))
    kind, data, general = _answers(body, line)
    question = GiftQuestion(
        kind=kind,
        text=question_text,
        data=data,
        name=name,
        feedback=general,
        line=start,
    )
    try:
        questions.validate(kind, data)
    except DomainError as error:
        raise GiftError(line, error.message) from None
    return question


def _answers(body: str, line: int) -> tuple[str, dict, str]:
    general = ""
    at = body.find("####")
    if at >= 0:
        body, general = body[:at], unescape(body[at + 4 :]).strip()
    content = body.strip()
    if not content:
        return Kind.TEXT, {}, general
    if content.startswith("#"):
        return Kind.NUMBER, _numerical(content[1:], line), general
    word, _hash, _rest = content.partition("#")
    if word.strip().upper() in TRUE_WORDS + FALSE_WORDS:
        right = word.strip().upper() in TRUE_WORDS
        return (
            Kind.SINGLE,
            {
                "choices": [
                    {"text": TRUE_TEXT, "fraction": 100.0 if right else 0.0},
                    {"text": FALSE_TEXT, "fraction": 0.0 if right else 100.0},
                ]
            },
            general,
        )
    items = _split_items(content)
    if not items or items[0][0] == "":
        raise GiftError(line, _("each answer must start with «=» or «~»."))
    if any("->" in raw for mark, raw in items if mark == "="):
        pairs = []
        for mark, raw in items:
            raw, _fb = _feedback(raw)
            left, arrow, right = raw.partition("->")
            if mark != "=" or not arrow:
                raise GiftError(line, _("each matching pair is «=left -> right»."))
            pairs.append(
                {"left": unescape(left).strip(), "right": unescape(right).strip()}
            )
        return Kind.MATCHING, {"pairs": pairs}, general
    choices, tildes = [], any(mark == "~" for mark, _raw in items)
    for mark, raw in items:
        raw, feedback = _feedback(raw)
        percent, raw = _percent(raw, line)
        fraction = percent if percent is not None else (100.0 if mark == "=" else 0.0)
        entry = {"text": unescape(raw).strip(), "fraction": fraction}
        if not entry["text"]:
            raise GiftError(line, _("an answer is empty."))
        if feedback:
            entry["feedback"] = feedback
        choices.append(entry)
    if not tildes:
        return Kind.SHORT, {"answers": choices}, general
    has_equals = any(mark == "=" for mark, _raw in items)
    kind = Kind.SINGLE if has_equals else Kind.MULTIPLE
    return kind, {"choices": choices}, general


def _numerical(content: str, line: int) -> dict:
    items = _split_items(content)
    if not items or items[0][0] == "":
        items = [("=", content)]
    answers = []
    for mark, raw in items:
        raw, _fb = _feedback(raw)
        percent, raw = _percent(raw, line)
        fraction = percent if percent is not None else (100.0 if mark == "=" else 0.0)
        raw = raw.strip()
        if ".." in raw:
            low, _dots, high = raw.partition("..")
            lo, hi = parse_number(low), parse_number(high)
            if lo is None or hi is None or hi < lo:
                raise GiftError(line, _("a range is written «min..max»."))
            value, tolerance = (lo + hi) / 2, (hi - lo) / 2
        else:
            number, _colon, spread = raw.partition(":")
            value = parse_number(number)
            tolerance = parse_number(spread or "0")
            if value is None or tolerance is None:
                raise GiftError(
                    line, _("«%(value)s» is not a number.") % {"value": raw}
                )
        answers.append(
            {
                "value": _number_text(value),
                "tolerance": _number_text(tolerance),
                "fraction": fraction,
            }
        )
    return {"answers": answers}


def _number_text(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- Writing ----------------------------------------------------------------------


def escape(text: str) -> str:
    out = []
    for ch in str(text):
        if ch == "\\":
            out.append("\\\\")
        elif ch in _SPECIAL:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return "".join(out)


def _fraction_text(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _choice(mark: str, entry: dict, *, default: float) -> str:
    fraction = float(entry.get("fraction", 0))
    percent = "" if fraction == default else f"%{_fraction_text(fraction)}%"
    feedback = f"#{escape(entry['feedback'])}" if entry.get("feedback") else ""
    return f"\t{mark}{percent}{escape(entry['text'])}{feedback}"


def _body(kind: str, data: dict) -> list[str] | None:
    if kind == Kind.SINGLE:
        return [
            _choice("=", c, default=100.0)
            if c["fraction"] >= 100
            else _choice("~", c, default=0.0)
            for c in data["choices"]
        ]
    if kind == Kind.MULTIPLE:
        return [_choice("~", c, default=-1000.0) for c in data["choices"]]
    if kind == Kind.SHORT:
        return [_choice("=", a, default=100.0) for a in data["answers"]]
    if kind == Kind.NUMBER:
        lines = ["\t#"]
        for a in data["answers"]:
            fraction = float(a.get("fraction", 100))
            percent = "" if fraction == 100 else f"%{_fraction_text(fraction)}%"
            lines.append(f"\t={percent}{a['value']}:{a.get('tolerance') or 0}")
        return lines
    if kind == Kind.MATCHING:
        return [
            f"\t={escape(p['left'])} -> {escape(p['right'])}" for p in data["pairs"]
        ]
    if kind == Kind.TEXT:
        return []
    return None


def write(items) -> str:
    """GIFT text of bank questions (or GiftQuestions): kind, text, data, name,
    category, feedback. Kinds GIFT cannot hold are written as a comment."""
    out, category = [], None
    for q in items:
        if (q.category or "") != category:
            category = q.category or ""
            out.append(f"$CATEGORY: {category}\n" if category else "$CATEGORY: \n")
        title = f"::{escape(q.name)}::" if q.name else ""
        body = _body(q.kind, q.data or {})
        if body is None:
            label = Kind(q.kind).label
            first = " ".join(q.text.split())[:80]
            out.append(
                "// "
                + _("Not exported (%(kind)s has no GIFT form): %(text)s")
                % {"kind": label, "text": first}
                + "\n"
            )
            continue
        general = f"\t####{escape(q.feedback)}\n" if q.feedback else ""
        if not body:
            out.append(f"{title}[markdown]{escape(q.text)}{{{general.strip()}}}\n")
            continue
        out.append(
            f"{title}[markdown]{escape(q.text)}{{\n"
            + "\n".join(body)
            + f"\n{general}}}\n"
        )
    return "\n".join(out)
