"""Reads of the library: the list with its filters and search, in a constant
number of queries whatever the library's size (pinned in the tests)."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from umka.accounts.models import User
from umka.accounts.policies import children_of
from umka.materials import policies
from umka.materials.models import Material, MaterialClass
from umka.materials.search import search
from umka.school.models import ProgramPart, SchoolClass, Subject

PAGE_SIZE = 30


@dataclass(frozen=True)
class Filters:
    q: str = ""
    subject: int | None = None
    school_class: int | None = None
    program_part: int | None = None
    kind: str = ""
    purpose: str = ""

    @property
    def any(self) -> bool:
        return bool(
            self.q
            or self.subject
            or self.school_class
            or self.program_part
            or self.kind
            or self.purpose
        )


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def parse_filters(query) -> Filters:
    kind = query.get("kind", "")
    purpose = query.get("purpose", "")
    return Filters(
        q=" ".join(str(query.get("q", "")).split())[:200],
        subject=_int(query.get("subject")),
        school_class=_int(query.get("class")),
        program_part=_int(query.get("part")),
        kind=kind if kind in Material.Kind.values else "",
        purpose=purpose if purpose in Material.Purpose.values else "",
    )


def for_list(materials: QuerySet[Material]) -> QuerySet[Material]:
    return materials.select_related(
        "subject", "program_part", "file", "author", "space"
    ).prefetch_related(
        Prefetch(
            "class_links",
            queryset=MaterialClass.objects.select_related("school_class").order_by(
                "school_class__grade", "school_class__letter"
            ),
        )
    )


def library(user, filters: Filters) -> QuerySet[Material]:
    """What `user` may see, narrowed by `filters` (search inside the same set)."""
    materials = policies.materials_visible_to(user)
    if filters.subject:
        materials = materials.filter(subject_id=filters.subject)
    if filters.program_part:
        materials = materials.filter(program_part_id=filters.program_part)
    if filters.kind:
        materials = materials.filter(kind=filters.kind)
    if filters.purpose:
        materials = materials.filter(purpose=filters.purpose)
    if filters.school_class:
        materials = materials.filter(
            pk__in=MaterialClass.objects.filter(
                school_class_id=filters.school_class
            ).values("material")
        )
    if filters.q:
        materials = search(materials, filters.q)
    else:
        materials = materials.order_by("-publish_at", "-pk")
    return for_list(materials)


@dataclass(frozen=True)
class FilterOptions:
    subjects: list
    classes: list
    parts: list


def filter_options(user, filters: Filters) -> FilterOptions:
    """Subjects, the person's classes, and the chosen subject's parts."""
    if policies.sees_everything(user) or user.is_school_staff:
        classes = policies.classes_to_choose(user)
    else:
        people = User.objects.filter(pk=user.pk)
        if user.is_parent:
            people = people | children_of(user)
        classes = policies.current_classes_of(people)
    parts = (
        list(ProgramPart.objects.filter(subject_id=filters.subject))
        if filters.subject
        else []
    )
    return FilterOptions(
        subjects=list(Subject.objects.all()),
        classes=list(SchoolClass.objects.filter(pk__in=classes.values("pk"))),
        parts=parts,
    )
