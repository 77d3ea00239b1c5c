"""Course spaces, results and the queue «Проверить» in the main menu."""

from django.utils.translation import gettext_lazy as _

from umka.core import menu
from umka.courses import policies


def _reads_results(user) -> bool:
    return bool(user.is_authenticated and (user.is_student or user.is_parent))


def _checks_work(user) -> bool:
    return bool(
        user.is_authenticated and (user.is_teacher or policies.oversees_spaces(user))
    )


menu.register(
    menu.Entry(
        "courses",
        _("Courses"),
        "courses:index",
        order=45,
        shown_to=policies.can_open_courses,
    )
)
menu.register(
    menu.Entry(
        "results", _("Results"), "courses:results", order=46, shown_to=_reads_results
    )
)
menu.register(
    menu.Entry("queue", _("To grade"), "courses:queue", order=47, shown_to=_checks_work)
)
