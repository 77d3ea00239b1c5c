"""Who sees and does what with assignments and submissions (R3, R6).

Everything rests on the course space (`umka.courses.policies`): its teachers set
and grade assignments; its students see published ones from their opening and
submit; parents with rights read their own child's work, grade and review; the
overseers (deputy heads, director) read everything. A submission is seen by its
student, that student's parents (active link, R3), the space's teachers and the
overseers — another student, another parent and the teacher of another space get
404.
"""

from django.db.models import Q, QuerySet

from umka.accounts.policies import children_of
from umka.assignments.models import Assignment, BankQuestion, Submission
from umka.core import clock
from umka.core.access import get_visible_or_404, require
from umka.courses import policies as spaces


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def assignments_visible_to(user) -> QuerySet[Assignment]:
    """Teachers of a space and overseers see all of its assignments; its students
    and their parents the published ones that have opened."""
    if not _active(user):
        return Assignment.objects.none()
    if spaces.oversees_spaces(user):
        return Assignment.objects.all()
    taught = spaces.spaces_taught_by(user)
    opened = Q(status=Assignment.Status.PUBLISHED, opens_at__lte=clock.now())
    return Assignment.objects.filter(
        Q(space__in=taught) | (opened & Q(space__in=spaces.spaces_visible_to(user)))
    )


def can_edit(user, assignment: Assignment) -> bool:
    return spaces.can_teach_in(user, assignment.space)


def can_submit(user, assignment: Assignment) -> bool:
    """A student of the space, a published assignment (dates: the service)."""
    return (
        assignment.status == Assignment.Status.PUBLISHED
        and not assignment.space.is_archived
        and spaces.is_student_of(user, assignment.space)
    )


def submissions_visible_to(user) -> QuerySet[Submission]:
    if not _active(user):
        return Submission.objects.none()
    if spaces.oversees_spaces(user):
        return Submission.objects.all()
    mine = Q(student=user) | Q(assignment__space__in=spaces.spaces_taught_by(user))
    if user.is_parent:
        mine |= Q(student__in=children_of(user))
    return Submission.objects.filter(mine)


def can_grade(user, submission: Submission) -> bool:
    return spaces.can_teach_in(user, submission.assignment.space)


def shows_scores(submission: Submission, user) -> bool:
    """Automatic scores to the student and parents: at once, or after the due
    date, as the teacher chose; to the teachers always; with the grade always."""
    assignment = submission.assignment
    if spaces.is_space_teacher(user, assignment.space) or spaces.oversees_spaces(user):
        return True
    if submission.status == Submission.Status.GRADED:
        return True
    if assignment.show_scores == Assignment.ShowScores.AT_ONCE:
        return True
    return clock.now() >= assignment.due_at


def bank_visible_to(user) -> QuerySet[BankQuestion]:
    """A teacher's bank is their own."""
    if not _active(user) or not user.is_teacher:
        return BankQuestion.objects.none()
    return BankQuestion.objects.filter(owner=user)


def can_use_bank(user) -> bool:
    return _active(user) and user.is_teacher


# --- Fetch and authorise -------------------------------------------------------------


def access_assignment(user, pk) -> Assignment:
    return get_visible_or_404(
        assignments_visible_to(user).select_related(
            "space", "space__subject", "program_part", "consultation"
        ),
        pk=pk,
    )


def access_assignment_to_edit(user, pk) -> Assignment:
    assignment = access_assignment(user, pk)
    require(can_edit(user, assignment))
    return assignment


def access_submission(user, pk) -> Submission:
    return get_visible_or_404(
        submissions_visible_to(user).select_related(
            "assignment", "assignment__space", "student", "graded_by"
        ),
        pk=pk,
    )


def access_submission_to_grade(user, pk) -> Submission:
    submission = access_submission(user, pk)
    require(can_grade(user, submission))
    return submission


def access_bank_question(user, pk) -> BankQuestion:
    return get_visible_or_404(bank_visible_to(user), pk=pk)
