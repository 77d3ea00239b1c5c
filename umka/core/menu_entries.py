"""The back office's entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.core import menu
from umka.core.admin_site import is_school_admin

menu.register(
    menu.Entry(
        "backoffice",
        _("Back office"),
        "admin:index",
        order=90,
        shown_to=is_school_admin,
    )
)
