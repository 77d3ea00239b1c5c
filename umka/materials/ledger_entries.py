"""Learning materials a student opened, for the help ledger
(`umka.ledger.sources`): the first opening in the period, and how many times.
One query."""

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from umka.core import clock
from umka.ledger import sources
from umka.materials.models import MaterialOpening


def opened(student, start, end) -> list[sources.Entry]:
    openings = MaterialOpening.objects.filter(
        person=student, first_at__gte=start, first_at__lt=end
    ).select_related("material__author")
    return [
        sources.Entry(
            kind=gettext_lazy("Material opened"),
            happened_at=opening.first_at,
            title=opening.material.title,
            staff=opening.material.author.full_name if opening.material.author else "",
            detail=ngettext(
                "Opened %(times)s time, last on %(when)s.",
                "Opened %(times)s times, last on %(when)s.",
                opening.times,
            )
            % {
                "times": opening.times,
                "when": f"{clock.local(opening.last_at):%d.%m.%Y}",
            },
            url=reverse("materials:detail", args=[opening.material_id]),
        )
        for opening in openings
    ]


sources.register(opened)
