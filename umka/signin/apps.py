from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "umka.signin"
    label = "signin"
    verbose_name = _("Sign-in security")

    def ready(self) -> None:
        from umka.accounts import sign_in_steps
        from umka.core import ratelimit
        from umka.signin import audit_actions, receivers, two_factor  # noqa: F401

        sign_in_steps.register(two_factor.begin)
        ratelimit.on_refusal(audit_actions.record_rate_limited)
