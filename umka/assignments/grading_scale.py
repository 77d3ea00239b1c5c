"""Grades of an assignment's scale: 2–5, «зачёт / незачёт», or points turned into
2–5 by the school's thresholds (`ASSIGNMENT_POINTS_THRESHOLDS`, percentages of the
maximum for 3, 4 and 5)."""

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _


def thresholds() -> tuple[Decimal, Decimal, Decimal]:
    three, four, five = (Decimal(str(v)) for v in settings.ASSIGNMENT_POINTS_THRESHOLDS)
    return three, four, five


def mark_for(points: Decimal, max_points: Decimal) -> int:
    """2–5 for `points` of `max_points` by the school's thresholds."""
    if max_points <= 0:
        return 2
    percent = Decimal(points) * 100 / Decimal(max_points)
    three, four, five = thresholds()
    if percent >= five:
        return 5
    if percent >= four:
        return 4
    if percent >= three:
        return 3
    return 2


def points_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}".replace(".", ",")


def grade_display(submission) -> str:
    """The grade as shown: «5», «зачёт», «17 из 20 (4)»."""
    scale = submission.assignment.scale
    if scale == "pass_fail":
        if submission.passed is None:
            return ""
        return _("pass") if submission.passed else _("fail")
    if scale == "points":
        if submission.points is None:
            return ""
        return _("%(points)s of %(max)s (%(mark)s)") % {
            "points": points_text(submission.points),
            "max": points_text(submission.assignment.max_points),
            "mark": submission.mark,
        }
    return str(submission.mark or "")
