"""Deferred work (assignments) in the administration's reports (R6, R13): work
reviewed on time vs late against its review deadline, per course space; and the
overdue reviews on the dashboard «Требует внимания» (the oldest hundred: the queue's
own `overseen()` builds every overdue item of the school)."""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from umka.assignments import queue
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
    graded = Q(graded_at__isnull=False)
    waiting = Q(graded_at__isnull=True)
    per: dict[str, dict] = {}
    for row in (
        found.values("assignment__space_id", "assignment__space__title")
        .annotate(
            n=Count("pk"),
            n_on_time=Count("pk", filter=graded & Q(graded_at__lte=F("review_due_at"))),
            n_late=Count("pk", filter=graded & Q(graded_at__gt=F("review_due_at"))),
            n_overdue=Count("pk", filter=waiting & Q(review_due_at__lte=scope.now)),
            n_waiting=Count("pk", filter=waiting & Q(review_due_at__gt=scope.now)),
        )
        .order_by("assignment__space__title", "assignment__space_id")
    ):
        per[f"{row['assignment__space__title']} #{row['assignment__space_id']}"] = {
            "all": row["n"],
            "on_time": row["n_on_time"],
            "late": row["n_late"],
            "overdue": row["n_overdue"],
            "waiting": row["n_waiting"],
        }
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
        rows=[[space, *(c[k] for k in keys)] for space, c in per.items()],
        totals=[_("Total"), *(total[k] for k in keys)],
        note=_("Assignments' works whose review was due in the period."),
    )


ATTENTION_LIMIT = 100


def overdue_reviews(now):
    waiting = (
        queue._waiting()
        .filter(review_due_at__lte=now)
        .order_by("review_due_at", "pk")[:ATTENTION_LIMIT]
    )
    for item in queue._items(waiting):
        yield registry.Line(
            kind=_("Review overdue"),
            title=f"{item.title} · {item.student_name}",
            detail=item.space_title,
            due_at=item.review_due_at,
            url=item.url,
        )


registry.register_attention(overdue_reviews)
registry.register(
    registry.Section(
        "deferred-work", _("Deferred work"), order=40, compute=deferred_work_section
    )
)
