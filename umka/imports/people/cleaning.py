"""The cells only people files have: roles, kinds of parent link, a parent's
children, a teacher's subjects and classes, working time. A bad cell raises
`CellError` with an English msgid for the report."""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_noop

from umka.accounts.models import ParentLink, Role
from umka.imports.cleaning import (
    CellError,
    class_name,
    date,
    fold,
    full_name,
    hours,
    login,
    text,
)

# --- roles, kinds of link -------------------------------------------------------

_ROLE_NAMES = {
    Role.TEACHER: ("учитель", "педагог", "преподаватель", "teacher"),
    Role.DEPUTY_HEAD: (
        "заместитель директора",
        "заместитель руководителя",
        "зам директора",
        "завуч",
        "deputy head",
        "deputy",
    ),
    Role.UNIT_HEAD: (
        "руководитель структурного подразделения",
        "руководитель подразделения",
        "head of unit",
        "head of structural unit",
    ),
    Role.STAFF: (
        "иной работник",
        "другой работник",
        "работник",
        "other staff",
        "staff",
    ),
    Role.ADMINISTRATOR: ("администратор", "administrator", "admin"),
    Role.DIRECTOR: ("директор", "руководитель", "director", "head"),
}
_ROLES = {fold(name): role for role, names in _ROLE_NAMES.items() for name in names}
ROLE_HINT = (
    "учитель, заместитель директора, руководитель структурного подразделения, "
    "иной работник, администратор, директор"
)


def roles(value: object) -> list[str]:
    raw = text(value)
    if not raw:
        raise CellError(gettext_noop("The cell is empty."))
    result = []
    for part in re.split(r"[,;\n]", raw):
        name = fold(part.strip(" ."))
        if not name:
            continue
        role = _ROLES.get(name)
        if role is None:
            raise CellError(
                gettext_noop("Unknown role «%(value)s». Known roles: %(known)s."),
                value=part.strip(),
                known=ROLE_HINT,
            )
        if role not in result:
            result.append(role)
    return result


_KIND_NAMES = {
    ParentLink.Kind.MOTHER: ("мать", "мама", "mother"),
    ParentLink.Kind.FATHER: ("отец", "папа", "father"),
    ParentLink.Kind.GUARDIAN: ("опекун", "попечитель", "guardian"),
    ParentLink.Kind.OTHER: (
        "иной законный представитель",
        "законный представитель",
        "представитель",
        "other",
        "other legal representative",
    ),
}
_KINDS = {fold(name): kind for kind, names in _KIND_NAMES.items() for name in names}


def relation(value: object) -> str:
    raw = text(value)
    if not raw:
        raise CellError(gettext_noop("The cell is empty."))
    kind = _KINDS.get(fold(raw.strip(" .")))
    if kind is None:
        raise CellError(
            gettext_noop(
                "«%(value)s» is not understood. Write мать, отец, опекун or иной "
                "законный представитель."
            ),
            value=raw,
        )
    return kind


# --- children of a parent -------------------------------------------------------


@dataclass(frozen=True)
class ChildRef:
    """One child named in a parent's row: a login, or ФИО with a birth date."""

    text: str
    login: str = ""
    last_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    birth_date: dt.date | None = None


def children(value: object, *, today: dt.date) -> list[ChildRef]:
    raw = text(value)
    if not raw:
        raise CellError(gettext_noop("The cell is empty."))
    result: list[ChildRef] = []
    for part in (p.strip() for p in re.split(r"[;\n]", raw)):
        if not part:
            continue
        if "," in part:
            name_text, _sep, date_text = part.rpartition(",")
            try:
                last, first, middle = full_name(name_text)
                born = date(date_text.strip(), today=today)
            except CellError as exc:
                raise CellError(
                    gettext_noop(
                        "«%(value)s»: write a child as «Фамилия Имя Отчество, "
                        "ДД.ММ.ГГГГ» or as the child's login."
                    ),
                    value=part,
                ) from exc
            ref = ChildRef(part, "", last, first, middle, born)
        elif " " in part:
            raise CellError(
                gettext_noop(
                    "«%(value)s»: add the birth date after a comma («Фамилия Имя "
                    "Отчество, ДД.ММ.ГГГГ») or give the child's login."
                ),
                value=part,
            )
        else:
            ref = ChildRef(part, login=login(part))
        if ref not in result:
            result.append(ref)
    if not result:
        raise CellError(gettext_noop("The cell is empty."))
    return result


# --- teaching load and working time ---------------------------------------------


