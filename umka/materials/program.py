"""The program and the process of one subject in one class, for each role (R2):
its parts with planned completion dates and descriptions, the planned results
and the rules of the process published as materials, the materials of each part,
the teachers, and the consultations of the published schedule. A parent reaches
it in two taps from home; it prints on A4."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from umka.consultations.models import Consultation, Occurrence, ScheduleDocument
from umka.core import clock
from umka.materials import policies
from umka.materials.models import Material, MaterialClass
from umka.materials.selectors import for_list
from umka.school.models import (
    ProgramPart,
    ProgramPartCompletion,
    SchoolClass,
    Subject,
    TeachingAssignment,
)

Purpose = Material.Purpose
#: How far ahead the page lists consultations.
CONSULTATIONS_AHEAD = dt.timedelta(weeks=6)


@dataclass
class PartRow:
    part: ProgramPart
    planned_on: dt.date | None
    materials: list


@dataclass
class ProgramPage:
    school_class: SchoolClass
    subject: Subject
    teachers: list
    parts: list[PartRow]
    program: list
    results: list
    process: list
    general: list
    consultations: list


def _materials(user, school_class, subject) -> QuerySet[Material]:
    for_class = Q(
        pk__in=MaterialClass.objects.filter(school_class=school_class).values(
            "material"
        )
    ) | Q(space__school_class=school_class)
    return for_list(
        policies.materials_visible_to(user)
        .filter(for_class)
        .filter(Q(subject=subject) | Q(subject__isnull=True))
        .order_by("title", "pk")
    )


def _consultations(school_class, subject) -> list[Occurrence]:
    now = clock.now()
    return list(
        Occurrence.objects.filter(
            consultation__subject=subject,
            consultation__audience_classes=school_class,
            consultation__schedule__status=ScheduleDocument.Status.PUBLISHED,
            ends_at__gte=now,
            starts_at__lte=now + CONSULTATIONS_AHEAD,
        )
        .exclude(consultation__form=Consultation.Form.INDIVIDUAL)
        .select_related("consultation__organiser")
        .distinct()
        .order_by("starts_at")[:40]
    )


def program_page(user, school_class: SchoolClass, subject: Subject) -> ProgramPage:
    parts = list(
        ProgramPart.objects.filter(subject=subject, grade=school_class.grade).order_by(
            "number"
        )
    )
    planned = dict(
        ProgramPartCompletion.objects.filter(
            school_class=school_class, program_part__in=parts
        ).values_list("program_part_id", "planned_on")
    )
    materials = list(_materials(user, school_class, subject))
    by_part: dict[int, list] = {}
    general = []
    for m in materials:
        if m.purpose == Purpose.LEARNING and m.program_part_id:
            by_part.setdefault(m.program_part_id, []).append(m)
        elif m.purpose == Purpose.LEARNING:
            general.append(m)
    teachers = list(
        TeachingAssignment.objects.filter(school_class=school_class, subject=subject)
        .select_related("teacher")
        .order_by("teacher__last_name")
    )
    return ProgramPage(
        school_class=school_class,
        subject=subject,
        teachers=teachers,
        parts=[PartRow(p, planned.get(p.pk), by_part.get(p.pk, [])) for p in parts],
        program=[m for m in materials if m.purpose == Purpose.PROGRAM],
        results=[m for m in materials if m.purpose == Purpose.RESULTS],
        process=[m for m in materials if m.purpose == Purpose.PROCESS],
        general=general,
        consultations=_consultations(school_class, subject),
    )
