"""The compliance report's entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.compliance.policies import can_read_compliance
from umka.core import menu

menu.register(
    menu.Entry(
        "compliance",
        _("Compliance"),
        "compliance:report",
        order=65,
        shown_to=can_read_compliance,
    )
)
