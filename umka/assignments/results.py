"""Assignments on the results page (R6): one result per assignment and student —
the attempt that counts (the assignment's setting), or the latest while none is
graded. Two queries whatever the number of submissions."""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from umka.assignments.models import Assignment, Extension, Submission
from umka.core import clock
from umka.courses.models import SpaceStudent
from umka.courses.results import Result
from umka.school.models import Enrolment

FORM = _("E-assignment")
MISSING = _("Not submitted by the due date")
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


def _missing(students, spaces, submitted: set[tuple[int, int]]) -> list[Result]:
    """Published work of the students' spaces now, past the (student's) due date
    and not submitted: a parent sees what is missing too. Four queries."""
    now, today = clock.now(), clock.today()
    members: dict[int, set[int]] = {}
    for student_id, class_id in (
        Enrolment.objects.filter(student__in=students, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values_list("student", "school_class")
    ):
        members.setdefault(("class", class_id), set()).add(student_id)
    for student_id, space_id in SpaceStudent.objects.filter(
        student__in=students
    ).values_list("student", "space"):
        members.setdefault(("group", space_id), set()).add(student_id)
    if not members:
        return []
    # An extension only moves a due date later: nothing due yet is missing.
    overdue = Assignment.objects.filter(
        status=Assignment.Status.PUBLISHED,
        due_at__lt=now,
        space__archived_at__isnull=True,
    ).select_related("space", "space__subject")
    if spaces is not None:
        overdue = overdue.filter(space__in=spaces)
    extended = {
        (e.assignment_id, e.student_id): e.due_at
        for e in Extension.objects.filter(student__in=students)
    }
    found = []
    for a in overdue:
        space = a.space
        key = (
            ("class", space.school_class_id)
            if space.school_class_id
            else (
                "group",
                space.pk,
            )
        )
        for student_id in members.get(key, ()):
            due = extended.get((a.pk, student_id), a.due_at)
            if due >= now or (a.pk, student_id) in submitted:
                continue
            found.append(
                Result(
                    key=f"assignments.missing:{a.pk}:{student_id}",
                    form=FORM,
                    space_id=space.pk,
                    space_title=space.title,
                    subject=space.subject.name,
                    student_id=student_id,
                    title=a.title,
                    topic=a.topic,
                    url=reverse("assignments:detail", args=[a.pk]),
                    status="missing",
                    status_label=MISSING,
                    due_at=due,
                )
            )
    return found


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
    return results + _missing(students, spaces, set(grouped))
