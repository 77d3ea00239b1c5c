"""Assignments on the results page (R6): one result per assignment and student —
the attempt that counts (the assignment's setting), or the latest while none is
graded. Two queries whatever the number of submissions."""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from umka.assignments.models import Assignment, Submission
from umka.courses.results import Result

FORM = _("E-assignment")
STATUS_LABELS = {
    Submission.Status.WAITING: _("Waiting for the teacher"),
    Submission.Status.GRADED: _("Graded"),
    Submission.Status.RETURNED: _("Returned to be done again"),
}


def _rank(submission: Submission):
    return (submission.points or 0, submission.mark or 0, bool(submission.passed))


def counting(submissions: list[Submission], counts: str) -> Submission:
    """The submission that counts among one student's attempts."""
    graded = [s for s in submissions if s.status == Submission.Status.GRADED]
    if not graded:
        return max(submissions, key=lambda s: s.attempt)
    if counts == Assignment.Counts.BEST:
        return max(graded, key=lambda s: (_rank(s), s.attempt))
    if counts == Assignment.Counts.FIRST:
        return min(graded, key=lambda s: s.attempt)
    return max(graded, key=lambda s: s.attempt)


def assignment_results(students, spaces) -> list[Result]:
    submissions = Submission.objects.filter(student__in=students).select_related(
        "assignment", "assignment__space", "assignment__space__subject"
    )
    if spaces is not None:
        submissions = submissions.filter(assignment__space__in=spaces)
    grouped: dict[tuple[int, int], list[Submission]] = defaultdict(list)
    for submission in submissions:
        grouped[(submission.assignment_id, submission.student_id)].append(submission)
    results = []
    for attempts in grouped.values():
        s = counting(attempts, attempts[0].assignment.counts)
        a, graded = s.assignment, s.status == Submission.Status.GRADED
        results.append(
            Result(
                key=f"assignments.submission:{s.pk}",
                form=FORM,
                space_id=a.space_id,
                space_title=a.space.title,
                subject=a.space.subject.name,
                student_id=s.student_id,
                title=a.title,
                topic=a.topic,
                url=reverse("assignments:submission", args=[s.pk]),
                status="graded" if graded else str(s.status),
                status_label=STATUS_LABELS[s.status],
                grade=s.grade_display() if graded else "",
                mark=s.mark if graded else None,
                review=s.review if graded else "",
                graded_at=s.graded_at if graded else None,
                submitted_at=s.submitted_at,
                due_at=a.due_at,
                late=s.late,
            )
        )
    return results
