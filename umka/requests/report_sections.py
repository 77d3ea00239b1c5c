"""The requests' figures in the administration's reports (R13): answered on time vs
late at the deadline minute, answer time in working days, escalations, and the
overdue requests on the dashboard «Требует внимания»."""

import datetime as dt
import statistics
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from umka.reports import registry
from umka.reports.figures import WorkingDays, names, percentile
from umka.requests.models import Request

OPEN = (Request.Status.NEW, Request.Status.IN_PROGRESS, Request.Status.REDIRECTED)
ATTENTION_LIMIT = 100


def _in_scope(scope: registry.Scope):
    found = Request.objects.filter(
        created_at__gte=scope.start, created_at__lt=scope.end
    )
    if scope.staff is not None:
        found = found.filter(Q(assignee=scope.staff) | Q(answered_by=scope.staff))
    if scope.subject is not None:
        found = found.filter(subject=scope.subject)
    if scope.school_class is not None:
        found = found.filter(school_class=scope.school_class)
    return found


def _days(value: float | None) -> str | int | float:
    """Working days as a number: whole days as an integer (the median of an even
    count may fall between two), else to one decimal; «—» for none."""
    if value is None:
        return "—"
    return int(value) if float(value).is_integer() else round(value, 1)


def requests_section(scope: registry.Scope) -> registry.Result:
    """A request answered at its deadline minute is on time, a minute later late
    (`answered_at <= due_at`); answer time counts working days in the school's
    zone between the day it was written and the day it was answered."""
    rows = list(
        _in_scope(scope).values_list(
            "assignee_id", "created_at", "due_at", "answered_at", "escalated_at"
        )
    )
    answered_days = [r[3].astimezone(scope.zone).date() for r in rows if r[3]]
    last = max([scope.last_day, *answered_days])
    calendar = WorkingDays(scope.first_day, last)
    per: dict[int | None, dict] = defaultdict(
        lambda: {
            "all": 0,
            "on_time": 0,
            "late": 0,
            "overdue": 0,
            "open": 0,
            "escalated": 0,
            "days": [],
        }
    )
    for assignee, created, due, answered, escalated in rows:
        counts = per[assignee]
        counts["all"] += 1
        if answered is not None:
            counts["on_time" if answered <= due else "late"] += 1
            counts["days"].append(
                calendar.between(
                    created.astimezone(scope.zone).date(),
                    answered.astimezone(scope.zone).date(),
                )
            )
        elif due < scope.now:
            counts["overdue"] += 1
        else:
            counts["open"] += 1
        if escalated is not None:
            counts["escalated"] += 1
    who = names(per)
    table = []
    for assignee, c in sorted(per.items(), key=lambda kv: who.get(kv[0], "")):
        days = c["days"]
        table.append(
            [
                who.get(assignee, "—"),
                c["all"],
                c["on_time"],
                c["late"],
                c["overdue"],
                c["open"],
                c["escalated"],
                _days(statistics.median(days) if days else None),
                _days(percentile(days, 0.9)),
            ]
        )
    every = [d for c in per.values() for d in c["days"]]
    total = {
        k: sum(c[k] for c in per.values())
        for k in ("all", "on_time", "late", "overdue", "open", "escalated")
    }
    return registry.Result(
        figures=[
            registry.Figure(_("Answered on time"), total["on_time"]),
            registry.Figure(_("Answered late"), total["late"]),
            registry.Figure(_("Overdue, not answered"), total["overdue"]),
            registry.Figure(_("Open, within the deadline"), total["open"]),
            registry.Figure(_("Escalated"), total["escalated"]),
        ],
        columns=[
            _("Assignee"),
            _("Requests"),
            _("On time"),
            _("Late"),
            _("Overdue"),
            _("Open"),
            _("Escalated"),
            _("Median, working days"),
            _("90th percentile, working days"),
        ],
        rows=table,
        totals=[
            _("Total"),
            total["all"],
            total["on_time"],
            total["late"],
            total["overdue"],
            total["open"],
            total["escalated"],
            _days(statistics.median(every) if every else None),
            _days(percentile(every, 0.9)),
        ],
        note=_(
            "Requests written in the period. On time: answered no later than the "
            "deadline minute on the school's clock."
        ),
    )


def overdue_requests(now: dt.datetime):
    """Open requests past their deadline, each a link to its page."""
    found = (
        Request.objects.filter(status__in=OPEN, due_at__lt=now)
        .select_related("assignee", "escalated_to")
        .order_by("due_at", "pk")[:ATTENTION_LIMIT]
    )
    for req in found:
        who = req.escalated_to or req.assignee
        yield registry.Line(
            kind=_("Request"),
            title=f"№ {req.pk} · {req.topic}",
            detail=who.short_name if who else _("not assigned"),
            due_at=req.due_at,
            url=req.get_absolute_url(),
        )


registry.register(
    registry.Section("requests", _("Requests"), order=30, compute=requests_section)
)
registry.register_attention(overdue_requests)
