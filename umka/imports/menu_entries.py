"""The import's entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.core import menu
from umka.imports.policies import can_import

menu.register(
    menu.Entry("imports", _("Import"), "imports:list", order=70, shown_to=can_import)
)
