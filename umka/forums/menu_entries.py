"""Forums in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.core import menu
from umka.forums import policies

menu.register(
    menu.Entry(
        "forums",
        _("Forums"),
        "forums:index",
        order=48,
        shown_to=policies.can_open_forums,
    )
)
