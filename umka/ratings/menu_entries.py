"""The ratings' entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.core import menu
from umka.ratings.policies import can_open_ratings

menu.register(
    menu.Entry(
        "ratings",
        _("Ratings of help"),
        "ratings:index",
        order=85,
        shown_to=can_open_ratings,
    )
)
