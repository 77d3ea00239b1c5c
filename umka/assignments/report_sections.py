"""Deferred work (assignments) in the administration's reports (R6, R13): work
reviewed on time vs late against its review deadline, per course space."""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from umka.assignments.models import Submission
from umka.courses.models import SpaceTeacher
from umka.reports import registry


def deferred_work_section(scope: registry.Scope) -> registry.Result:
    """Submissions whose review was due in the period: graded no later than
    `review_due_at` is on time; not graded and past it is overdue."""
    found = Submission.objects.filter(
        review_due_at__gte=scope.start, review_due_at__lt=scope.end
    )
    if scope.staff is not None:
        found = found.filter(
            assignment__space__in=SpaceTeacher.objects.filter(
                teacher=scope.staff
            ).values("space")
        )
    if scope.subject is not None:
        found = found.filter(assignment__space__subject=scope.subject)
    if scope.school_class is not None:
        found = found.filter(assignment__space__school_class=scope.school_class)
    per: dict[str, dict] = defaultdict(
        lambda: dict.fromkeys(("all", "on_time", "late", "overdue", "waiting"), 0)
    )
    for space, due, graded in found.values_list(
        "assignment__space__title", "review_due_at", "graded_at"
    ):
        c = per[space]
        c["all"] += 1
        if graded is not None:
            c["on_time" if graded <= due else "late"] += 1
        elif due <= scope.now:
            c["overdue"] += 1
        else:
            c["waiting"] += 1
    keys = ("all", "on_time", "late", "overdue", "waiting")
    total = {k: sum(c[k] for c in per.values()) for k in keys}
    return registry.Result(
        figures=[
            registry.Figure(_("Reviewed on time"), total["on_time"]),
            registry.Figure(_("Reviewed late"), total["late"]),
            registry.Figure(_("Overdue, not reviewed"), total["overdue"]),
            registry.Figure(_("Waiting, within the deadline"), total["waiting"]),
        ],
        columns=[
            _("Course space"),
            _("Works"),
            _("Reviewed on time"),
            _("Reviewed late"),
            _("Overdue"),
            _("Waiting"),
        ],
        rows=[[space, *(c[k] for k in keys)] for space, c in sorted(per.items())],
        totals=[_("Total"), *(total[k] for k in keys)],
        note=_("Assignments' works whose review was due in the period."),
    )


registry.register(
    registry.Section(
        "deferred-work", _("Deferred work"), order=40, compute=deferred_work_section
    )
)
