from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradesConfig(AppConfig):
    name = "umka.grades"
    label = "grades"
    verbose_name = _("Current grades")

    def ready(self) -> None:
        from umka.grades import (
            audit_actions,  # noqa: F401
            menu_entries,  # noqa: F401
        )
        from umka.grades.importing import kind  # noqa: F401  (registers it)
