"""The individual consultations' entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.bookings.policies import can_open_bookings
from umka.core import menu

menu.register(
    menu.Entry(
        "bookings",
        _("Individual consultations"),
        "bookings:mine",
        order=30,
        shown_to=can_open_bookings,
    )
)
