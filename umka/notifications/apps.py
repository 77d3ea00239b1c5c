from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "umka.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from umka.notifications import audit_actions  # noqa: F401
