"""Audit actions of course spaces (R13)."""

from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

SYNCED = register("courses.synced", _("Course spaces follow the teaching assignments"))
GROUP_CREATED = register("courses.group_created", _("Created a group course space"))
TEACHER_ADDED = register(
    "courses.teacher_added", _("Added a teacher to a course space")
)
TEACHER_REMOVED = register(
    "courses.teacher_removed", _("Removed a teacher from a course space")
)
STUDENTS_CHANGED = register(
    "courses.students_changed", _("Changed the students of a group course space")
)
ARCHIVED = register("courses.archived", _("Archived a course space"))
IMAGE_UPLOADED = register("courses.image_uploaded", _("Pasted an image"))
REVIEW_ESCALATED = register(
    "courses.review_escalated", _("Overdue review escalated to the deputy head")
)
