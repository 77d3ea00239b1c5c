"""The consultations' figures in the administration's reports (R13): sessions
planned vs held vs cancelled (with reasons) vs not marked, hours against the
contract's consultation hours (R7), attestation sessions whose checklist (R12) was
not completed; and the sessions not marked on the dashboard «Требует внимания»."""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from umka.consultations.models import ChecklistItem, Consultation, Occurrence
from umka.core import clock
from umka.reports import registry
from umka.reports.figures import WorkingDays, names, share
from umka.school.models import Contract

ATTENTION_LIMIT = 100
CHECKLIST_ITEMS = len(ChecklistItem.Kind.choices)


def _sessions(scope: registry.Scope):
    found = Occurrence.objects.filter(
        starts_at__gte=scope.start, starts_at__lt=scope.end
    )
    if scope.staff is not None:
        found = found.filter(consultation__organiser=scope.staff)
    if scope.subject is not None:
        found = found.filter(consultation__subject=scope.subject)
    if scope.school_class is not None:
        found = found.filter(
            consultation__in=Consultation.objects.filter(
                audience_classes=scope.school_class
            ).values("pk")
        )
    return found


def _seconds(value: dt.timedelta | None) -> float:
    return value.total_seconds() if value is not None else 0.0


def _hours(value: Decimal | float) -> float:
    return round(float(value), 1)


def consultations_section(scope: registry.Scope) -> registry.Result:
    """Held, cancelled, not marked (ended, still planned) and still ahead; hours
    planned and held against `Contract.consultation_hours` × the period's weeks with
    a working day."""
    sessions = _sessions(scope)
    length = ExpressionWrapper(
        F("ends_at") - F("starts_at"), output_field=DurationField()
    )
    held, cancelled = Occurrence.Status.HELD, Occurrence.Status.CANCELLED
    planned = Q(status=Occurrence.Status.PLANNED)
    per: dict[int, dict] = {}
    for row in sessions.values("consultation__organiser_id").annotate(
        n=Count("pk"),
        n_held=Count("pk", filter=Q(status=held)),
        n_cancelled=Count("pk", filter=Q(status=cancelled)),
        n_unmarked=Count("pk", filter=planned & Q(ends_at__lte=scope.now)),
        n_ahead=Count("pk", filter=planned & Q(ends_at__gt=scope.now)),
        planned_time=Sum(length, filter=~Q(status=cancelled)),
        held_time=Sum(length, filter=Q(status=held)),
    ):
        per[row["consultation__organiser_id"]] = {
            "all": row["n"],
            "held": row["n_held"],
            "cancelled": row["n_cancelled"],
            "unmarked": row["n_unmarked"],
            "ahead": row["n_ahead"],
            "hours": _seconds(row["planned_time"]) / 3600,
            "held_hours": _seconds(row["held_time"]) / 3600,
            "reasons": Counter(),
        }
    for organiser, reason, n in (
        sessions.filter(status=cancelled)
        .values("consultation__organiser_id", "change_reason")
        .annotate(n=Count("pk"))
        .values_list("consultation__organiser_id", "change_reason", "n")
    ):
        per[organiser]["reasons"][reason or str(_("no reason given"))] += n
    weeks = WorkingDays(scope.first_day, scope.last_day).weeks_with_work(
        scope.first_day, scope.last_day
    )
    limits = dict(
        Contract.objects.filter(person__in=list(per)).values_list(
            "person_id", "consultation_hours"
        )
    )
    who = names(per)
    table = []
    for organiser, c in sorted(per.items(), key=lambda kv: who.get(kv[0], "")):
        weekly = limits.get(organiser)
        limit = _hours(weekly * weeks) if weekly is not None else None
        table.append(
            [
                who.get(organiser, "—"),
                c["all"],
                c["held"],
                c["cancelled"],
                c["unmarked"],
                c["ahead"],
                _hours(c["hours"]),
                _hours(c["held_hours"]),
                "—" if limit is None else limit,
                share(round(c["hours"] * 10), round(limit * 10)) if limit else "—",
                "; ".join(f"{r} ({n})" for r, n in c["reasons"].most_common()),
            ]
        )
    keys = ("all", "held", "cancelled", "unmarked", "ahead")
    total = {k: sum(c[k] for c in per.values()) for k in keys}
    hours = sum(c["hours"] for c in per.values())
    held_hours = sum(c["held_hours"] for c in per.values())
    limit_total = sum(
        float(limits[o]) * weeks for o in per if limits.get(o) is not None
    )
    return registry.Result(
        figures=[
            registry.Figure(_("Held"), total["held"]),
            registry.Figure(_("Cancelled"), total["cancelled"]),
            registry.Figure(_("Not marked"), total["unmarked"]),
            registry.Figure(_("Still ahead"), total["ahead"]),
        ],
        columns=[
            _("Organiser"),
            _("Sessions"),
            _("Held"),
            _("Cancelled"),
            _("Not marked"),
            _("Still ahead"),
            _("Hours planned"),
            _("Hours held"),
            _("Contract limit, hours"),
            _("Limit used"),
            _("Reasons for cancelling"),
        ],
        rows=table,
        totals=[
            _("Total"),
            total["all"],
            total["held"],
            total["cancelled"],
            total["unmarked"],
            total["ahead"],
            _hours(hours),
            _hours(held_hours),
            _hours(limit_total),
            "",
            "",
        ],
        note=_(
            "Sessions starting in the period. Not marked: ended but neither held nor "
            "cancelled. The limit is the contract's consultation hours a week times "
            "the %(weeks)s weeks of the period with a working day."
        )
        % {"weeks": weeks},
    )


