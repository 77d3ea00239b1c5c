from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

TRAIL_EXPORTED = register("audit.trail_exported", _("Exported the audit trail"))
CHILD_DATA_VIEWED = register("audit.child_data_viewed", _("Viewed a child's data"))
