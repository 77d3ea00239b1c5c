"""Marks as the electronic journal writes them, and what each one counts as (R9).

A journal cell holds a mark (2–5), a mark with a sign («5-», «4+») or a double mark
(«5/4»), an absence («н», «Н», «нб»), or a pass/fail result («зач», «зачтено», «з»;
«незач», «не зачтено», «нз»). Absences and pass/fail results are stored as such,
never as 2–5, and never count in an average. A signed or a double mark counts as
the school decides (`School.signed_marks`, `School.double_marks`): by default the
main mark — the digit of «5-», the first of «5/4».
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from umka.grades.models import HIGHEST_GRADE, LOWEST_GRADE, Grade
from umka.imports.cleaning import CellError, text
from umka.school.selectors import current_school

#: School.signed_marks
SIGNED_DIGIT, SIGNED_MINUS_LOWER = "digit", "minus_lower"
#: School.double_marks
DOUBLE_FIRST, DOUBLE_LOWER = "first", "lower"

_ABSENT = {"н", "нб", "н/б", "н б", "отс"}
_PASS = {"з", "зач", "зачет", "зачтено", "зачт", "зч", "зачтен"}
_FAIL = {
    "нз",
    "н/з",
    "н з",
    "незач",
    "не зач",
    "незачет",
    "не зачет",
    "незачтено",
    "не зачтено",
    "незачтен",
    "не зачтен",
}
_MINUSES = "-−–—"
_SIGNED = re.compile(rf"^([1-9])\s*([+{_MINUSES}]?)$")
_DOUBLE = re.compile(rf"^([1-9]\s*[+{_MINUSES}]?)\s*/\s*([1-9]\s*[+{_MINUSES}]?)$")
_NUMBER = re.compile(r"^([1-9])(?:[.,]0+)?$")


@dataclass(frozen=True)
class MarkRules:
    """How the school counts «5-»/«4+» and «5/4» (see School)."""

    signed: str = SIGNED_DIGIT
    double: str = DOUBLE_FIRST


def school_rules() -> MarkRules:
    """The school's choices; the defaults before a school is set up."""
    school = current_school()
    if school is None:
        return MarkRules()
    return MarkRules(signed=school.signed_marks, double=school.double_marks)


@dataclass(frozen=True)
class Mark:
    kind: str
    #: 2–5 for a mark, None otherwise
    value: int | None = None
    #: the journal's spelling of a signed or double mark («5-», «5/4»), else ""
    written: str = ""


def _key(raw: str) -> str:
    value = raw.casefold().replace("ё", "е").strip(" .")
    return " ".join(value.replace(".", " ").split())


def _bad(raw: str) -> CellError:
    return CellError(
        gettext_noop(
            "«%(value)s» is not a grade: write 2, 3, 4 or 5 (also «5-», «4+», «5/4»), "
            "«н» for an absence, «зач» or «незач»."
        ),
        value=raw,
    )


def _signed(part: str, rules: MarkRules, raw: str) -> int:
    match = _SIGNED.match(part.strip())
    if not match:
        raise _bad(raw)
    digit, sign = int(match.group(1)), match.group(2)
    if not LOWEST_GRADE <= digit <= HIGHEST_GRADE:
        raise _bad(raw)
    if sign and sign in _MINUSES and rules.signed == SIGNED_MINUS_LOWER:
        return max(LOWEST_GRADE, digit - 1)
    return digit


def parse_mark(value: object, rules: MarkRules | None = None) -> Mark:
    """One journal cell → a Mark, or CellError (the whole file is then refused)."""
    rules = rules or MarkRules()
    raw = text(value)
    if not raw:
        raise CellError(gettext_noop("The cell is empty."))
    number = _NUMBER.match(raw)
    if number:
        digit = int(number.group(1))
        if not LOWEST_GRADE <= digit <= HIGHEST_GRADE:
            raise _bad(raw)
        return Mark(Grade.Kind.MARK, digit)
    key = _key(raw)
    if key in _ABSENT:
        return Mark(Grade.Kind.ABSENT)
    if key in _PASS:
        return Mark(Grade.Kind.PASS)
    if key in _FAIL:
        return Mark(Grade.Kind.FAIL)
    compact = raw.replace(" ", "")
    double = _DOUBLE.match(compact)
    if double:
        first = _signed(double.group(1), rules, raw)
        second = _signed(double.group(2), rules, raw)
        counted = min(first, second) if rules.double == DOUBLE_LOWER else first
        return Mark(Grade.Kind.MARK, counted, compact)
    if _SIGNED.match(compact):
        return Mark(Grade.Kind.MARK, _signed(compact, rules, raw), compact)
    raise _bad(raw)
