"""Who opens a student's help ledger: the student, their parents while they have
rights (R3), the staff who teach them and the administration. Anyone else gets
404, the same as for a student who does not exist."""

from django.db.models import Q, QuerySet

from umka.accounts.models import STAFF_ROLES, Role, User
from umka.accounts.policies import children_of, students_taught_by
from umka.core.access import get_visible_or_404


def students_visible_to(viewer) -> QuerySet[User]:
    students = User.objects.filter(role_assignments__role=Role.STUDENT)
    if not viewer.is_authenticated:
        return students.none()
    if viewer.is_administration:
        return students.distinct()
    mine = Q(pk=viewer.pk)
    if viewer.is_parent:
        mine |= Q(pk__in=children_of(viewer).values("pk"))
    if viewer.roles & STAFF_ROLES:
        mine |= Q(pk__in=students_taught_by(viewer).values("pk"))
    return students.filter(mine).distinct()


def access_student(viewer, pk) -> User:
    return get_visible_or_404(students_visible_to(viewer), pk=pk)


def can_open_ledger(viewer) -> bool:
    """The menu and home links: a student (their own) or a parent (their children)."""
    return viewer.is_authenticated and (viewer.is_student or viewer.is_parent)
