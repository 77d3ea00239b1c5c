"""Seminars on the results page and in the e-journal export (R6): a student's
work with the teacher's grade and review, and — as a result of its own — the
grade for assessing classmates' works with its review. One query."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from umka.courses.results import Result
from umka.seminars.models import Work

FORM = gettext_lazy("Seminar")
STATUS_LABELS = {
    Work.Status.SUBMITTED: gettext_lazy("Waiting for the teacher"),
    Work.Status.GRADED: gettext_lazy("Graded"),
}


def seminar_results(students, spaces) -> list[Result]:
    works = Work.objects.filter(
        author__in=students, withdrawn_at__isnull=True
    ).select_related("seminar", "seminar__space", "seminar__space__subject")
    if spaces is not None:
        works = works.filter(seminar__space__in=spaces)
    found = []
    for w in works:
        seminar, space = w.seminar, w.seminar.space
        graded = w.status == Work.Status.GRADED
        common = {
            "form": FORM,
            "space_id": space.pk,
            "space_title": space.title,
            "subject": space.subject.name,
            "student_id": w.author_id,
            "topic": seminar.topic,
            "url": reverse("seminars:work", args=[w.pk]),
            "status": "graded" if graded else "waiting",
            "status_label": STATUS_LABELS[w.status],
            "graded_at": w.graded_at if graded else None,
            "submitted_at": w.submitted_at,
            "due_at": seminar.submission_due_at,
            "late": w.late,
        }
        found.append(
            Result(
                key=f"seminars.work:{w.pk}",
                title=seminar.title,
                grade=str(w.mark) if graded else "",
                mark=w.mark if graded else None,
                review=w.review if graded else "",
                **common,
            )
        )
        if graded and w.assessing_mark is not None:
            found.append(
                Result(
                    key=f"seminars.assessing:{w.pk}",
                    title=_("%(title)s: assessing classmates' works")
                    % {"title": seminar.title},
                    grade=str(w.assessing_mark),
                    mark=w.assessing_mark,
                    review=w.assessing_review,
                    **common,
                )
            )
    return found
