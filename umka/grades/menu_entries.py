"""The grades' entry in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.core import menu
from umka.grades.policies import can_open_grades

menu.register(
    menu.Entry(
        "grades", _("Grades"), "grades:index", order=40, shown_to=can_open_grades
    )
)