@dataclass(frozen=True)
class Lesson:
    subject: str
    grade: int
    letter: str
    hours: Decimal


_LESSON_RE = re.compile(r"^(.+?)\s+(\d+(?:[.,]\d)?)$")


def subjects(value: object) -> list[Lesson]:
    """«Математика: 5А 5, 5Б 5; Алгебра: 7А 3» → lessons (subject, class, hours)."""
    raw = text(value)
    result: list[Lesson] = []
    if not raw:
        return result
    seen = set()
    for segment in (s.strip() for s in re.split(r"[;\n]", raw)):
        if not segment:
            continue
        subject, sep, items = segment.partition(":")
        subject = subject.strip()
        if not sep or not subject or not items.strip():
            raise CellError(
                gettext_noop(
                    "«%(value)s»: write «Предмет: класс часы, класс часы», e.g. "
                    "«Математика: 5А 5, 5Б 4»."
                ),
                value=segment,
            )
        for item in (i.strip() for i in items.split(",")):
            if not item:
                continue
            match = _LESSON_RE.match(item)
            if not match:
                raise CellError(
                    gettext_noop(
                        "«%(value)s»: give the class and hours a week, e.g. «5А 5»."
                    ),
                    value=item,
                )
            grade, letter = class_name(match.group(1))
            amount = hours(match.group(2))
            if not amount:
                raise CellError(
                    gettext_noop("«%(value)s»: hours a week must be more than 0."),
                    value=item,
                )
            key = (fold(subject), grade, letter)
            if key in seen:
                raise CellError(
                    gettext_noop("«%(subject)s» in %(class)s is given twice."),
                    subject=subject,
                    **{"class": f"{grade}{letter}"},
                )
            seen.add(key)
            result.append(Lesson(subject, grade, letter, amount))
    return result


_WEEKDAYS = {
    0: ("пн", "пон", "понедельник", "mon", "monday"),
    1: ("вт", "вто", "вторник", "tue", "tuesday"),
    2: ("ср", "сре", "среда", "wed", "wednesday"),
    3: ("чт", "чет", "четверг", "thu", "thursday"),
    4: ("пт", "пят", "пятница", "fri", "friday"),
    5: ("сб", "суб", "суббота", "sat", "saturday"),
    6: ("вс", "вос", "воскресенье", "sun", "sunday"),
}
_WEEKDAY = {name: day for day, names in _WEEKDAYS.items() for name in names}
_REGIME_RE = re.compile(
    r"^(?P<days>.+?)\s+(?P<start>\d{1,2}[:.]\d{2})\s*[-–—]\s*(?P<end>\d{1,2}[:.]\d{2})$"
)


def _time(raw: str) -> dt.time:
    hour, minute = (int(p) for p in re.split(r"[:.]", raw))
    return dt.time(hour, minute)


def _weekday(raw: str) -> int:
    day = _WEEKDAY.get(fold(raw).strip(" ."))
    if day is None:
        raise ValueError(raw)
    return day


def working_time(value: object) -> list[tuple[int, dt.time, dt.time]]:
    """«пн-пт 09:00-17:00; сб 10:00-13:00» → [(weekday, from, until), …]."""
    raw = text(value)
    result: dict[int, tuple[int, dt.time, dt.time]] = {}
    if not raw:
        return []
    for segment in (s.strip() for s in re.split(r"[;\n]", raw)):
        if not segment:
            continue
        match = _REGIME_RE.match(segment)
        try:
            if not match:
                raise ValueError(segment)
            start, end = _time(match.group("start")), _time(match.group("end"))
            days: list[int] = []
            for part in match.group("days").split(","):
                first, _sep, last = part.strip().partition("-")
                if last:
                    a, b = _weekday(first), _weekday(last)
                    days.extend(range(a, b + 1) if a <= b else [])
                    if a > b:
                        raise ValueError(part)
                else:
                    days.append(_weekday(first))
        except ValueError as exc:
            raise CellError(
                gettext_noop(
                    "«%(value)s» is not understood. Write working days and hours like "
                    "«пн-пт 09:00-17:00» or «пн, ср 10:00-14:00; пт 09:00-13:00»."
                ),
                value=segment,
            ) from exc
        if end <= start:
            raise CellError(
                gettext_noop("«%(value)s»: the end must be later than the start."),
                value=segment,
            )
        for day in days:
            if day in result:
                raise CellError(
                    gettext_noop("«%(value)s»: a day is given twice."), value=segment
                )
            result[day] = (day, start, end)
    return [result[day] for day in sorted(result)]
