"""Who may enter, import and analyse grades, and whose grades a person sees (R9, R3).

- The administration (deputy head, administrator, director) — every class and
  subject.
- A teacher — the subjects × classes of their teaching assignments.
- A student — their own grades; a parent — their children's (R3 rights).
Anything else answers 404.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from umka.accounts.policies import children_of
from umka.consultations.policies import can_organise, is_coordinator
from umka.core import clock
from umka.core.access import get_visible_or_404, require
from umka.grades.models import Grade
from umka.imports.policies import import_jobs_visible_to
from umka.school.models import SchoolClass, Subject, TeachingAssignment


def is_administration(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_administration
    )


def can_open_grades(user) -> bool:
    """The menu's «Grades»: families read them, teachers and the administration
    enter and analyse them."""
    return bool(
        user is not None
        and user.is_authenticated
        and (
            user.is_student
            or user.is_parent
            or user.is_teacher
            or user.is_administration
        )
    )


def assignments_of(user, on=None) -> QuerySet[TeachingAssignment]:
    """The user's teaching assignments in the academic year containing `on`."""
    if not user.is_authenticated or not user.is_active:
        return TeachingAssignment.objects.none()
    on = on or clock.today()
    return TeachingAssignment.objects.filter(
        teacher=user,
        school_class__year__starts_on__lte=on,
        school_class__year__ends_on__gte=on,
    )


def can_enter_grades(user) -> bool:
    """May open the grade pages at all: the administration, or someone who
    teaches this year."""
    return is_administration(user) or assignments_of(user).exists()


def can_grade(user, subject: Subject, school_class: SchoolClass) -> bool:
    """Enter, import and analyse the grades of one subject in one class."""
    if is_administration(user):
        return True
    return (
        user.is_authenticated
        and user.is_active
        and TeachingAssignment.objects.filter(
            teacher=user, subject=subject, school_class=school_class
        ).exists()
    )


#: The analysis of a class's grades follows the same rule as entering them.
can_view_analysis = can_grade


def classes_graded_by(user) -> QuerySet[SchoolClass]:
    """The classes `user` may grade in some subject (the rule of `can_grade`)."""
    if is_administration(user):
        return SchoolClass.objects.all()
    if not user.is_authenticated or not user.is_active:
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(
        pk__in=TeachingAssignment.objects.filter(teacher=user).values("school_class")
    )


def subjects_graded_by(user, school_class: SchoolClass | None) -> QuerySet[Subject]:
    """The subjects `user` may grade in `school_class` (in some class: None) — the
    rule of `can_grade`."""
    if is_administration(user):
        return Subject.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Subject.objects.none()
    taught = TeachingAssignment.objects.filter(teacher=user)
    if school_class is not None:
        taught = taught.filter(school_class=school_class)
    return Subject.objects.filter(pk__in=taught.values("subject"))


def can_offer_consultation(user) -> bool:
    """The analysis links a topic to the planning form for the people that form
    lets in: those who organise consultations and the coordinators (R9, R10)."""
    return can_organise(user) or is_coordinator(user)


def require_grading(user) -> None:
    """The teacher's grade pages: 404 for whoever neither teaches this year nor
    belongs to the administration."""
    require(can_enter_grades(user))


def access_grading(user, class_pk, subject_pk) -> tuple[SchoolClass, Subject]:
    """The class and subject of a grade page, if `user` may grade that subject in
    that class; one 404 for missing, malformed and forbidden."""
    school_class = get_visible_or_404(
        classes_graded_by(user).select_related("year"), pk=class_pk
    )
    subject = get_visible_or_404(subjects_graded_by(user, school_class), pk=subject_pk)
    return school_class, subject


def students_shown_to(user):
    """Whose own grades `user` may read on «My grades»: themselves as a student,
    their children as a parent (R3: verified links of minors)."""
    from umka.accounts.models import User

    if not user.is_authenticated:
        return User.objects.none()
    visible = Q(pk__in=[])
    if user.is_student:
        visible |= Q(pk=user.pk)
    if user.is_parent:
        visible |= Q(pk__in=children_of(user).values("pk"))
    return User.objects.filter(visible)


def can_see_student_grades(user, student) -> bool:
    return students_shown_to(user).filter(pk=student.pk).exists()


def access_student_grades(user, pk):
    """A student whose grades `user` may read on «My grades»; else 404."""
    return get_visible_or_404(students_shown_to(user), pk=pk)


def grades_visible_to(user) -> QuerySet[Grade]:
    """Every grade `user` may read anywhere."""
    if not user.is_authenticated or not user.is_active:
        return Grade.objects.none()
    if is_administration(user):
        return Grade.objects.all()
    visible = Q(student__in=students_shown_to(user).values("pk"))
    taught = TeachingAssignment.objects.filter(
        teacher=user,
        subject=OuterRef("subject"),
        school_class=OuterRef("school_class"),
    )
    return Grade.objects.filter(visible | Q(Exists(taught)))


# --- imports of grades (jobs of the import engine) -----------------------------------


def access_grade_imports(user) -> None:
    """The pages of grade imports: 404 for whoever may not import grades."""
    require(can_enter_grades(user))


def access_legacy_grade_import(user, legacy_pk: int):
    """The engine's job of an import of grades numbered `legacy_pk` before the
    engine took them over (see migration grades 0002), if `user` may see it."""
    return get_visible_or_404(
        import_jobs_visible_to(user).filter(kind="grades"),
        options__grade_import_id=legacy_pk,
    )
