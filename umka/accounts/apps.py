from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "umka.accounts"
    label = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from umka.accounts import audit_actions, receivers  # noqa: F401
