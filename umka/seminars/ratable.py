"""A graded seminar work as help to rate (R13): the teacher's review, by the
student and by their parents (`umka.ratings.kinds`)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from umka.accounts.policies import children_of
from umka.ratings import kinds
from umka.seminars.models import Work

KIND = "seminars.work"


def graded_works(user, since, object_id) -> list[kinds.Ratable]:
    if not (user.is_student or user.is_parent):
        return []
    whose = Q(author=user)
    if user.is_parent:
        whose |= Q(author__in=children_of(user))
    graded = Work.objects.filter(
        whose,
        status=Work.Status.GRADED,
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
            object_id=work.pk,
            title=f"{work.seminar.title}: {work.title}"[:300],
            staff_id=work.graded_by_id,
            happened_at=work.graded_at,
            student_id=work.author_id,
            url=reverse("seminars:work", args=[work.pk]),
        )
        for work in graded.select_related("seminar")[:200]
    ]


kinds.register(
    kinds.Kind(code=KIND, label=_("Review of deferred work"), candidates=graded_works)
)
