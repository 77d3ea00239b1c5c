"""The kinds of tabular import: each app registers what its files hold.

A kind declares its columns (and rules about the header row), its planner (checks
every row against the database and plans the changes, writing nothing), its
applier (writes a clean plan inside the engine's transaction), who may upload it
and which jobs of it a person sees, its template file and its labels. The engine
(readers, column mapping, the job, its progress and report, the pages) is the same
for every kind. People (students, parents, staff) register in
`umka.imports.people.kinds`, grades in `umka.grades.importing.kind`; an app
registers its kinds from its `AppConfig.ready()`.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise

from umka.imports.headers import Column, HeaderCheck, HeaderMap, map_headers
from umka.imports.readers import Table
from umka.imports.rows import Applied, Plan, Progress


@dataclass(frozen=True)
class Context:
    """What a planner and an applier know about the job they work for."""

    job_id: int
    actor: Any
    today: dt.date
    year: Any = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Option:
    """A choice on the upload form for the kinds that declare it (kept in
    `ImportJob.options`): `field()` builds the form field."""

    name: str
    field: Callable[[], Any]
    default: Any = None


#: Engine defaults of the audit actions, by moment ("created") or final status.
AUDIT_MOMENTS = ("created", "done", "checked", "rejected", "failed")


@dataclass(frozen=True)
class Kind:
    key: str
    #: The kind on the upload form and in lists («Ученики», «Оценки»).
    label: Promise
    #: The list of jobs of this kind alone («Imports of grades»).
    list_title: Promise
    columns: tuple[Column, ...]
    #: (table, header map, context, progress) → Plan: every error, or the changes.
    plan: Callable[[Table, HeaderMap, Context, Progress], Plan]
    #: (plan, context, progress) → Applied; runs inside the engine's transaction.
    apply: Callable[[Plan, Context, Progress], Applied]
    #: Who may upload a file of this kind.
    may_use: Callable[[Any], bool]
    #: Which jobs of this kind a person sees: Q() all, a narrower Q, or None.
    visible_jobs: Callable[[Any], Q | None]
    #: Why `may_use` said no (the message of the service's DomainError).
    refusal: Promise
    #: One sentence of the result: summary dict → text («Created: 3, …»).
    result_text: Callable[[Mapping[str, Any]], str]
    header_checks: tuple[HeaderCheck, ...] = ()
    #: The columns a template file offers (default: all but «ФИО» in one cell).
    template_columns: tuple[Column, ...] = ()
    examples: tuple[Mapping[str, str], ...] = ()
    #: The first sheet of the XLSX template, the one that is imported.
    sheet_title: str = "Данные"
    #: The CSV template carries the example rows too (not just the header).
    csv_examples: bool = False
    #: What the upload page says about this kind, sentence by sentence.
    rules: tuple[Promise, ...] = ()
    #: Ask for the academic year on the upload form; refuse the file without one.
    asks_year: bool = False
    needs_year: bool = False
    options: tuple[Option, ...] = ()
    #: New accounts get one-time passwords the uploader prints.
    issues_credentials: bool = False
    #: Audit actions by moment (see AUDIT_MOMENTS); the engine's for the rest.
    audit_actions: Mapping[str, str] = field(default_factory=dict)
    #: Labels of the fields in `changes`, and how a stored value reads.
    change_labels: Mapping[str, Promise] = field(default_factory=dict)
    change_value: Callable[[str, Any], str] | None = None
    #: job → [(label, value)]: the kind's own facts shown on the job's page.
    details: Callable[[Any], list[tuple[str, str]]] | None = None
    #: (label, url name) of the page this kind's data is used on.
    home: tuple[Promise, str] | None = None
    order: int = 100

    @property
    def offered_columns(self) -> tuple[Column, ...]:
        return self.template_columns or tuple(
            c for c in self.columns if c.key != "full_name"
        )

    def map_headers(self, headers: list[object]) -> HeaderMap:
        """Match a header row against this kind's columns and header rules."""
        return map_headers(self.columns, headers, self.header_checks)

    def option_defaults(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _kinds[kind.key] = kind
    return kind


def get(key: str) -> Kind | None:
    return _kinds.get(key)


def all_kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.key))
