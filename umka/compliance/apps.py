from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "umka.compliance"
    label = "compliance"
    verbose_name = _("Compliance report")

    def ready(self) -> None:
        from umka.compliance import menu_entries  # noqa: F401
