"""The audit trail's entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.audit.policies import can_browse_audit
from umka.core import menu

menu.register(
    menu.Entry(
        "audit", _("Audit trail"), "audit:list", order=60, shown_to=can_browse_audit
    )
)
