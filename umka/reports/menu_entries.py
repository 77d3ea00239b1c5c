"""The reports' entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.core import menu
from umka.reports.policies import can_view_reports

menu.register(
    menu.Entry(
        "reports", _("Reports"), "reports:index", order=58, shown_to=can_view_reports
    )
)
