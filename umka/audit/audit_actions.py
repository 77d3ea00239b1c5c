from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

TRAIL_EXPORTED = register("audit.trail_exported", _("Exported the audit trail"))
