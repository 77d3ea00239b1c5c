"""Ratings in the administration's reports (R13): the scores given in the period and
the low-rated help with its comments (the section `low-rated-help`)."""

from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from umka.core import clock
from umka.ratings import kinds
from umka.ratings.models import Rating
from umka.ratings.selectors import LOW_SCORE, low_rated
from umka.reports import registry
from umka.reports.figures import teachers_of_subject
from umka.school.models import Enrolment

#: The low-rated lines a report shows (the ratings' own page lists them all).
ROWS_LIMIT = 200


def _in_scope(scope: registry.Scope):
    found = Rating.objects.filter(created_at__gte=scope.start, created_at__lt=scope.end)
    if scope.staff is not None:
        found = found.filter(staff=scope.staff)
    if scope.subject is not None:
        found = found.filter(staff__in=teachers_of_subject(scope.subject))
    if scope.school_class is not None:
        found = found.filter(
            student__in=Enrolment.objects.filter(
                school_class=scope.school_class
            ).values("student")
        )
    return found


def low_rated_section(scope: registry.Scope) -> registry.Result:
    """Every rating given in the period by score (the chart), and each low one
    (score ≤ 2) with who gave it, whom it was about and the comment (the table)."""
    ratings = _in_scope(scope)
    by_score = dict(
        ratings.values("score").annotate(n=Count("pk")).values_list("score", "n")
    )
    rows = []
    low = low_rated(ratings).order_by("-created_at", "-pk")[:ROWS_LIMIT]
    for rating in low:
        kind = kinds.get(rating.kind)
        rows.append(
            [
                formats.date_format(clock.local(rating.created_at), "d.m.Y"),
                rating.staff.short_name,
                f"{kind.label if kind else rating.kind}: {rating.title}",
                rating.score,
                rating.comment or "—",
                rating.rater.short_name,
            ]
        )
    low_total = sum(n for score, n in by_score.items() if score <= LOW_SCORE)
    return registry.Result(
        figures=[
            registry.Figure(
                _("Score %(score)s") % {"score": score}, by_score.get(score, 0)
            )
            for score in range(5, 0, -1)
        ],
        columns=[
            _("Date"),
            _("Staff member"),
            _("Help"),
            _("Score"),
            _("Comment"),
            _("Rated by"),
        ],
        rows=rows,
        totals=[
            _("Total"),
            "",
            _("%(low)s low of %(all)s ratings")
            % {"low": low_total, "all": sum(by_score.values())},
            "",
            "",
            "",
        ],
        note=_(
            "Ratings given in the period, by score; the table lists those of "
            "%(low)s or less with their comments."
        )
        % {"low": LOW_SCORE},
    )


registry.register(
    registry.Section(
        "low-rated-help", _("Low-rated help"), order=60, compute=low_rated_section
    )
)
