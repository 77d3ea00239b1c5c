"""Retention periods per kind of record (152-ФЗ, ст. 5 ч. 7: kept no longer
than the purpose needs). Each kind is registered by the app that owns it; the
period is a setting in days, 0 keeping the records for ever."""

import datetime as dt

from django.conf import settings

from umka.audit.services import record
from umka.core import clock
from umka.privacy import audit_actions as actions
from umka.privacy import registry


def apply_retention(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remove what is past its period, kind by kind; one audit entry with the
    counts (written after the purge, so the audit's own period never removes it)."""
    now = now or clock.now()
    removed: dict[str, int] = {}
    for rule in registry.retentions():
        days = int(getattr(settings, rule.setting, 0) or 0)
        if days <= 0:
            continue
        removed[rule.kind] = rule.purge(now - dt.timedelta(days=days))
    record(
        actor=None,
        action=actions.RETENTION_APPLIED,
        changes=removed,
        actor_name="apply_retention",
    )
    return removed
