"""Column mapping: which column of a file holds which field, whatever its header.

Headers are matched case- and space-insensitively, «ё» as «е», ignoring a hint in
brackets («Дата рождения (ДД.ММ.ГГГГ)») and a trailing «*»; each column lists the
Russian variants and English names it answers to. A title row above the header
(«Список 7А») is skipped. A kind of import declares its columns and any rule
about the header as a whole (`header_checks`).
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from umka.imports.readers import Table

#: How far down a file the header row is looked for.
HEADER_SEARCH_ROWS = 5
_MISSING = gettext_noop("The required column is missing.")


def normalise_header(text: object) -> str:
    """«  Дата рождения (ДД.ММ.ГГГГ)* » → «дата рождения»."""
    value = str(text or "").replace("\xa0", " ").casefold().replace("ё", "е")
    value = re.sub(r"\(.*?\)|\[.*?\]", " ", value)
    value = re.sub(r"[_\-.*:;,/\\№#\"'«»]+", " ", value)
    return " ".join(value.split())


@dataclass(frozen=True)
class Column:
    key: str
    #: The header as our templates write it; also how the report names a column
    #: the file lacks. Column names are part of the file format, hence not translated.
    title: str
    aliases: tuple[str, ...]
    help: Promise
    example: str = ""
    required: bool = False

    @property
    def names(self) -> frozenset[str]:
        return frozenset(normalise_header(a) for a in (self.title, *self.aliases))


@dataclass
class HeaderMap:
    """Which column of the file holds which field, and what the file calls it."""

    index: dict[str, int] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    #: (column title, msgid, params) of problems with the header row itself
    problems: list[tuple[str, str, dict]] = field(default_factory=list)

    def title(self, key: str) -> str:
        return self.titles.get(key, key)

    def has(self, key: str) -> bool:
        return key in self.index

    def missing(self, title: str) -> None:
        self.problems.append((title, _MISSING, {}))


HeaderCheck = Callable[[HeaderMap], None]

# --- a person's name: the columns every kind about people shares ---------------

LAST_NAME = Column(
    "last_name",
    "Фамилия",
    ("фамилия", "last name", "surname", "family name"),
    _("Required (or give ФИО in one column)."),
    "Иванова",
)
FIRST_NAME = Column(
    "first_name",
    "Имя",
    ("имя", "first name", "given name"),
    _("Required (or give ФИО in one column)."),
    "Мария",
)
MIDDLE_NAME = Column(
    "middle_name",
    "Отчество",
    ("отчество", "patronymic", "middle name"),
    _("Optional: leave empty if the person has none."),
    "Петровна",
)
FULL_NAME = Column(
    "full_name",
    "ФИО",
    ("фио", "ф и о", "фамилия имя отчество", "full name"),
    _("Instead of the three columns above: «Фамилия Имя Отчество» in one cell."),
)


def map_headers(
    columns: Iterable[Column], headers: list[object], checks: Iterable[HeaderCheck] = ()
) -> HeaderMap:
    """Match the header row against `columns`, then apply the kind's `checks`."""
    columns = tuple(columns)
    by_name = {name: column for column in columns for name in column.names}
    result = HeaderMap()
    for position, raw in enumerate(headers):
        text = " ".join(str(raw or "").split())
        if not text:
            continue
        column = by_name.get(normalise_header(text))
        if column is None:
            result.ignored.append(text)
        elif column.key in result.index:
            result.problems.append(
                (
                    text,
                    gettext_noop(
                        "The column appears twice (also as «%(other)s»). Keep one."
                    ),
                    {"other": result.titles[column.key]},
                )
            )
        else:
            result.index[column.key] = position
            result.titles[column.key] = text
    for column in columns:
        if column.required and column.key not in result.index:
            result.missing(column.title)
    for check in checks:
        check(result)
    return result


def person_name_columns(result: HeaderMap) -> None:
    """ФИО in one column, or Фамилия and Имя (and Отчество) in separate ones."""
    if result.has("full_name") and (
        result.has("last_name") or result.has("first_name")
    ):
        result.problems.append(
            (
                result.titles["full_name"],
                gettext_noop(
                    "Give either ФИО in one column or Фамилия and Имя in two, not both."
                ),
                {},
            )
        )
    elif not result.has("full_name"):
        for key, title in (("last_name", "Фамилия"), ("first_name", "Имя")):
            if not result.has(key):
                result.missing(title)


def find_header(
    table: Table, mapper: Callable[[list[object]], HeaderMap]
) -> tuple[Table, HeaderMap]:
    """The first of the top rows that looks like the header (a title may precede it)."""
    headers = mapper(table.headers)
    if headers.problems:
        for position in range(min(HEADER_SEARCH_ROWS, len(table.rows))):
            candidate = table.header_at(position)
            mapped = mapper(candidate.headers)
            if not mapped.problems:
                return candidate, mapped
    return table, headers
