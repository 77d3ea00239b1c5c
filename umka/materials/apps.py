from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    """Learning materials in the school's electronic environment (ЭИОС, R2): files,
    links, rich pages and videos, each person seeing what their role needs."""

    name = "umka.materials"
    verbose_name = _("Learning materials")

    def ready(self) -> None:
        from umka.courses import sections
        from umka.materials import (  # noqa: F401
            audit_actions,
            menu_entries,
            notification_kinds,
            section,
            tasks,
        )

        sections.register(section.materials_section, order=20)
        from umka.materials import report_sections  # noqa: F401
