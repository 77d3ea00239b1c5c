from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "umka.demo"
    label = "demo"
    verbose_name = _("Demo school")

    def ready(self) -> None:
        from umka.demo import audit_actions  # noqa: F401
