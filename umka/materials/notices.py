"""Telling the audience that a material is published — through the same policy
as everything else: a person is told only of what `can_view` lets them open."""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from umka.accounts.models import STAFF_ROLES, Role, User
from umka.accounts.policies import active_parent_links
from umka.core import clock
from umka.courses.policies import students_of
from umka.materials import notification_kinds, policies
from umka.materials.models import Material
from umka.notifications.services import notify
from umka.school.models import Enrolment


def _students(material: Material) -> QuerySet[User]:
    today = clock.today()
    enrolled = (
        Enrolment.objects.filter(
            school_class__in=material.classes.all(), starts_on__lte=today
        )
        .exclude(ends_on__lt=today)
        .values("student")
    )
    students = Q(pk__in=enrolled)
    if material.space_id is not None:
        students |= Q(pk__in=students_of(material.space).values("pk"))
    return User.objects.filter(students)


def candidates(material: Material) -> QuerySet[User]:
    """Who the material may concern (then each is checked by `can_view`)."""
    if material.audience == Material.Audience.STAFF:
        return User.objects.filter(
            role_assignments__role__in=[*STAFF_ROLES, Role.ADMINISTRATOR]
        ).distinct()
    students = _students(material)
    parents = active_parent_links().filter(student__in=students).values("parent")
    if material.audience == Material.Audience.PARENTS:
        return User.objects.filter(pk__in=parents)
    return User.objects.filter(Q(pk__in=students.values("pk")) | Q(pk__in=parents))


def recipients(material: Material) -> list[User]:
    return [
        person
        for person in candidates(material)
        .exclude(pk=material.author_id)
        .prefetch_related("role_assignments")
        if policies.can_view(person, material)
    ]


def notify_published(material_id: int) -> int:
    """Tell the audience of a published material, once; the number told."""
    with transaction.atomic():
        material = (
            Material.objects.select_for_update()
            .filter(pk=material_id, notified_at__isnull=True)
            .first()
        )
        if material is None or not material.is_published(clock.now()):
            return 0
        people = recipients(material)
        notify(
            recipients=people,
            kind=notification_kinds.PUBLISHED,
            title=_("New material: %(title)s") % {"title": material.title},
            body=material.description[:300],
            url=reverse("materials:detail", args=[material.pk]),
            actor=material.author,
            target=material,
        )
        material.notified_at = clock.now()
        material.save(update_fields=["notified_at"])
    return len(people)


def publish_due() -> int:
    """Tell the audiences of scheduled materials whose time has come."""
    due = Material.objects.filter(
        publish_at__lte=clock.now(), notified_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(notify_published(pk) for pk in list(due))
