from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "umka.ratings"
    label = "ratings"
    verbose_name = _("Ratings of help")

    def ready(self) -> None:
        from importlib import import_module

        from umka.ratings import (  # noqa: F401
            audit_actions,
            menu_entries,
            report_sections,
        )

        # Each app says what of its help may be rated (`<app>/ratable.py`): the
        # ratings app never reaches into another app's tables.
        for config in apps.get_app_configs():
            if config.name.startswith("umka.") and config.name != self.name:
                try:
                    import_module(f"{config.name}.ratable")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.ratable":
                        raise
