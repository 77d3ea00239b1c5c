"""The consultations' entries in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.consultations.policies import can_open_own_consultations, oversees_schedules
from umka.core import menu

menu.register(
    menu.Entry(
        "consultations",
        _("Consultations"),
        "consultations:mine",
        order=20,
        shown_to=can_open_own_consultations,
    )
)
menu.register(
    menu.Entry(
        "schedules",
        _("Schedules"),
        "consultations:schedules",
        order=50,
        shown_to=oversees_schedules,
    )
)
