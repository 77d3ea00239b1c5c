"""A student's graded deferred work with its reviews for the help ledger
(`umka.ledger.sources`). One query."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from umka.assignments.models import Submission
from umka.ledger import sources


def graded_work(student, start, end) -> list[sources.Entry]:
    graded = Submission.objects.filter(
        student=student,
        status=Submission.Status.GRADED,
        graded_at__gte=start,
        graded_at__lt=end,
    ).select_related("assignment", "graded_by")
    entries = []
    for submission in graded:
        if submission.mark is not None:
            grade = _("Grade %(mark)s.") % {"mark": submission.mark}
        elif submission.passed is not None:
            grade = _("Passed.") if submission.passed else _("Not passed.")
        else:
            grade = ""
        entries.append(
            sources.Entry(
                kind=gettext_lazy("Graded work"),
                happened_at=submission.graded_at,
                title=submission.assignment.title,
                staff=submission.graded_by.full_name if submission.graded_by else "",
                detail=f"{grade} {submission.review}".strip(),
                url=reverse("assignments:submission", args=[submission.pk]),
            )
        )
    return entries


sources.register(graded_work)
