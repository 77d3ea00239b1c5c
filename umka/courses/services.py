"""Writes to course spaces: group spaces, teachers, students, archive, pasted
images (R6). Each checks the policy, writes in a transaction and is audited."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from umka.accounts.models import Role, User
from umka.audit.services import record
from umka.core import clock
from umka.core.errors import DomainError
from umka.core.uploads import check_upload
from umka.courses import audit_actions as actions
from umka.courses import policies
from umka.courses.models import CourseSpace, SpaceImage, SpaceStudent, SpaceTeacher
from umka.school.models import Subject
from umka.school.selectors import current_year

TITLE_MAX = 200
#: What may be pasted into rich text: pictures only.
IMAGE_TYPES = frozenset({"png", "jpg", "jpeg"})
IMAGE_MAX_MB = 5


def _deny() -> DomainError:
    return DomainError(_("You may not do this in this course space."), code="forbidden")


def group_space_create(
    *, actor, subject: Subject, title: str, students=(), request=None
) -> CourseSpace:
    """A group space (elective, classes taught together) of this year: the actor
    teaches in it (an overseer creates it for the teachers they add later)."""
    if not policies.can_create_group(actor):
        raise _deny()
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the group a title."), code="required")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("The title is too long: at most %(limit)s characters.")
            % {"limit": TITLE_MAX},
            code="too_long",
        )
    year = current_year(clock.today())
    if year is None:
        raise DomainError(_("There is no academic year yet."), code="no_year")
    with transaction.atomic():
        space = CourseSpace.objects.create(
            year=year, subject=subject, kind=CourseSpace.Kind.GROUP, title=title
        )
        if actor.is_teacher:
            SpaceTeacher.objects.create(
                space=space, teacher=actor, from_assignment=False
            )
        SpaceStudent.objects.bulk_create(
            [SpaceStudent(space=space, student=s) for s in students]
        )
        record(
            actor=actor,
            action=actions.GROUP_CREATED,
            target=space,
            changes={"subject": subject.name, "students": len(students)},
            request=request,
        )
    return space


def space_teacher_add(*, actor, space: CourseSpace, teacher: User, request=None):
    """Another teacher in the space (a co-teacher, a substitute)."""
    if not policies.can_manage_space(actor, space):
        raise _deny()
    if Role.TEACHER not in teacher.roles:
        raise DomainError(_("Only a teacher can teach in a course space."))
    with transaction.atomic():
        link, created = SpaceTeacher.objects.get_or_create(
            space=space, teacher=teacher, defaults={"from_assignment": False}
        )
        if created:
            record(
                actor=actor,
                action=actions.TEACHER_ADDED,
                target=space,
                changes={"teacher": teacher.full_name},
                request=request,
            )
    return link


def space_teacher_remove(*, actor, space: CourseSpace, teacher: User, request=None):
    """Remove a teacher added by hand (those of the teaching assignments follow
    them: change the assignment instead)."""
    if not policies.can_manage_space(actor, space):
        raise _deny()
    with transaction.atomic():
        link = SpaceTeacher.objects.filter(space=space, teacher=teacher).first()
        if link is None:
            return
        if link.from_assignment:
            raise DomainError(
                _(
                    "%(name)s teaches this subject in the class by the teaching "
                    "assignments; change those instead."
                )
                % {"name": teacher.full_name},
                code="from_assignment",
            )
        link.delete()
        record(
            actor=actor,
            action=actions.TEACHER_REMOVED,
            target=space,
            changes={"teacher": teacher.full_name},
            request=request,
        )


def group_students_set(*, actor, space: CourseSpace, students, request=None):
    """The students of a group space (a class space takes its class's)."""
    if not policies.can_manage_space(actor, space):
        raise _deny()
    if space.kind != CourseSpace.Kind.GROUP:
        raise DomainError(_("A class space takes the students of its class."))
    wanted = {s.pk for s in students}
    with transaction.atomic():
        current = set(
            SpaceStudent.objects.filter(space=space).values_list("student", flat=True)
        )
        SpaceStudent.objects.filter(space=space, student__in=current - wanted).delete()
        SpaceStudent.objects.bulk_create(
            [SpaceStudent(space=space, student_id=pk) for pk in wanted - current]
        )
        if wanted != current:
            record(
                actor=actor,
                action=actions.STUDENTS_CHANGED,
                target=space,
                changes={
                    "added": len(wanted - current),
                    "removed": len(current - wanted),
                },
                request=request,
            )


def space_archive(*, actor, space: CourseSpace, request=None) -> CourseSpace:
    """Archive: read-only from now on (every space is archived after its year)."""
    if not policies.can_manage_space(actor, space):
        raise _deny()
    with transaction.atomic():
        CourseSpace.objects.filter(pk=space.pk, archived_at__isnull=True).update(
            archived_at=clock.now()
        )
        space.refresh_from_db(fields=["archived_at"])
        record(actor=actor, action=actions.ARCHIVED, target=space, request=request)
    return space


def image_upload(*, actor, space: CourseSpace, file, request=None) -> SpaceImage:
    """Store a pasted image through the one upload check; its Markdown goes into
    the text being written."""
    if not policies.can_upload_image(actor, space):
        raise _deny()
    name = check_upload(file, max_mb=IMAGE_MAX_MB, allowed=IMAGE_TYPES)
    with transaction.atomic():
        file.seek(0)
        image = SpaceImage(space=space, uploaded_by=actor, name=name)
        image.file.save(name, file, save=False)
        image.save()
        record(
            actor=actor,
            action=actions.IMAGE_UPLOADED,
            target=image,
            changes={"space": space.title},
            request=request,
        )
    return image


def image_markdown(image: SpaceImage) -> str:
    alt = image.name.rsplit(".", 1)[0].replace("[", "").replace("]", "")
    return f"![{alt}](/courses/images/{image.key}/)"


_IMAGE_IN_TEXT = re.compile(r"/courses/images/([0-9a-f-]{36})/")


def images_in(space: CourseSpace, text: str):
    """The space's pasted images a Markdown text shows (a form that shares
    them with the space keeps these, `policies.register_image_share`)."""
    keys = set(_IMAGE_IN_TEXT.findall(text or ""))
    return SpaceImage.objects.filter(space=space, key__in=keys)
