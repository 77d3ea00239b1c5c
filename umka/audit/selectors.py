"""Reads of the audit trail: filtering for the list page and the CSV export."""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from umka.audit.models import AuditEntry


@dataclass(frozen=True)
class EntryFilter:
    """What the list page was asked for; empty values do not filter."""

    action: str = ""
    person: str = ""
    object_type: ContentType | None = None
    object_text: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight of `day` in the active (school's) time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_entries(
    entries: QuerySet[AuditEntry], f: EntryFilter
) -> QuerySet[AuditEntry]:
    """Newest first. Dates are whole days in the school's time zone."""
    if f.action:
        entries = entries.filter(action=f.action)
    if person := f.person.strip():
        # A number is an account id; text is looked up in the recorded name.
        by_id = person.isdigit() and len(person) <= 18  # fits a bigint
        entries = entries.filter(
            Q(actor_id=int(person)) if by_id else Q(actor_name__icontains=person)
        )
    if f.object_type is not None:
        entries = entries.filter(target_type=f.object_type)
    if text := f.object_text.strip():
        entries = entries.filter(Q(target_repr__icontains=text) | Q(target_id=text))
    if f.date_from:
        entries = entries.filter(at__gte=_start_of(f.date_from))
    if f.date_to:
        entries = entries.filter(at__lt=_start_of(f.date_to + dt.timedelta(days=1)))
    return entries.select_related("target_type").order_by("-at", "-pk")


def object_types() -> list[ContentType]:
    """The kinds of objects Umka's own apps record, by their readable name."""
    labels = [
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("umka.")
    ]
    types = [
        ct
        for ct in ContentType.objects.filter(app_label__in=labels)
        if ct.model_class() is not None
    ]
    return sorted(types, key=lambda ct: str(ct.model_class()._meta.verbose_name))
