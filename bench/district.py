"""A school district on one installation: the demo school's people and their data
copied `times` times (the school's year, periods, holidays, subjects, program
parts and schedule documents are shared; people, classes, enrolments, families,
contracts, consultations and their sessions, requests, bookings, grades, course
spaces and assignments are copied). `bench/scale_bench.py` measures the busiest
pages on it; `bench/tests/test_district.py` pins that their query counts do not
grow with it.

    replicate(times=10)   # after demo_school_load()

Each copy's usernames end in «~<n>» and its classes' letters in <n> («7А3»); UUIDs
and unique tokens are new. Files (attachments, images) and the rooms' history are
not copied, nor the audit trail (append-only).
"""

import uuid

from django.apps import apps
from django.db import models, transaction

#: Copied, in an order where every foreign key points to a model copied before
#: it (or to a shared one). Many-to-many tables come after both of their ends.
COPIED = [
    "accounts.User",
    "accounts.RoleAssignment",
    "accounts.ParentLink",
    "school.SchoolClass",
    "school.Enrolment",
    "school.ProgramPartCompletion",
    "school.TeachingAssignment",
    "school.Contract",
    "school.WorkingTime",
    "notifications.NotificationPreference",
    "consultations.Consultation",
    "consultations.Consultation_audience_classes",
    "consultations.Consultation_audience_students",
    "consultations.Occurrence",
    "consultations.ChecklistItem",
    "consultations.CalendarToken",
    "grades.Grade",
    "requests.Request",
    "requests.RequestMessage",
    "requests.SharedTopicNotice",
    "bookings.BookingWindow",
    "bookings.Slot",
    "bookings.Booking",
    "bookings.SlotWatch",
    "notifications.Notification",
    "courses.CourseSpace",
    "courses.SpaceTeacher",
    "courses.SpaceStudent",
    "assignments.BankQuestion",
    "assignments.Assignment",
    "assignments.Part",
    "assignments.Criterion",
    "assignments.Extension",
    "assignments.Submission",
    "assignments.Answer",
]
BATCH = 2000


def _model(label: str):
    app, name = label.split(".")
    for model in apps.get_app_config(app).get_models(include_auto_created=True):
        if model.__name__ == name:
            return model
    raise LookupError(label)


def _unique_value(field, value, copy: int):
    if value is None:
        return None
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.CharField):
        suffix = f"~{copy}"
        return str(value)[: field.max_length - len(suffix)] + suffix
    return value


def replicate(times: int) -> dict[str, int]:
    """Copy the school's people and data until there are `times` of each; the
    rows written per model."""
    originals = {
        label: list(_model(label)._base_manager.order_by("pk").values_list("pk"))
        for label in COPIED
    }
    written: dict[str, int] = {}
    for copy in range(1, times):
        with transaction.atomic():
            maps: dict[type, dict] = {}
            for label in COPIED:
                model = _model(label)
                pks = [pk for (pk,) in originals[label]]
                new_pks: dict = {}
                for start in range(0, len(pks), BATCH):
                    chunk = pks[start : start + BATCH]
                    rows = list(model._base_manager.filter(pk__in=chunk).order_by("pk"))
                    copies = []
                    for row in rows:
                        clone = _clone(model, row, maps, copy)
                        copies.append(clone)
                    made = model._base_manager.bulk_create(copies)
                    new_pks.update(
                        (row.pk, clone.pk)
                        for row, clone in zip(rows, made, strict=True)
                    )
                maps[model] = new_pks
                written[label] = written.get(label, 0) + len(new_pks)
    return written


def _clone(model, row, maps, copy: int):
    clone = model.__new__(model)
    clone.__dict__.update(row.__dict__)
    clone._state = models.base.ModelState()
    clone.pk = None
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(row, field.attname)
        if field.is_relation:
            mapping = maps.get(field.related_model)
            if mapping is not None and value is not None:
                setattr(clone, field.attname, mapping[value])
        elif field.unique:
            setattr(clone, field.attname, _unique_value(field, value, copy))
    if model._meta.label == "school.SchoolClass":
        clone.letter = f"{row.letter[:1]}{copy}"
    return clone
