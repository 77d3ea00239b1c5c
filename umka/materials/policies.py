"""Who sees which learning material (R2, R3): one pair, `materials_visible_to(user)`
and `can_view(user, material)`, that every list, search result, download and
notice goes through.

- A student: published materials for their current classes (audience «students
  and parents») and for the course spaces they take part in.
- A parent: the same for each child over whom they have rights now (R3: ending on
  the child's 18th birthday in the school's zone, unless the adult student kept
  the link), plus what is published to the parents of those classes.
- A teacher and other staff: published materials of the classes they teach or
  lead, of the subjects they teach, of their course spaces, and the school-wide
  methodical collection for staff.
- The administration (deputy heads, the director, the school administrator):
  everything, drafts included.
- An author always sees their own materials, drafts included.
Nobody else: 404, the same as for something that does not exist.
"""

from django.db.models import Q, QuerySet

from umka.accounts.models import User
from umka.accounts.policies import children_of, classes_taught_by
from umka.consultations.models import Consultation
from umka.core import clock
from umka.core.access import get_visible_or_404, require
from umka.courses.policies import spaces_of_students, spaces_taught_by
from umka.materials.models import Material, MaterialClass
from umka.school.models import (
    Enrolment,
    ProgramPart,
    SchoolClass,
    Subject,
    TeachingAssignment,
)

Audience = Material.Audience


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def sees_everything(user) -> bool:
    return _active(user) and user.is_administration


def can_open_library(user) -> bool:
    """The menu's «Materials» (roles only: no queries)."""
    return _active(user) and (user.is_student or user.is_parent or user.is_school_staff)


def can_create(user) -> bool:
    """Staff write materials: teachers, the administration, other staff."""
    return _active(user) and user.is_school_staff


def can_see_quota(user) -> bool:
    """The storage used against the school's quota: the administration."""
    return sees_everything(user)


def current_classes_of(students: QuerySet[User]) -> QuerySet[SchoolClass]:
    today = clock.today()
    return SchoolClass.objects.filter(
        pk__in=Enrolment.objects.filter(student__in=students, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values("school_class")
    )


def _for_classes(classes: QuerySet[SchoolClass]) -> Q:
    return Q(
        pk__in=MaterialClass.objects.filter(school_class__in=classes).values("material")
    )


def _for_students(students: QuerySet[User]) -> Q:
    """Materials of the students' current classes or of their course spaces."""
    return _for_classes(current_classes_of(students)) | Q(
        space__in=spaces_of_students(students).values("pk")
    )


def materials_visible_to(user) -> QuerySet[Material]:
    """Every material `user` may open now (lists and search use it)."""
    if not _active(user):
        return Material.objects.none()
    if sees_everything(user):
        return Material.objects.all()
    published = Q(publish_at__lte=clock.now())
    visible = Q(author=user)
    if user.is_school_staff:
        visible |= published & (
            Q(audience=Audience.STAFF)
            | _for_classes(classes_taught_by(user))
            | Q(
                subject__in=TeachingAssignment.objects.filter(teacher=user).values(
                    "subject"
                )
            )
            | Q(space__in=spaces_taught_by(user).values("pk"))
        )
    if user.is_student:
        visible |= (
            published
            & Q(audience=Audience.CLASSES)
            & _for_students(User.objects.filter(pk=user.pk))
        )
    if user.is_parent:
        visible |= (
            published
            & Q(audience__in=[Audience.CLASSES, Audience.PARENTS])
            & _for_students(children_of(user))
        )
    return Material.objects.filter(visible)


def can_view(user, material: Material) -> bool:
    return materials_visible_to(user).filter(pk=material.pk).exists()


def can_edit(user, material: Material) -> bool:
    """Change, publish, restore, delete: the author (still staff) and the
    administration."""
    if not _active(user):
        return False
    return sees_everything(user) or (
        material.author_id == user.pk and user.is_school_staff
    )


def can_see_openings(user, material: Material) -> bool:
    """Who opened a material: its editors and the teachers of its classes or
    space — never students or parents."""
    if can_edit(user, material):
        return True
    if not (_active(user) and user.is_school_staff):
        return False
    taught = classes_taught_by(user)
    return MaterialClass.objects.filter(
        material=material, school_class__in=taught
    ).exists() or (
        material.space_id is not None
        and spaces_taught_by(user).filter(pk=material.space_id).exists()
    )


def classes_to_choose(user) -> QuerySet[SchoolClass]:
    """Classes `user` may address a material to: those they teach or lead this
    year; the administration any class of the current year."""
    if not can_create(user):
        return SchoolClass.objects.none()
    today = clock.today()
    if sees_everything(user):
        return SchoolClass.objects.filter(
            year__starts_on__lte=today, year__ends_on__gte=today
        )
    return classes_taught_by(user)


def consultations_to_choose(user) -> QuerySet[Consultation]:
    """Consultations a material may be attached to: those `user` organises; the
    administration any."""
    if not can_create(user):
        return Consultation.objects.none()
    if sees_everything(user):
        return Consultation.objects.all()
    return Consultation.objects.filter(organiser=user)


def can_open_program(user, school_class: SchoolClass, subject: Subject) -> bool:
    """A student of the class, a parent of one (R3), staff who teach the class or
    the subject, the administration."""
    if not can_open_library(user):
        return False
    if sees_everything(user):
        return True
    in_class = current_classes_of
    if (
        user.is_student
        and in_class(User.objects.filter(pk=user.pk))
        .filter(pk=school_class.pk)
        .exists()
    ):
        return True
    if (
        user.is_parent
        and in_class(children_of(user)).filter(pk=school_class.pk).exists()
    ):
        return True
    if user.is_school_staff:
        return (
            classes_taught_by(user).filter(pk=school_class.pk).exists()
            or TeachingAssignment.objects.filter(teacher=user, subject=subject).exists()
        )
    return False


def access_program(user, class_pk, subject_pk) -> tuple[SchoolClass, Subject]:
    """The class and the subject of a program page `user` may open, else 404.
    The subject must be taught in the class or have parts for its grade."""
    school_class = SchoolClass.objects.filter(pk=class_pk).first()
    subject = Subject.objects.filter(pk=subject_pk).first()
    require(school_class is not None and subject is not None)
    require(
        TeachingAssignment.objects.filter(
            school_class=school_class, subject=subject
        ).exists()
        or ProgramPart.objects.filter(
            subject=subject, grade=school_class.grade
        ).exists()
    )
    require(can_open_program(user, school_class, subject))
    return school_class, subject


# --- Fetch and authorise -------------------------------------------------------------


def access_material(user, pk) -> Material:
    return get_visible_or_404(
        materials_visible_to(user).select_related(
            "file", "subject", "program_part", "space", "author", "consultation"
        ),
        pk=pk,
    )


def access_material_to_edit(user, pk) -> Material:
    material = access_material(user, pk)
    require(can_edit(user, material))
    return material


def access_openings(user, pk) -> Material:
    material = access_material(user, pk)
    require(can_see_openings(user, material))
    return material
