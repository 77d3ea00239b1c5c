"""The library in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.core import menu
from umka.materials import policies

menu.register(
    menu.Entry(
        "materials",
        _("Materials"),
        "materials:index",
        order=44,
        shown_to=policies.can_open_library,
    )
)
