"""The one function every part of Umka calls to write the audit trail (R13)."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from umka.audit.models import AuditEntry


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
