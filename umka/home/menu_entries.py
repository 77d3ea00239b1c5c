"""The home page's entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.core import menu

menu.register(
    menu.Entry(
        "home", _("Home"), "home", order=0, shown_to=lambda u: u.is_authenticated
    )
)
