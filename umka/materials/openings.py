"""Who opened a material (R2, R13): a row per person and material with the first
and last time and a count, so a teacher sees which students and parents opened
it and reports can count it."""

from django.db import IntegrityError, transaction
from django.db.models import Count, F, QuerySet

from umka.accounts.policies import active_parent_links
from umka.core import clock
from umka.materials import notices
from umka.materials.models import Material, MaterialOpening


def opening_record(*, person, material: Material) -> None:
    """Count one opening of `material` by `person` (two tabs at once count twice,
    never fail)."""
    now = clock.now()
    updated = MaterialOpening.objects.filter(material=material, person=person).update(
        last_at=now, times=F("times") + 1
    )
    if updated:
        return
    try:
        with transaction.atomic():
            MaterialOpening.objects.create(
                material=material, person=person, first_at=now, last_at=now
            )
    except IntegrityError:  # the other tab created it first
        MaterialOpening.objects.filter(material=material, person=person).update(
            last_at=now, times=F("times") + 1
        )


def audience_with_openings(material: Material) -> list[dict]:
    """The students and parents the material is for, each with their opening (or
    None), students first: what the teacher's page shows. Five queries."""
    people = list(
        notices.candidates(material)
        .filter(role_assignments__role__in=["student", "parent"])
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    opened = {
        o.person_id: o
        for o in MaterialOpening.objects.filter(
            material=material, person__in=[p.pk for p in people]
        )
    }
    children = {}
    for link in (
        active_parent_links()
        .filter(parent__in=[p.pk for p in people])
        .select_related("student")
    ):
        children.setdefault(link.parent_id, []).append(link.student)
    rows = [
        {
            "person": p,
            "opening": opened.get(p.pk),
            "children": children.get(p.pk, []),
        }
        for p in people
    ]
    rows.sort(key=lambda r: (bool(r["children"]), r["person"].last_name))
    return rows


def openings_count(materials: QuerySet[Material]) -> dict[int, int]:
    """How many people opened each material (for lists and reports)."""
    return dict(
        MaterialOpening.objects.filter(material__in=materials)
        .values("material")
        .annotate(n=Count("person"))
        .values_list("material", "n")
    )
