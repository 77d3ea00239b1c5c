from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "umka.signin"
    label = "signin"
    verbose_name = _("Sign-in security")

    def ready(self) -> None:
        from umka.signin import audit_actions, receivers  # noqa: F401
