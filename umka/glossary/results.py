"""Graded glossary entries on the results page and in the e-journal export
(R6): the grade of a contribution with the teacher's review. One query."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from umka.courses.results import Result
from umka.glossary.models import Entry

FORM = gettext_lazy("Glossary")


def glossary_results(students, spaces) -> list[Result]:
    entries = Entry.objects.filter(
        author__in=students, mark__isnull=False
    ).select_related("space", "space__subject", "program_part")
    if spaces is not None:
        entries = entries.filter(space__in=spaces)
    return [
        Result(
            key=f"glossary.entry:{e.pk}",
            form=FORM,
            space_id=e.space_id,
            space_title=e.space.title,
            subject=e.space.subject.name,
            student_id=e.author_id,
            title=_("Term «%(term)s»") % {"term": e.term},
            topic=e.program_part.title if e.program_part else e.term,
            url=reverse("glossary:entry", args=[e.pk]),
            status="graded",
            status_label=gettext_lazy("Graded"),
            grade=str(e.mark),
            mark=e.mark,
            review=e.review,
            graded_at=e.graded_at,
            submitted_at=e.created_at,
        )
        for e in entries
    ]
