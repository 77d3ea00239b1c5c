from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "umka.imports"
    label = "imports"
    verbose_name = _("Import")

    def ready(self) -> None:
        from umka.imports import (
            audit_actions,  # noqa: F401
            menu_entries,  # noqa: F401
        )
        from umka.imports.people import kinds  # noqa: F401  (registers them)
