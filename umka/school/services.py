"""Writes to the school structure: years, classes, enrolment, subjects, program
parts, teaching assignments and contract terms (R7 data).

Each change is recorded in the audit trail (R13) with a short before/after. The
back office saves every row through these functions.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register
from umka.audit.services import model_changes, record, snapshot
from umka.core import clock, time_zones
from umka.school import teaching_change, zone_change
from umka.school.models import School
from umka.school.selectors import forget_cached_school

RECORD_CREATED = register("school.record_created", _("Added school data"))
RECORD_CHANGED = register("school.record_changed", _("Changed school data"))
RECORD_DELETED = register("school.record_deleted", _("Deleted school data"))
TIME_ZONE_CHANGED = register(
    "school.time_zone_changed", _("Changed the school's time zone")
)


def _check_school_model(instance: models.Model) -> None:
    if instance._meta.app_label != "school":
        raise TypeError(f"{type(instance).__name__} is not part of the school app.")


def _filled(instance: models.Model) -> dict:
    """What a row holds, without its empty fields: the entry of a creation/deletion."""
    return {k: v for k, v in snapshot(instance).items() if v not in ("", None)}


def _after_school_change(instance: models.Model) -> None:
    if isinstance(instance, School):
        # Time zone and name are cached for every request.
        transaction.on_commit(forget_cached_school)


def school_record_save(*, actor, instance: models.Model, request=None) -> models.Model:
    """Create or change one row of the school structure and record it (R13).

    `instance` already holds the new values (as a form leaves it); the old ones
    are read from the database, so the entry shows exactly what changed. A save
    that changes nothing records nothing.
    """
    _check_school_model(instance)
    model = type(instance)
    with transaction.atomic():
        if instance._state.adding or instance.pk is None:
            instance.save()
            record(
                actor=actor,
                action=RECORD_CREATED,
                target=instance,
                changes=_filled(instance),
                request=request,
            )
        else:
            relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
            before = (
                model._base_manager.select_related(*relations)
                .select_for_update(of=("self",))
                .get(pk=instance.pk)
            )
            instance.save()
            changes = model_changes(before, instance)
            if isinstance(instance, School) and before.time_zone != instance.time_zone:
                _time_zone_changed(
                    actor=actor, before=before, school=instance, request=request
                )
            if changes:
                record(
                    actor=actor,
                    action=RECORD_CHANGED,
                    target=instance,
                    changes=changes,
                    request=request,
                )
        _after_school_change(instance)
        teaching_change.changed(actor=actor, instance=instance)
    return instance


def _time_zone_changed(*, actor, before: School, school: School, request) -> None:
    """Keep what was planned at the same wall-clock time in the new zone (R8: each
    app's handler amends and notifies), and record the change with what moved."""
    old_zone = time_zones.zone_info(before.time_zone)
    new_zone = time_zones.zone_info(school.time_zone)
    # The apps' handlers (and the notices they send) read the school's zone through
    # the clock: inside this transaction it runs on the new one already.
    with clock.changing_zone(new_zone):
        moved = zone_change.reanchor_all(
            actor=actor, old_zone=old_zone, new_zone=new_zone, request=request
        )
    record(
        actor=actor,
        action=TIME_ZONE_CHANGED,
        target=school,
        changes={
            "time_zone": [before.time_zone, school.time_zone],
            "moved": {name: n for name, n in moved.items() if n},
        },
        request=request,
    )


def school_time_zone_change(
    *, actor, school: School, time_zone: str, request=None
) -> School:
    """Move the school to another time zone (validated); planned consultations keep
    their wall-clock time and their audience is told (see zone_change)."""
    time_zones.validate_time_zone(time_zone)
    school.time_zone = time_zone
    return school_record_save(actor=actor, instance=school, request=request)


def school_record_delete(*, actor, instance: models.Model, request=None) -> None:
    """Delete one row (and what hangs on it) and record what it held (R13)."""
    school_records_delete(actor=actor, instances=[instance], request=request)


def school_records_delete(
    *, actor, instances: Iterable[models.Model], request=None
) -> int:
    """Delete several rows, one audit entry each. Returns how many were deleted."""
    count = 0
    with transaction.atomic():
        for instance in instances:
            _check_school_model(instance)
            record(
                actor=actor,
                action=RECORD_DELETED,
                target=instance,
                changes=_filled(instance),
                request=request,
            )
            teaching_change.changed(actor=actor, instance=instance, deleted=True)
            instance.delete()
            _after_school_change(instance)
            count += 1
    return count
