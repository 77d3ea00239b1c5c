"""Audit actions of learning materials (R2, R13)."""

from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

CREATED = register("materials.created", _("Created a learning material"))
CHANGED = register("materials.changed", _("Changed a learning material"))
PUBLISHED = register("materials.published", _("Published a learning material"))
SCHEDULED = register(
    "materials.scheduled", _("Scheduled a learning material's publication")
)
WITHDRAWN = register("materials.withdrawn", _("Returned a learning material to drafts"))
RESTORED = register("materials.restored", _("Restored a version of a material"))
DELETED = register("materials.deleted", _("Deleted a learning material"))
