"""Learning materials in the administration's reports (R2, R13): published in the
period, and how many of them were opened, per author."""

from collections import defaultdict

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from umka.materials.models import Material, MaterialClass
from umka.reports import registry
from umka.reports.figures import names


def materials_section(scope: registry.Scope) -> registry.Result:
    """Materials published in the period; opened: by at least one person."""
    found = Material.objects.filter(
        publish_at__gte=scope.start, publish_at__lt=scope.end
    )
    if scope.staff is not None:
        found = found.filter(author=scope.staff)
    if scope.subject is not None:
        found = found.filter(subject=scope.subject)
    if scope.school_class is not None:
        found = found.filter(
            pk__in=MaterialClass.objects.filter(school_class=scope.school_class).values(
                "material"
            )
        )
    per: dict[int | None, dict] = defaultdict(
        lambda: dict.fromkeys(("published", "opened", "people", "times"), 0)
    )
    for author, people, times in found.annotate(
        people=Count("openings"), times=Sum("openings__times")
    ).values_list("author_id", "people", "times"):
        c = per[author]
        c["published"] += 1
        c["opened"] += bool(people)
        c["people"] += people
        c["times"] += times or 0
    who = names(per)
    keys = ("published", "opened", "people", "times")
    total = {k: sum(c[k] for c in per.values()) for k in keys}
    return registry.Result(
        figures=[
            registry.Figure(_("Published"), total["published"]),
            registry.Figure(_("Opened"), total["opened"]),
            registry.Figure(_("Never opened"), total["published"] - total["opened"]),
        ],
        columns=[
            _("Author"),
            _("Published"),
            _("Opened"),
            _("People who opened"),
            _("Times opened"),
        ],
        rows=[
            [who.get(a, "—"), *(c[k] for k in keys)]
            for a, c in sorted(per.items(), key=lambda kv: who.get(kv[0], ""))
        ],
        totals=[_("Total"), *(total[k] for k in keys)],
        note=_("Materials published in the period and who opened them since."),
    )


registry.register(
    registry.Section(
        "materials", _("Learning materials"), order=50, compute=materials_section
    )
)
