"""What every kind of import checks and plans with: a data row, an error in the
report, the plan of a whole file and what applying it produced.

Messages are English msgids (gettext_noop); the report translates them when it is
shown, so the same stored report reads in Russian or English.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from umka.imports import cleaning
from umka.imports.cleaning import CellError, text
from umka.imports.headers import HeaderMap

#: What Row.get() returns for a cell that did not parse (its error is recorded).
INVALID = object()


@dataclass
class RowError:
    """One problem: row as in Excel (None: the file as a whole), column, reason."""

    row: int | None
    column: str
    message: str  # English msgid; translated when shown
    params: dict = field(default_factory=dict)
    value: str = ""

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "params": self.params,
            "value": self.value[:200],
        }


class Row:
    """One data row: raw cells by field key, and the errors found in it."""

    def __init__(self, number: int, cells: list, headers: HeaderMap, errors: list):
        self.number = number
        self.cells = cells
        self.headers = headers
        self._errors = errors
        self.ok = True

    def raw(self, key: str) -> object:
        position = self.headers.index.get(key)
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def error(self, key: str, message: str, params: dict | None = None, value=None):
        self.ok = False
        self._errors.append(
            RowError(
                self.number,
                self.headers.title(key),
                message,
                params or {},
                text(self.raw(key) if value is None else value),
            )
        )

    def get(self, key: str, parser: Callable, *args, **kwargs):
        try:
            return parser(self.raw(key), *args, **kwargs)
        except CellError as exc:
            self.error(key, exc.message, exc.params)
            return INVALID

    @property
    def name_column(self) -> str:
        """The column a problem with the person's name is reported in."""
        return "full_name" if "full_name" in self.headers.index else "last_name"


def person_names(row: Row) -> tuple[str, str, str] | None:
    """(фамилия, имя, отчество) from «ФИО» or the three name columns; None when a
    cell is bad (its error is recorded)."""
    if "full_name" in row.headers.index:
        value = row.get("full_name", cleaning.full_name)
        return None if value is INVALID else value
    last = row.get("last_name", cleaning.name_part, required=True)
    first = row.get("first_name", cleaning.name_part, required=True)
    middle = row.get("middle_name", cleaning.name_part, required=False)
    if INVALID in (last, first, middle):
        return None
    return last, first, middle


@dataclass
class Plan:
    """The outcome of checking a whole file: every error, or what applying it does.

    A kind subclasses it with its planned items and says how to count them
    (`counts`) and what a check-only run reports as changed (`preview`).
    """

    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {}

    def preview(self) -> list[dict]:
        """[{"row", "name", "changes": {field: [before, after]}}] of changed items."""
        return []


@dataclass
class Applied:
    #: [{"row", "name", "changes"}] of changed items, for the job's report
    changes: list[dict[str, Any]] = field(default_factory=list)
    #: [{"user_id", "name", "detail", "login", "password"}] of new accounts
    credentials: list[dict[str, Any]] = field(default_factory=list)


Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    """The progress callback of a caller that does not show any."""
