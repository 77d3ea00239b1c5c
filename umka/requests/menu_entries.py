"""The requests' entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.core import menu
from umka.requests.policies import can_open_requests

menu.register(
    menu.Entry(
        "requests",
        _("Requests"),
        "requests:list",
        order=10,
        shown_to=can_open_requests,
    )
)
