from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "umka.home"
    label = "home"
    verbose_name = _("Home")

    def ready(self) -> None:
        from umka.home import menu_entries  # noqa: F401
