"""The personal data page's entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.core import menu
from umka.privacy.policies import can_open_privacy

menu.register(
    menu.Entry(
        "privacy",
        _("Personal data"),
        "privacy:index",
        order=95,
        shown_to=can_open_privacy,
    )
)
