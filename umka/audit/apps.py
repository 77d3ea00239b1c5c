from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "umka.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from umka.audit import (
            audit_actions,  # noqa: F401
            menu_entries,  # noqa: F401
        )
