"""Course spaces («курсы»): where deferred work of one subject lives (R6).

A space is made for each subject × class from the school's teaching assignments
(kind «class»: its students are the class's); a group space (kind «group»: an
elective or a group taught across classes) lists its students. Teachers are rows:
those from the teaching assignments follow them, others are added by hand.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from umka.school.models import AcademicYear, SchoolClass, Subject


class CourseSpace(models.Model):
    class Kind(models.TextChoices):
        CLASS = "class", _("Class")
        GROUP = "group", _("Group of students")

    year = models.ForeignKey(
        AcademicYear,
        on_delete=models.CASCADE,
        related_name="course_spaces",
        verbose_name=_("academic year"),
    )
    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        related_name="course_spaces",
        verbose_name=_("subject"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="course_spaces",
        verbose_name=_("class"),
    )
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("course space")
        verbose_name_plural = _("course spaces")
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "school_class"],
                condition=Q(school_class__isnull=False),
                name="one_space_per_subject_and_class",
            ),
            models.CheckConstraint(
                condition=Q(kind="class", school_class__isnull=False)
                | Q(kind="group", school_class__isnull=True),
                name="space_class_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class SpaceTeacher(models.Model):
    space = models.ForeignKey(
        CourseSpace,
        on_delete=models.CASCADE,
        related_name="teacher_links",
        verbose_name=_("course space"),
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="space_teacher_links",
        verbose_name=_("teacher"),
    )
    #: Follows a teaching assignment (added and removed with it).
    from_assignment = models.BooleanField(_("from the teaching assignments"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("teacher of a course space")
        verbose_name_plural = _("teachers of course spaces")
        constraints = [
            models.UniqueConstraint(
                fields=["space", "teacher"], name="unique_space_teacher"
            )
        ]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.space}"


class SpaceStudent(models.Model):
    """A student of a group space (a class space takes the class's students)."""

    space = models.ForeignKey(
        CourseSpace,
        on_delete=models.CASCADE,
        related_name="student_links",
        verbose_name=_("course space"),
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="space_student_links",
        verbose_name=_("student"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("student of a group space")
        verbose_name_plural = _("students of group spaces")
        constraints = [
            models.UniqueConstraint(
                fields=["space", "student"], name="unique_space_student"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.space}"


def _image_path(instance, filename: str) -> str:
    return f"courses/images/{instance.key}.{filename.rsplit('.', 1)[-1]}"


class SpaceImage(models.Model):
    """An image pasted into rich text of a space (instructions, answers, reviews),
    checked by the one upload check and served only after an access check."""

    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    space = models.ForeignKey(
        CourseSpace,
        on_delete=models.CASCADE,
        related_name="images",
        verbose_name=_("course space"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file = models.FileField(_("file"), upload_to=_image_path)
    name = models.CharField(_("name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pasted image")
        verbose_name_plural = _("pasted images")

    def __str__(self) -> str:
        return self.name


class GradedWork(models.Model):
    """The teacher's grade 2–5 and written review («рецензия», R6) of a piece of
    deferred work, for the forms that keep them on their own rows (seminar
    works, glossary entries, discussion grades)."""

    mark = models.PositiveSmallIntegerField(
        pgettext_lazy("assessment", "grade"), null=True, blank=True
    )
    review = models.TextField(_("review"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("graded by"),
    )
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)
    #: Optimistic lock: a grade saved over a version someone else changed is refused.
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(mark__isnull=True) | Q(mark__gte=2, mark__lte=5),
                name="%(app_label)s_%(class)s_mark_2_to_5",
            )
        ]


class QueuedForReview(models.Model):
    """What the queue «Проверить» keeps on a waiting row (R13): the school's
    deadline, the reminder, the escalation to a deputy head
    (`queue_sources.ModelQueue`; a deputy's open escalations are
    `escalated_<app>_<model>`)."""

    review_due_at = models.DateTimeField(_("grade by"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalated_%(app_label)s_%(class)s",
        verbose_name=_("escalated to"),
    )

    class Meta:
        abstract = True
