"""Turning one cell into a value, or a CellError with a message for the report.

Messages are English msgids marked with gettext_noop; the report translates them
when it is shown, so the same stored report reads in Russian or English.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_noop

from umka.accounts.models import ParentLink, Role


class CellError(Exception):
    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message = message
        self.params = params


def text(value: object) -> str:
    """A cell as trimmed text; whole numbers from Excel lose their «.0»."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    # NFC: files made on a Mac spell «й» as «и» + a combining breve.
    return " ".join(
        unicodedata.normalize("NFC", str(value)).replace("\xa0", " ").split()
    )


def fold(value: str) -> str:
    """Comparison form of a name: case-insensitive, «ё» = «е», single spaces."""
    return " ".join(value.casefold().replace("ё", "е").split())


# --- names ----------------------------------------------------------------------

_NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '’\-][^\W\d_]+)*\.?$")


def name_part(value: object, *, required: bool) -> str:
    result = text(value)
    if not result:
        if required:
            raise CellError(gettext_noop("The cell is empty."))
        return ""
    if len(result) > 150:
        raise CellError(gettext_noop("Too long: at most 150 characters."))
    if not _NAME_RE.match(result):
        raise CellError(
            gettext_noop("Only letters, spaces, hyphens and apostrophes are allowed.")
        )
    return result


def full_name(value: object) -> tuple[str, str, str]:
    """«Иванова Мария Петровна» → (Иванова, Мария, Петровна); «… Ильхам оглы» too."""
    words = text(value).split(" ")
    if len(words) < 2 or not words[0]:
        raise CellError(
            gettext_noop("Write the surname and the first name, e.g. «Иванова Мария».")
        )
    last, first, middle = words[0], words[1], " ".join(words[2:])
    return (
        name_part(last, required=True),
        name_part(first, required=True),
        name_part(middle, required=False),
    )


# --- dates and numbers ----------------------------------------------------------

_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(value: object, *, today: dt.date) -> dt.date:
    """ДД.ММ.ГГГГ, ГГГГ-ММ-ДД, ДД/ММ/ГГГГ or a real Excel date; not in the future."""
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell formatted as a number: days since Excel's epoch.
        if not 1 <= value < 80_000:
            raise CellError(gettext_noop("This is not a date. Write it as ДД.ММ.ГГГГ."))
        result = _EXCEL_EPOCH + dt.timedelta(days=int(value))
    else:
        raw = text(value)
        if not raw:
            raise CellError(gettext_noop("The cell is empty."))
        # «2013-05-17 00:00:00» from a CSV saved by some programs
        raw = raw.split(" ")[0]
        result = None
        for fmt in _DATE_FORMATS:
            try:
                result = dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007
                break
            except ValueError:
                continue
        if result is None:
            if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{2}", raw):
                raise CellError(
                    gettext_noop(
                        "«%(value)s»: write the year with four digits (ДД.ММ.ГГГГ)."
                    ),
                    value=raw,
                )
            raise CellError(
                gettext_noop(
                    "«%(value)s» is not a valid date. Write it as ДД.ММ.ГГГГ, e.g. "
                    "17.05.2013."
                ),
                value=raw,
            )
    if result > today:
        raise CellError(
            gettext_noop("The date %(value)s is in the future."),
            value=result.strftime("%d.%m.%Y"),
        )
    if result.year < 1900:
        raise CellError(
            gettext_noop("The date %(value)s is too far in the past."),
            value=result.strftime("%d.%m.%Y"),
        )
    return result


def hours(value: object) -> Decimal | None:
    """Hours a week: 0–60, at most one decimal place («2,5» is fine)."""
    raw = text(value).replace(",", ".")
    if not raw:
        return None
    try:
        result = Decimal(raw)
    except InvalidOperation as exc:
        raise CellError(
            gettext_noop("«%(value)s» is not a number of hours."), value=raw
        ) from exc
    if not result.is_finite() or result < 0 or result > 60:
        raise CellError(
            gettext_noop("Hours a week must be between 0 and 60, not %(value)s."),
            value=raw,
        )
    if result != result.quantize(Decimal("0.1")):
        raise CellError(
            gettext_noop("At most one decimal place, e.g. 2.5 (not %(value)s)."),
            value=raw,
        )
    return result.quantize(Decimal("0.1"))


# --- classes --------------------------------------------------------------------

# Latin letters typed instead of the Cyrillic look-alikes in «7A», «5B», «9C».
_LOOKALIKES = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")
_CLASS_RE = re.compile(r"^(\d{1,2})\s*[-–—]?\s*([^\W\d_])\s*(?:класс|кл\.?)?$", re.I)


def class_name(value: object) -> tuple[int, str]:
    """«7А», «7 а», «7-А», «7A» (Latin) → (7, "А")."""
    raw = text(value)
    if not raw:
        raise CellError(gettext_noop("The cell is empty."))
    match = _CLASS_RE.match(raw)
    if not match:
        raise CellError(
            gettext_noop("«%(value)s» is not a class. Write it like «7А»."), value=raw
        )
    return int(match.group(1)), match.group(2).upper().translate(_LOOKALIKES)


# --- contacts and logins --------------------------------------------------------


def phone(value: object) -> str:
    """Any common Russian notation → +7XXXXXXXXXX; other countries kept with «+»."""
    raw = text(value)
    if not raw:
        return ""
    if re.search(r"[^\d\s()+\-.]", raw):
        raise CellError(gettext_noop("«%(value)s» is not a phone number."), value=raw)
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 11 and digits[0] in "78" and not raw.startswith("+8"):
        return "+7" + digits[1:]
    if len(digits) == 10 and digits[0] == "9":
        return "+7" + digits
    if raw.startswith("+") and 10 <= len(digits) <= 15:
        return "+" + digits
    raise CellError(
        gettext_noop(
            "«%(value)s» is not a phone number. Write it like +7 916 123-45-67."
        ),
        value=raw,
    )


def same_phone(stored: str, other: str) -> bool:
    """Compare a stored phone (maybe in any notation) with a normalised one."""
    if not stored or not other:
        return False
    try:
        return phone(stored) == other
    except CellError:
        return re.sub(r"\D", "", stored) == re.sub(r"\D", "", other)


def email(value: object) -> str:
    raw = text(value)
    if not raw:
        return ""
    try:
        validate_email(raw)
    except ValidationError as exc:
        raise CellError(
            gettext_noop("«%(value)s» is not an e-mail address."), value=raw
        ) from exc
    return raw.lower()


_LOGIN_RE = re.compile(r"^[\w.@+-]{1,150}$")


def login(value: object) -> str:
    raw = text(value)
    if raw and not _LOGIN_RE.match(raw):
        raise CellError(
            gettext_noop(
                "«%(value)s» cannot be a login: use letters, digits and . @ + - _ "
                "without spaces."
            ),
            value=raw,
        )
    return raw


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
