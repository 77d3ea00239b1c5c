"""Graded discussions on the results page and in the e-journal export (R6):
the grade of a student's posts in a period with the teacher's review. One
query."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from umka.courses.results import Result
from umka.forums.models import DiscussionGrade

FORM = _("Forum discussion")
STATUS_LABELS = {
    DiscussionGrade.Status.WAITING: _("Waiting for the teacher"),
    DiscussionGrade.Status.GRADED: _("Graded"),
}


def discussion_results(students, spaces) -> list[Result]:
    grades = DiscussionGrade.objects.filter(student__in=students).select_related(
        "discussion", "discussion__forum__space", "discussion__forum__space__subject"
    )
    if spaces is not None:
        grades = grades.filter(discussion__forum__space__in=spaces)
    found = []
    for g in grades:
        space, graded = g.discussion.forum.space, g.status == g.Status.GRADED
        found.append(
            Result(
                key=f"forums.discussion:{g.pk}",
                form=FORM,
                space_id=space.pk,
                space_title=space.title,
                subject=space.subject.name,
                student_id=g.student_id,
                title=g.discussion.title,
                topic=g.discussion.topic,
                url=reverse("forums:grade", args=[g.pk]),
                status="graded" if graded else "waiting",
                status_label=STATUS_LABELS[g.status],
                grade=str(g.mark) if graded else "",
                mark=g.mark if graded else None,
                review=g.review if graded else "",
                graded_at=g.graded_at if graded else None,
                submitted_at=g.came_in_at,
            )
        )
    return found
