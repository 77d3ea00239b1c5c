"""Reads of ratings: what a person may rate now, averages and comments."""

from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet

from umka.accounts.models import User
from umka.core import clock
from umka.ratings import kinds, services
from umka.ratings.models import Rating

#: A score at or below this is «low» (the administration's list).
LOW_SCORE = 2


@dataclass(frozen=True)
class ToRate:
    item: kinds.Ratable
    kind_label: str
    #: The score already given, or None.
    score: int | None
    #: Where to rate it.
    rate_url: str


def to_rate(user) -> list[ToRate]:
    """«Оцените помощь»: what `user` may rate now (within the school's period),
    newest first, each with the score already given."""
    from django.urls import reverse

    since = services.period_start(clock.now())
    items: list[tuple[kinds.Kind, kinds.Ratable]] = []
    for kind in kinds.all_kinds():
        items.extend((kind, item) for item in kind.candidates(user, since, None))
    given = {
        (kind, object_id): score
        for kind, object_id, score in Rating.objects.filter(rater=user).values_list(
            "kind", "object_id", "score"
        )
    }
    rows = [
        ToRate(
            item=item,
            kind_label=str(kind.label),
            score=given.get((item.kind, item.object_id)),
            rate_url=kind.rate_url(item)
            if kind.rate_url
            else reverse("ratings:rate", args=[item.kind, item.object_id]),
        )
        for kind, item in items
    ]
    rows.sort(key=lambda row: row.item.happened_at, reverse=True)
    return rows


def summary(ratings: QuerySet[Rating]) -> dict:
    """Average, count and low count of `ratings`."""
    return ratings.aggregate(
        average=Avg("score"),
        count=Count("pk"),
        low=Count("pk", filter=Q(score__lte=LOW_SCORE)),
    )


def staff_table(ratings: QuerySet[Rating]) -> list[dict]:
    """Per staff member: name, average, count, low count (two queries)."""
    rows = list(
        ratings.values("staff")
        .annotate(
            average=Avg("score"),
            count=Count("pk"),
            low=Count("pk", filter=Q(score__lte=LOW_SCORE)),
        )
        .order_by()
    )
    people = User.objects.in_bulk([row["staff"] for row in rows])
    for row in rows:
        row["person"] = people.get(row["staff"])
    rows.sort(key=lambda row: (row["average"], str(row["person"])))
    return rows


def with_people(ratings: QuerySet[Rating]) -> QuerySet[Rating]:
    return ratings.select_related("rater", "student", "staff")


def low_rated(ratings: QuerySet[Rating]) -> QuerySet[Rating]:
    return with_people(ratings.filter(score__lte=LOW_SCORE))
