"""A student's graded seminar works with their reviews for the help ledger
(`umka.ledger.sources`). One query."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from umka.ledger import sources
from umka.seminars.models import Work


def graded_works(student, start, end) -> list[sources.Entry]:
    graded = Work.objects.filter(
        author=student,
        status=Work.Status.GRADED,
        graded_at__gte=start,
        graded_at__lt=end,
    ).select_related("seminar", "graded_by")
    return [
        sources.Entry(
            kind=gettext_lazy("Graded work"),
            happened_at=work.graded_at,
            title=f"{work.seminar.title}: {work.title}",
            staff=work.graded_by.full_name if work.graded_by else "",
            detail=_("Grade %(mark)s.") % {"mark": work.mark} + " " + work.review,
            url=reverse("seminars:work", args=[work.pk]),
        )
        for work in graded
    ]


sources.register(graded_works)
