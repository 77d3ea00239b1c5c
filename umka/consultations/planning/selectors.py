"""Reads of the planning screens: a staff member's consultations, the open periods,
the form's choice lists, a consultation's and a session's page.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Min, Prefetch, Q, QuerySet

from umka.accounts.models import STAFF_ROLES, User
from umka.consultations import wall_clock
from umka.consultations.models import (
    ChecklistItem,
    ChecklistMaterial,
    Consultation,
    Occurrence,
    ScheduleDocument,
)
from umka.school.models import (
    Enrolment,
    ProgramPart,
    SchoolClass,
    StudyPeriod,
    Subject,
    TeachingAssignment,
)


@dataclass
class ScheduleGroup:
    schedule: ScheduleDocument
    consultations: list[Consultation] = field(default_factory=list)


def own_consultations(organiser: User, now: dt.datetime) -> list[ScheduleGroup]:
    """The organiser's consultations grouped by schedule (latest year first, then
    the periods in order), each with its session counts and next session."""
    planned = Q(occurrences__status=Occurrence.Status.PLANNED)
    consultations = (
        Consultation.objects.filter(organiser=organiser)
        .select_related(
            "schedule", "schedule__year", "schedule__period", "subject", "program_part"
        )
        .prefetch_related("audience_classes")
        .annotate(
            # distinct: the join to the chosen students multiplies the rows.
            sessions_planned=Count("occurrences", filter=planned, distinct=True),
            sessions_held=Count(
                "occurrences",
                filter=Q(occurrences__status=Occurrence.Status.HELD),
                distinct=True,
            ),
            sessions_cancelled=Count(
                "occurrences",
                filter=Q(occurrences__status=Occurrence.Status.CANCELLED),
                distinct=True,
            ),
            students_chosen=Count("audience_students", distinct=True),
            next_start=Min(
                "occurrences__starts_at",
                filter=planned & Q(occurrences__ends_at__gt=now),
            ),
            last_planned=wall_clock.last_planned_subquery(),
        )
        .order_by(
            "-schedule__year__starts_on",
            "schedule__period__starts_on",
            "schedule_id",
            "starts_on",
            "start_time",
            "pk",
        )
    )
    groups: dict[int, ScheduleGroup] = {}
    for consultation in consultations:
        consultation.slot = wall_clock.slot(consultation, consultation.last_planned)
        group = groups.setdefault(
            consultation.schedule_id, ScheduleGroup(consultation.schedule)
        )
        group.consultations.append(consultation)
    return list(groups.values())


@dataclass
class OpenPeriod:
    period: StudyPeriod
    schedule: ScheduleDocument | None

    @property
    def status(self) -> str:
        return self.schedule.status if self.schedule else ScheduleDocument.Status.DRAFT

    @property
    def is_approved(self) -> bool:
        return bool(self.schedule and self.schedule.is_approved)

    @property
    def is_submitted(self) -> bool:
        return bool(
            self.schedule and self.schedule.status == ScheduleDocument.Status.SUBMITTED
        )


def open_periods(on: dt.date) -> list[OpenPeriod]:
    """Study periods that have not ended yet, with their schedule if it exists."""
    periods = list(
        StudyPeriod.objects.filter(ends_on__gte=on, year__ends_on__gte=on)
        .select_related("year")
        .order_by("starts_on", "kind", "number")
    )
    schedules = {
        s.period_id: s
        for s in ScheduleDocument.objects.filter(period__in=[p.pk for p in periods])
    }
    return [OpenPeriod(p, schedules.get(p.pk)) for p in periods]


def periods_of_year_around(on: dt.date) -> list[StudyPeriod]:
    """The periods of the academic year that contains `on` (else the latest
    one that started), for the week-strip switch."""
    year_periods = StudyPeriod.objects.filter(
        year__starts_on__lte=on, year__ends_on__gte=on
    )
    if not year_periods.exists():
        latest = (
            StudyPeriod.objects.filter(year__starts_on__lte=on)
            .order_by("-year__starts_on")
            .values("year")[:1]
        )
        year_periods = StudyPeriod.objects.filter(year__in=latest)
    return list(year_periods.select_related("year").order_by("starts_on", "kind"))


def staff_people() -> QuerySet[User]:
    """Everyone who may organise a consultation (R3), with their position."""
    return (
        User.objects.filter(is_active=True, role_assignments__role__in=STAFF_ROLES)
        .select_related("contract")
        .distinct()
        .order_by("last_name", "first_name", "middle_name", "pk")
    )


def subjects_split(organiser: User | None) -> tuple[list[Subject], list[Subject]]:
    """(the organiser's subjects from their teaching assignments, the others)."""
    subjects = list(Subject.objects.order_by("name"))
    mine_ids = (
        set(
            TeachingAssignment.objects.filter(teacher=organiser).values_list(
                "subject", flat=True
            )
        )
        if organiser
        else set()
    )
    return (
        [s for s in subjects if s.pk in mine_ids],
        [s for s in subjects if s.pk not in mine_ids],
    )


def classes_split(
    organiser: User | None, year_ids
) -> tuple[list[SchoolClass], list[SchoolClass]]:
    """(classes the organiser teaches or leads, the other classes) of the years."""
    classes = list(
        SchoolClass.objects.filter(year__in=year_ids)
        .select_related("year")
        .order_by("year__starts_on", "grade", "letter")
    )
    mine_ids: set[int] = set()
    if organiser is not None:
        mine_ids = set(
            TeachingAssignment.objects.filter(
                teacher=organiser, school_class__year__in=year_ids
            ).values_list("school_class", flat=True)
        ) | {c.pk for c in classes if c.class_teacher_id == organiser.pk}
    return (
        [c for c in classes if c.pk in mine_ids],
        [c for c in classes if c.pk not in mine_ids],
    )


def students_by_class(class_ids, on: dt.date) -> list[tuple[SchoolClass, list[User]]]:
    """The students enrolled in the classes on `on`, class by class."""
    enrolments = (
        Enrolment.objects.filter(school_class__in=class_ids, starts_on__lte=on)
        .exclude(ends_on__lt=on)
        .select_related("student", "school_class")
        .order_by(
            "school_class__grade",
            "school_class__letter",
            "student__last_name",
            "student__first_name",
            "student__pk",
        )
    )
    groups: dict[int, tuple[SchoolClass, list[User]]] = {}
    for enrolment in enrolments:
        group = groups.setdefault(
            enrolment.school_class_id, (enrolment.school_class, [])
        )
        group[1].append(enrolment.student)
    return list(groups.values())


def program_parts(subject_ids, grades) -> list[ProgramPart]:
    return list(
        ProgramPart.objects.filter(subject__in=subject_ids, grade__in=grades)
        .select_related("subject")
        .order_by("subject__name", "grade", "number")
    )


def consultation_page(consultations: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """What a consultation's page shows (its `related=` for
    `policies.access_consultation`): the schedule, the audience and the sessions
    with how many checklist items each has open."""
    return consultations.select_related(
        "schedule",
        "schedule__year",
        "schedule__period",
        "organiser",
        "subject",
        "program_part",
    ).prefetch_related(
        "audience_classes",
        "audience_students",
        Prefetch(
            "occurrences",
            queryset=Occurrence.objects.annotate(
                checklist_open=Count("checklist", filter=Q(checklist__done=False))
            ).order_by("starts_at"),
        ),
    )


def occurrence_page(occurrences: QuerySet[Occurrence]) -> QuerySet[Occurrence]:
    """What a session's page shows of it (`related=` for
    `policies.access_occurrence`)."""
    return occurrences.select_related(
        "consultation",
        "consultation__schedule",
        "consultation__schedule__year",
        "consultation__schedule__period",
        "consultation__organiser",
        "consultation__subject",
        "consultation__program_part",
        "held_by",
    )


def checklist_of(occurrence: Occurrence) -> list[ChecklistItem]:
    """R12: the three items in the regulation's order, with their materials."""
    order = {kind: i for i, kind in enumerate(ChecklistItem.Kind.values)}
    items = list(
        occurrence.checklist.select_related("done_by").prefetch_related(
            Prefetch(
                "materials",
                queryset=ChecklistMaterial.objects.order_by("uploaded_at", "pk"),
            )
        )
    )
    return sorted(items, key=lambda item: order.get(item.kind, 99))


def checklist_item_page(items: QuerySet[ChecklistItem]) -> QuerySet[ChecklistItem]:
    """A checklist item with its session (`related=` for
    `policies.access_checklist_item`)."""
    return items.select_related(
        "occurrence",
        "occurrence__consultation",
        "occurrence__consultation__schedule",
    )
