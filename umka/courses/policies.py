"""Who sees and does what in course spaces (R3, R6).

- A space's teachers (rows of `SpaceTeacher`) teach in it: assignments, grading.
- Its students are the class's (a class space) or the listed ones (a group space);
  their parents with an active link (R3) read their own child's work.
- Deputy heads and the director oversee every space (R13): they see all, manage
  membership and archive, and get overdue reviews.
- Nobody else: another class's student, another child's parent and the teacher of
  another space get 404, as for something that does not exist.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from umka.accounts.models import Role, User
from umka.accounts.policies import children_of
from umka.core import clock
from umka.core.access import get_visible_or_404, require
from umka.courses.models import CourseSpace, SpaceImage, SpaceStudent, SpaceTeacher
from umka.school.models import Enrolment

#: Who sees every space and answers for reviews being on time (R13).
OVERSEER_ROLES = frozenset({Role.DEPUTY_HEAD, Role.DIRECTOR})


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def oversees_spaces(user) -> bool:
    return _active(user) and (user.is_superuser or bool(user.roles & OVERSEER_ROLES))


def can_open_courses(user) -> bool:
    """The menu's «Courses» (roles only: no queries)."""
    return _active(user) and (
        user.is_student or user.is_parent or user.is_teacher or oversees_spaces(user)
    )


def spaces_taught_by(user) -> QuerySet[CourseSpace]:
    if not _active(user):
        return CourseSpace.objects.none()
    return CourseSpace.objects.filter(
        pk__in=SpaceTeacher.objects.filter(teacher=user).values("space")
    )


def _student_side(students: QuerySet[User]) -> Q:
    today = clock.today()
    classes = (
        Enrolment.objects.filter(student__in=students, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values("school_class")
    )
    listed = SpaceStudent.objects.filter(student__in=students).values("space")
    return Q(kind=CourseSpace.Kind.CLASS, school_class__in=classes) | Q(pk__in=listed)


def spaces_of_students(students: QuerySet[User]) -> QuerySet[CourseSpace]:
    """The spaces the given students take part in now."""
    return CourseSpace.objects.filter(_student_side(students))


def _myself(user) -> QuerySet[User]:
    return User.objects.filter(pk=user.pk)


def spaces_visible_to(user) -> QuerySet[CourseSpace]:
    """Every space `user` may open (lists use it, so nothing leaks through them)."""
    if not _active(user):
        return CourseSpace.objects.none()
    if oversees_spaces(user):
        return CourseSpace.objects.all()
    visible = Q(pk__in=SpaceTeacher.objects.filter(teacher=user).values("space"))
    if user.is_student:
        visible |= _student_side(_myself(user))
    if user.is_parent:
        visible |= _student_side(children_of(user))
    return CourseSpace.objects.filter(visible)


def is_space_teacher(user, space: CourseSpace) -> bool:
    return (
        _active(user)
        and SpaceTeacher.objects.filter(space=space, teacher=user).exists()
    )


def can_teach_in(user, space: CourseSpace) -> bool:
    """Set assignments, grade and review: the space's teachers, until it is archived."""
    return not space.is_archived and is_space_teacher(user, space)


def can_manage_space(user, space: CourseSpace) -> bool:
    """Teachers and students of a space, archiving: its teachers and the overseers."""
    return not space.is_archived and (
        is_space_teacher(user, space) or oversees_spaces(user)
    )


def can_create_group(user) -> bool:
    """A group space (elective, classes taught together): a teacher or an overseer."""
    return _active(user) and (user.is_teacher or oversees_spaces(user))


def students_of(space: CourseSpace) -> QuerySet[User]:
    """The space's students now: its class's, or the listed ones of a group."""
    if space.kind == CourseSpace.Kind.CLASS:
        today = clock.today()
        enrolled = (
            Enrolment.objects.filter(school_class_id=space.school_class_id)
            .filter(starts_on__lte=today)
            .exclude(ends_on__lt=today)
            .values("student")
        )
        return User.objects.filter(pk__in=enrolled)
    return User.objects.filter(
        pk__in=SpaceStudent.objects.filter(space=space).values("student")
    )


def is_student_of(user, space: CourseSpace) -> bool:
    return (
        _active(user)
        and user.is_student
        and students_of(space).filter(pk=user.pk).exists()
    )


def can_upload_image(user, space: CourseSpace) -> bool:
    """Paste an image into rich text: who writes in the space (teachers, students)."""
    return not space.is_archived and (
        is_space_teacher(user, space) or is_student_of(user, space)
    )


#: Forms that publish what students write (an approved glossary entry, a forum
#: post) share the images in it with the space: each registers `share(user) ->
#: Q` over `SpaceImage` (`register_image_share`).
_image_shares: list = []


def register_image_share(share) -> None:
    if share not in _image_shares:
        _image_shares.append(share)


def images_visible_to(user) -> QuerySet[SpaceImage]:
    """A teacher's image is seen by everyone in the space; a student's by the
    student, their parents and the space's teachers (it sits in their answer),
    and by whoever a form shares it with (`register_image_share`)."""
    if not _active(user):
        return SpaceImage.objects.none()
    in_visible_space = SpaceImage.objects.filter(space__in=spaces_visible_to(user))
    if oversees_spaces(user):
        return in_visible_space
    by_teacher = Exists(
        SpaceTeacher.objects.filter(
            space=OuterRef("space"), teacher=OuterRef("uploaded_by")
        )
    )
    mine = Q(uploaded_by=user) | Q(space__in=spaces_taught_by(user))
    if user.is_parent:
        mine |= Q(uploaded_by__in=children_of(user))
    visible = by_teacher | mine
    for share in _image_shares:
        visible |= share(user)
    return in_visible_space.filter(visible)


# --- Fetch and authorise -------------------------------------------------------------


def access_space(user, pk) -> CourseSpace:
    return get_visible_or_404(
        spaces_visible_to(user).select_related("subject", "school_class", "year"),
        pk=pk,
    )


def access_space_to_manage(user, pk) -> CourseSpace:
    space = access_space(user, pk)
    require(can_manage_space(user, space))
    return space


def access_space_to_write(user, pk) -> CourseSpace:
    """A space where `user` may paste images (teachers and students)."""
    space = access_space(user, pk)
    require(can_upload_image(user, space))
    return space


def access_image(user, key) -> SpaceImage:
    return get_visible_or_404(images_visible_to(user), key=key)
