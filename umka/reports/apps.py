from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports for the administration and the dashboard «Требует внимания» (R13)."""

    name = "umka.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from umka.reports import audit_actions, menu_entries, tasks  # noqa: F401
