from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    """Обращения (R9, R13). The label is «requests»; the package prefix keeps it
    from shadowing the PyPI package of the same name."""

    name = "umka.requests"
    label = "requests"
    verbose_name = _("Requests")

    def ready(self) -> None:
        from umka.requests import (  # noqa: F401
            audit_actions,
            menu_entries,  # noqa: F401
            notification_kinds,
            profile_actions,  # noqa: F401
            report_sections,  # noqa: F401
        )
