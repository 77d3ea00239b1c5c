"""Graded deferred work as help to rate (R13): the review of a graded submission,
by the student and by their parents (`umka.ratings.kinds`)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from umka.accounts.policies import children_of
from umka.assignments.models import Submission
from umka.ratings import kinds

KIND = "assignments.submission"


def graded_work(user, since, object_id) -> list[kinds.Ratable]:
    if not (user.is_student or user.is_parent):
        return []
    whose = Q(student=user)
    if user.is_parent:
        whose |= Q(student__in=children_of(user))
    graded = Submission.objects.filter(
        whose,
        status=Submission.Status.GRADED,
        graded_at__isnull=False,
        graded_by__isnull=False,
    )
    if since is not None:
        graded = graded.filter(graded_at__gte=since)
    if object_id is not None:
        graded = graded.filter(pk=object_id)
    return [
        kinds.Ratable(
            kind=KIND,
            object_id=submission.pk,
            title=submission.assignment.title,
            staff_id=submission.graded_by_id,
            happened_at=submission.graded_at,
            student_id=submission.student_id,
            url=reverse("assignments:submission", args=[submission.pk]),
        )
        for submission in graded.select_related("assignment")[:200]
    ]


kinds.register(
    kinds.Kind(code=KIND, label=_("Review of deferred work"), candidates=graded_work)
)
