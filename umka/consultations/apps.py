from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "umka.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from umka.consultations import (  # noqa: F401
            audit_actions,
            menu_entries,
            notification_kinds,
            profile_actions,  # noqa: F401
            report_sections,  # noqa: F401
        )
        from umka.consultations.publication import audit  # noqa: F401
        from umka.consultations.schedule import time_zone  # noqa: F401
