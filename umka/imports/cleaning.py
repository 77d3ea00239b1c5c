"""Turning one cell into a value, or a CellError with a message for the report:
the cells every kind of import shares (names, dates, numbers, classes, contacts).

Messages are English msgids marked with gettext_noop; the report translates them
when it is shown, so the same stored report reads in Russian or English.
"""

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_noop


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


#: Small words of names that stay in small letters after the first word
#: («Ильхам оглы», «Людвиг ван Бетховен»).
_PARTICLES = frozenset(
    [
        "оглы",
        "кызы",
        "улы",
        "уулу",
        "гызы",
        "ибн",
        "бин",
        "бен",
        "фон",
        "ван",
        "дер",
        "де",
        "ди",
        "да",
        "дю",
        "ла",
        "ле",
        "аль",
        "эль",
    ]
)
_WORD_START = re.compile(r"(^|[-'’])(\w)")


def proper_case(value: str) -> str:
    """A name written in capitals as names are written: «КУЗНЕЦОВА АННА» →
    «Кузнецова Анна», «РИМСКИЙ-КОРСАКОВ» → «Римский-Корсаков», «ОГЛЫ» → «оглы»
    after the first word. Words not wholly in capitals are kept as written
    («МакДональд», «де Голль»), and so are single letters («А.»)."""
    if value.istitle() or not any(word.isupper() for word in value.split(" ")):
        return value  # the usual case («Иванова», «Римский-Корсаков»), at C speed
    words = []
    for position, word in enumerate(value.split(" ")):
        if not word.isupper() or len(word.strip(".'’-")) < 2:
            words.append(word)
        elif position and word.lower() in _PARTICLES:
            words.append(word.lower())
        else:
            words.append(
                _WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), word.lower())
            )
    return " ".join(words)


def name_part(value: object, *, required: bool) -> str:
    """One part of a name, checked; a name in capitals is written as names are."""
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
    return proper_case(result)


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


def class_key(grade: int, letter: str) -> tuple[int, str]:
    """How a class is looked up: (7, "А") whether its letter was typed in Latin."""
    return grade, letter.upper().translate(_LOOKALIKES)


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
    return class_key(int(match.group(1)), match.group(2))


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
