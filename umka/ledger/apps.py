from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "umka.ledger"
    label = "ledger"
    verbose_name = _("Help ledger")

    def ready(self) -> None:
        from importlib import import_module

        from umka.ledger import audit_actions  # noqa: F401

        # Each app contributes its own entries (`<app>/ledger_entries.py`): the
        # ledger never reaches into another app's tables.
        for config in apps.get_app_configs():
            if config.name.startswith("umka.") and config.name != self.name:
                try:
                    import_module(f"{config.name}.ledger_entries")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.ledger_entries":
                        raise
