"""Who may see whom (R3). A pair for each question: a yes/no and a queryset, and
the `access_*` helpers views fetch through (one 404 for missing and forbidden)."""

import datetime as dt

from django.db.models import Q, QuerySet

from umka.accounts.models import (
    ADMINISTRATION_ROLES,
    STAFF_ROLES,
    ParentLink,
    Role,
    User,
)
from umka.core import clock
from umka.core.access import get_visible_or_404
from umka.core.admin_site import is_school_admin
from umka.core.dates import latest_adult_birth_date
from umka.school.models import Enrolment, SchoolClass, TeachingAssignment


def active_parent_links(on: dt.date | None = None) -> QuerySet[ParentLink]:
    """Links that give a parent rights today (R3).

    Verified by the administrator, and the student is a minor on `on` — or, being an
    adult, chose to keep the link. Rights end on the 18th birthday itself.
    """
    on = on or clock.today()
    adult_if_born_on_or_before = latest_adult_birth_date(on)
    return ParentLink.objects.filter(verified_at__isnull=False).filter(
        Q(student__birth_date__isnull=True)
        | Q(student__birth_date__gt=adult_if_born_on_or_before)
        | Q(kept_by_adult_student=True)
    )


def children_of(parent: User, on: dt.date | None = None) -> QuerySet[User]:
    """The students over whom `parent` has rights now."""
    return User.objects.filter(
        pk__in=active_parent_links(on).filter(parent=parent).values("student")
    )


def is_parent_of(parent: User, student: User, on: dt.date | None = None) -> bool:
    return active_parent_links(on).filter(parent=parent, student=student).exists()


def classes_taught_by(user: User, on: dt.date | None = None) -> QuerySet[SchoolClass]:
    """Classes where `user` teaches a subject or is the class teacher, this year."""
    on = on or clock.today()
    return SchoolClass.objects.filter(
        Q(pk__in=TeachingAssignment.objects.filter(teacher=user).values("school_class"))
        | Q(class_teacher=user),
        year__starts_on__lte=on,
        year__ends_on__gte=on,
    )


def students_taught_by(user: User, on: dt.date | None = None) -> QuerySet[User]:
    on = on or clock.today()
    enrolments = (
        Enrolment.objects.filter(school_class__in=classes_taught_by(user, on))
        .filter(starts_on__lte=on)
        .exclude(ends_on__lt=on)
    )
    return User.objects.filter(pk__in=enrolments.values("student"))


def _staff_people() -> QuerySet[User]:
    return User.objects.filter(
        role_assignments__role__in=[*STAFF_ROLES, Role.ADMINISTRATOR]
    )


def people_visible_to(
    viewer: User, on: dt.date | None = None, among: QuerySet[User] | None = None
) -> QuerySet[User]:
    """Everyone whose profile `viewer` may open (`among`: a page's queryset to
    narrow)."""
    rows = User.objects.all() if among is None else among
    if not viewer.is_authenticated:
        return rows.none()
    if viewer.is_superuser or viewer.roles & ADMINISTRATION_ROLES:
        return rows
    on = on or clock.today()
    visible = Q(pk=viewer.pk) | Q(pk__in=_staff_people().values("pk"))
    if viewer.is_parent:
        visible |= Q(pk__in=children_of(viewer, on).values("pk"))
    if viewer.roles & STAFF_ROLES:
        students = students_taught_by(viewer, on)
        visible |= Q(pk__in=students.values("pk"))
        visible |= Q(
            pk__in=active_parent_links(on).filter(student__in=students).values("parent")
        )
    return rows.filter(visible).distinct()


def access_person(viewer: User, pk, *, among: QuerySet[User] | None = None) -> User:
    """A person whose profile `viewer` may open, else 404."""
    return get_visible_or_404(people_visible_to(viewer, among=among), pk=pk)


def can_view_person(viewer: User, person: User) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk or viewer.is_administration:
        return True
    return people_visible_to(viewer).filter(pk=person.pk).exists()


def can_see_private_details(viewer: User, person: User) -> bool:
    """Birth date, contacts and family: the person, their parents, staff."""
    if viewer.pk == person.pk or viewer.is_administration:
        return True
    if viewer.is_parent and is_parent_of(viewer, person):
        return True
    return bool(viewer.roles & STAFF_ROLES) and can_view_person(viewer, person)


def is_adult(person: User, on: dt.date | None = None) -> bool:
    on = on or clock.today()
    return (
        person.birth_date is not None
        and person.birth_date <= latest_adult_birth_date(on)
    )


def can_set_link_kept(user: User, link: ParentLink) -> bool:
    """R3: the adult student decides whether a parent keeps access (the school
    administrator may record that decision for them)."""
    if user.is_school_admin:
        return True
    return user.pk == link.student_id and link.is_verified and is_adult(user)


def links_kept_by(user: User) -> QuerySet[ParentLink]:
    """The links whose «keep access» `user` decides: an adult student's verified
    links; every link for the school administrator (can_set_link_kept)."""
    if not user.is_authenticated:
        return ParentLink.objects.none()
    if user.is_school_admin:
        return ParentLink.objects.all()
    if not is_adult(user):
        return ParentLink.objects.none()
    return ParentLink.objects.filter(student=user, verified_at__isnull=False)


def access_link_to_keep(user: User, pk) -> ParentLink:
    """A parent link whose «keep access» `user` decides, else 404."""
    return get_visible_or_404(
        links_kept_by(user).select_related("parent", "student"), pk=pk
    )


def can_edit_in_back_office(user: User, person: User) -> bool:
    """Only a superuser edits a superuser's account in the back office."""
    return not person.is_superuser or user.is_superuser


#: An active superuser or active holder of the administrator role (the rule lives
#: with the back office, which every app's admin uses).
can_administer_school = is_school_admin
