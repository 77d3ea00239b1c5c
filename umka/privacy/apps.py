from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "umka.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from umka.privacy import audit_actions, menu_entries  # noqa: F401

        # Each app declares its personal data in its own `personal_data.py`.
        autodiscover_modules("personal_data")