def attestation_section(scope: registry.Scope) -> registry.Result:
    """Attestation sessions that have ended, not cancelled, with fewer than all
    checklist items done (R12)."""
    ended = (
        _sessions(scope)
        .filter(
            consultation__purpose=Consultation.Purpose.ATTESTATION,
            ends_at__lte=scope.now,
        )
        .exclude(status=Occurrence.Status.CANCELLED)
        .annotate(done=Count("checklist", filter=Q(checklist__done=True)))
    )
    rows = list(
        ended.values_list(
            "pk",
            "starts_at",
            "consultation__organiser_id",
            "consultation__subject__name",
            "status",
            "done",
        ).order_by("starts_at", "pk")
    )
    incomplete = [r for r in rows if r[5] < CHECKLIST_ITEMS]
    who = names(r[2] for r in incomplete)
    status = dict(Occurrence.Status.choices)
    table = [
        [
            formats.date_format(starts.astimezone(scope.zone), "d.m.Y H:i"),
            who.get(organiser, "—"),
            subject,
            status[state],
            f"{done} / {CHECKLIST_ITEMS}",
        ]
        for _pk, starts, organiser, subject, state, done in incomplete
    ]
    return registry.Result(
        figures=[
            registry.Figure(_("Checklist completed"), len(rows) - len(incomplete)),
            registry.Figure(_("Checklist not completed"), len(incomplete)),
        ],
        columns=[
            _("Session"),
            _("Organiser"),
            _("Subject"),
            _("Status"),
            _("Checklist items done"),
        ],
        rows=table,
        totals=[_("Total"), "", "", "", len(incomplete)],
        note=_(
            "Attestation sessions of the period that have ended and were not cancelled."
        ),
    )


def unmarked_sessions(now: dt.datetime):
    """Sessions that ended more than a day ago and are neither held nor cancelled."""
    found = (
        Occurrence.objects.filter(
            status=Occurrence.Status.PLANNED, ends_at__lt=now - dt.timedelta(days=1)
        )
        .select_related("consultation__organiser", "consultation__subject")
        .order_by("ends_at", "pk")[:ATTENTION_LIMIT]
    )
    for session in found:
        consultation = session.consultation
        yield registry.Line(
            kind=_("Consultation not marked"),
            title=f"{consultation.subject} · "
            + formats.date_format(clock.local(session.starts_at), "d.m.Y H:i"),
            detail=consultation.organiser.short_name,
            due_at=session.ends_at,
            url=reverse("consultations:session", args=[session.pk]),
        )


registry.register(
    registry.Section(
        "consultations", _("Consultations"), order=10, compute=consultations_section
    )
)
registry.register(
    registry.Section(
        "attestation-checklists",
        _("Attestation consultations with the checklist not completed"),
        order=15,
        compute=attestation_section,
    )
)
registry.register_attention(unmarked_sessions)
