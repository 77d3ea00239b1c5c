"""Which models hold personal data, declared by the app that owns them.

Each app has a `personal_data.py` (discovered at start-up) that declares its
models, so the export and the anonymisation need no import of other apps:

    registry.declare(
        Booking,
        people=("student", "booked_by"),       # user fields that tie a row to a person
        fields=("slot", "status", "note", "created_at"),   # what the export shows
        texts={"booked_by": ("note",)},        # what that person wrote (anonymised)
        mentions=(),       # texts about others that may name the person (scrubbed)
    )
    registry.retention("chat", setting="PRIVACY_RETENTION_CHAT_DAYS", purge=purge)
    registry.not_personal(Slot, reason="…")    # a user FK that is not personal data

`tests/test_registry.py` fails when a model with a user FK is in neither list.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Declaration:
    model: type[models.Model]
    people: tuple[str, ...]
    fields: tuple[str, ...]
    texts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mentions: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name_plural)


_declared: dict[str, Declaration] = {}
_not_personal: dict[str, str] = {}


def declare(
    model: type[models.Model],
    *,
    people: Iterable[str],
    fields: Iterable[str],
    texts: dict[str, Iterable[str]] | None = None,
    mentions: Iterable[str] = (),
) -> Declaration:
    """Declare `model` as holding personal data of the users in `people`."""
    people = tuple(people)
    texts = {who: tuple(what) for who, what in (texts or {}).items()}
    names = {f.name for f in model._meta.get_fields()}
    mentions = tuple(mentions)
    # A person may be reached through a relation: ("submission__student",).
    used = {p.split("__")[0] for p in people} | set(fields) | set(mentions)
    unknown = (used | {f for t in texts.values() for f in t}) - names
    if unknown or not set(texts) <= set(people):
        raise ValueError(f"{model._meta.label}: unknown fields {sorted(unknown)}")
    declaration = Declaration(model, people, tuple(fields), texts, mentions)
    _declared[declaration.label] = declaration
    return declaration


def not_personal(model_or_label, *, reason: str) -> None:
    """A model whose user FK is not personal data of that user (`reason` says why).

    A label string ("app.Model") serves third-party models.
    """
    label = (
        model_or_label
        if isinstance(model_or_label, str)
        else (model_or_label._meta.label)
    )
    _not_personal[label] = reason


def declarations() -> list[Declaration]:
    return sorted(_declared.values(), key=lambda d: d.label)


def declared_labels() -> set[str]:
    return set(_declared)


def not_personal_labels() -> dict[str, str]:
    return dict(_not_personal)


@dataclass(frozen=True)
class Retention:
    kind: str
    setting: str
    purge: Callable[[dt.datetime], int]


_retention: dict[str, Retention] = {}


def retention(kind: str, *, setting: str, purge: Callable[[dt.datetime], int]) -> None:
    """A kind of record kept `settings.<setting>` days: `purge(cutoff)` removes
    the records older than `cutoff` (with their files) and returns how many."""
    _retention[kind] = Retention(kind, setting, purge)


def retentions() -> list[Retention]:
    return sorted(_retention.values(), key=lambda r: r.kind)
