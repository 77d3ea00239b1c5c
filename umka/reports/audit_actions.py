from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

EXPORTED = register("reports.exported", _("Exported a report"))
MONTHLY_CHANGED = register(
    "reports.monthly_changed", _("Changed the monthly report to the director")
)
MONTHLY_SENT = register("reports.monthly_sent", _("Sent the monthly report"))
