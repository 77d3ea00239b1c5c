"""Reads of course spaces."""

from django.db.models import Prefetch, QuerySet

from umka.accounts.models import Role, User
from umka.accounts.policies import children_of
from umka.core import clock
from umka.courses import policies
from umka.courses.models import CourseSpace, SpaceTeacher
from umka.school.models import Enrolment


def with_teachers(spaces: QuerySet[CourseSpace]) -> QuerySet[CourseSpace]:
    return spaces.select_related("subject", "school_class", "year").prefetch_related(
        Prefetch(
            "teacher_links",
            queryset=SpaceTeacher.objects.select_related("teacher").order_by(
                "teacher__last_name", "teacher__first_name", "pk"
            ),
        )
    )


def spaces_for_list(user, *, archived: bool = False) -> QuerySet[CourseSpace]:
    """The spaces on `user`'s list: open ones of the current year first."""
    spaces = policies.spaces_visible_to(user).filter(archived_at__isnull=not archived)
    return with_teachers(spaces).order_by(
        "school_class__grade", "school_class__letter", "subject__name", "title", "pk"
    )


def people_with_results(user) -> list[User]:
    """Whose results `user` may read: themself (a student) and their children
    with rights (R3)."""
    people = []
    if user.is_authenticated and user.is_active:
        if user.is_student:
            people.append(user)
        if user.is_parent:
            people.extend(children_of(user).order_by("last_name", "first_name", "pk"))
    return people


def class_names_of(students) -> dict[int, str]:
    """Each student's class today («7А»), one query."""
    today = clock.today()
    return {
        e.student_id: str(e.school_class)
        for e in Enrolment.objects.filter(student__in=students, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .select_related("school_class")
    }


def teachers_to_add(space: CourseSpace) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.TEACHER)
        .exclude(space_teacher_links__space=space)
        .order_by("last_name", "first_name", "pk")
        .distinct()
    )


def students_of_year(year) -> QuerySet[User]:
    """Students enrolled today in a class of `year` (to choose a group's)."""
    today = clock.today()
    enrolled = (
        Enrolment.objects.filter(school_class__year=year, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values("student")
    )
    return User.objects.filter(pk__in=enrolled).order_by(
        "last_name", "first_name", "pk"
    )
