"""The import's entry in the main menu: the school administrator's, who sets the
school up with people files (teachers reach their grade imports from «Grades»)."""

from django.utils.translation import gettext_lazy as _

from umka.core import menu
from umka.imports.policies import can_import_people

menu.register(
    menu.Entry(
        "imports", _("Import"), "imports:list", order=70, shown_to=can_import_people
    )
)
