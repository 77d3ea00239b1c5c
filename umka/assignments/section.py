"""The assignments' section of a course space's page (`courses.sections`)."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from umka.accounts.policies import children_of
from umka.assignments import policies
from umka.assignments.models import Submission
from umka.courses import policies as spaces
from umka.courses.sections import Section


def assignments_section(request, space) -> Section | None:
    user = request.user
    teaches = spaces.is_space_teacher(user, space) or spaces.oversees_spaces(user)
    assignments = policies.assignments_visible_to(user).filter(space=space)
    if teaches:
        assignments = assignments.annotate(
            waiting=Count("submissions", filter=Q(submissions__status="waiting")),
            submitted=Count("submissions__student", distinct=True),
        )
    assignments = list(assignments.order_by("-due_at", "pk"))
    mine = {}
    if not teaches:
        students = [user.pk] if user.is_student else []
        if user.is_parent:
            students += list(children_of(user).values_list("pk", flat=True))
        by_pk = {a.pk: a for a in assignments}
        for s in Submission.objects.filter(
            assignment__in=assignments, student__in=students
        ).order_by("attempt"):
            s.assignment = by_pk[s.assignment_id]
            mine[s.assignment_id] = s
    rows = [(a, mine.get(a.pk)) for a in assignments]
    html = render_to_string(
        "assignments/_section.html",
        {
            "space": space,
            "rows": rows,
            "teaches": teaches,
            "may_create": spaces.can_teach_in(user, space),
        },
        request=request,
    )
    return Section(key="assignments", title=_("Assignments"), html=html)
