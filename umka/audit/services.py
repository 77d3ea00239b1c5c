"""The one function every part of Umka calls to write the audit trail (R13)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from umka.audit.models import AuditEntry
from umka.core import clock


def client_ip(request) -> str | None:
    """The client's address; REMOTE_ADDR only (a proxy must set it correctly)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    request=None,
    actor_name: str = "",
) -> AuditEntry:
    """Append one entry: `actor` did `action` («app.verb») to `target`.

    `changes` is a short before/after, e.g. {"role": [None, "teacher"]}, or any
    small JSON-able detail. Call it inside the service's transaction so the entry
    and the change land (or roll back) together.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry(
        actor=actor,
        actor_name=actor_name
        or (actor.get_full_name() or actor.username if actor else ""),
        action=action,
        changes=changes or {},
        ip_address=client_ip(request),
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(
            target, for_concrete_model=False
        )
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:300]
    entry.save()
    return entry


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{"field": [old, new]} for the fields whose values differ."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


# Never copied into the trail, whatever the model.
_NEVER_RECORDED = frozenset({"password"})


def _readable(instance: models.Model, field: models.Field) -> Any:
    """A field's value as short JSON-able text a person can read in the trail."""
    raw = getattr(instance, field.attname)
    if raw is None:
        return None
    if field.is_relation:
        return str(getattr(instance, field.name))
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(raw, bool | int | float | str | list | dict):
        return raw
    if isinstance(raw, dt.datetime):
        return clock.local(raw).isoformat(timespec="minutes")
    if isinstance(raw, dt.date | dt.time):
        return raw.isoformat()
    return str(raw)  # Decimal, UUID…


def _field_names(model: type[models.Model], fields: Iterable[str] | None) -> list[str]:
    names = (
        list(fields)
        if fields is not None
        else [f.name for f in model._meta.concrete_fields if not f.primary_key]
    )
    return [name for name in names if name not in _NEVER_RECORDED]


def snapshot(
    instance: models.Model, fields: Iterable[str] | None = None
) -> dict[str, Any]:
    """{"field": readable value} of an object, for the entry of a creation or deletion.

    Related objects appear as their text, choices as their labels; passwords never.
    """
    meta = instance._meta
    return {
        name: _readable(instance, meta.get_field(name))
        for name in _field_names(type(instance), fields)
    }


def model_changes(
    before: models.Model, after: models.Model, fields: Iterable[str] | None = None
) -> dict[str, list[Any]]:
    """{"field": [old, new]} for the fields that differ between two copies of a row.

    Values are compared as stored (a class is told apart from its namesake of
    another year) and recorded as readable text, like `snapshot`.
    """
    meta = after._meta
    changes = {}
    for name in _field_names(type(after), fields):
        field = meta.get_field(name)
        if getattr(before, field.attname) != getattr(after, field.attname):
            changes[name] = [_readable(before, field), _readable(after, field)]
    return changes
