from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "umka.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from umka.core import menu_entries, sqlite  # noqa: F401

        sqlite.install()
