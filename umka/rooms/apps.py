from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomsConfig(AppConfig):
    name = "umka.rooms"
    label = "rooms"
    verbose_name = _("Live rooms")

    def ready(self) -> None:
        from umka.rooms import audit_actions  # noqa: F401
