"""Versions of an approved schedule (R8): the frozen rows of the printed form
(`schedule_rows`), what changed between two (`version_diff`), and both as a person
reads them (`frozen_groups`, `changed_rows`).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from umka.accounts.models import User
from umka.consultations import wall_clock
from umka.consultations.models import (
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.core import clock
from umka.school.models import (
    Contract,
)

CANCELLED = Occurrence.Status.CANCELLED


def schedule_rows(schedule: ScheduleDocument) -> list[dict]:
    """The rows of the printed form (the appendix's columns), one per consultation,
    as plain strings in Russian — a version is a document and must not change."""
    consultations = (
        schedule.consultations.select_related("organiser", "subject", "program_part")
        .prefetch_related(
            "audience_classes",
            # Only whether there are chosen students: their names are never shown.
            Prefetch("audience_students", queryset=User.objects.only("pk")),
            Prefetch(
                "occurrences",
                queryset=Occurrence.objects.order_by("starts_at"),
            ),
        )
        .order_by(
            "organiser__last_name", "organiser__first_name", "starts_on", "start_time"
        )
    )
    positions = dict(
        Contract.objects.filter(
            person__in=[c.organiser_id for c in consultations]
        ).values_list("person", "position")
    )
    rows = []
    with override("ru"):
        for number, c in enumerate(consultations, start=1):
            sessions = list(c.occurrences.all())
            regular = wall_clock.slot(c, wall_clock.last_planned(sessions))
            rows.append(
                {
                    "consultation": c.pk,
                    "number": number,
                    "organiser": c.organiser.full_name,
                    "position": positions.get(c.organiser_id, ""),
                    "subject": c.subject.name if c.subject_id else "",
                    "classes": ", ".join(str(k) for k in c.audience_classes.all())
                    or (str(_("chosen students")) if c.audience_students.all() else ""),
                    "weekday": formats.date_format(regular.starts.date(), "l").lower(),
                    "time": regular.time_text,
                    "dates": wall_clock.dates_text(c),
                    "form": str(c.get_form_display()),
                    "kind": f"{c.get_purpose_display()}; {c.get_volume_display()}",
                    "topics": c.topic_list,
                    "how_to_join": c.how_to_join,
                    "sessions": [
                        {
                            "uid": str(o.uid),
                            "starts_at": clock.local(o.starts_at).isoformat(),
                            "status": o.status,
                            "reason": o.change_reason,
                        }
                        for o in sessions
                    ],
                }
            )
    return rows


def _comparable(row: dict) -> dict:
    """A row as the schedule promises it: a session held since is no amendment."""
    sessions = [
        {**s, "status": "planned" if s.get("status") == "held" else s.get("status")}
        for s in row.get("sessions", [])
    ]
    return {**row, "sessions": sessions}


def version_diff(older: ScheduleVersion, newer: ScheduleVersion) -> dict:
    """What changed between two versions: rows added, removed and changed (with the
    fields that differ)."""
    old = {row["consultation"]: _comparable(row) for row in older.rows}
    new = {row["consultation"]: _comparable(row) for row in newer.rows}
    compared = (
        "organiser",
        "subject",
        "classes",
        "weekday",
        "time",
        "dates",
        "form",
        "kind",
        "how_to_join",
        "sessions",
    )
    changed = []
    for key in sorted(old.keys() & new.keys()):
        fields = [f for f in compared if old[key].get(f) != new[key].get(f)]
        if fields:
            changed.append({"before": old[key], "after": new[key], "fields": fields})
    return {
        "added": [new[k] for k in sorted(new.keys() - old.keys())],
        "removed": [old[k] for k in sorted(old.keys() - new.keys())],
        "changed": changed,
    }


def versions_of(schedule: ScheduleDocument) -> QuerySet[ScheduleVersion]:
    """The versions, newest first, without their rows (a list needs no rows)."""
    return (
        schedule.versions.select_related("created_by").defer("rows").order_by("-number")
    )


@dataclass
class FrozenGroup:
    organiser: str
    position: str
    rows: list[dict]


def frozen_groups(rows: list[dict]) -> list[FrozenGroup]:
    """A version's rows grouped by organiser, in the order they were frozen."""
    groups: list[FrozenGroup] = []
    for row in rows:
        key = (row.get("organiser", ""), row.get("position", ""))
        if not groups or (groups[-1].organiser, groups[-1].position) != key:
            groups.append(FrozenGroup(*key, rows=[]))
        sessions = [
            {
                "when": _moment(s.get("starts_at", "")),
                "cancelled": s.get("status") == CANCELLED,
                "reason": s.get("reason", ""),
            }
            for s in row.get("sessions", [])
        ]
        groups[-1].rows.append({**row, "session_lines": sessions})
    return groups


#: The compared fields of services.version_diff(), as column titles.
FIELD_LABELS = {
    "organiser": gettext_lazy("Organiser"),
    "subject": gettext_lazy("Subject"),
    "classes": gettext_lazy("Classes"),
    "weekday": gettext_lazy("Day of the week"),
    "time": gettext_lazy("Time"),
    "dates": gettext_lazy("Dates"),
    "form": gettext_lazy("Form"),
    "kind": gettext_lazy("Kind"),
    "how_to_join": gettext_lazy("How to join"),
    "sessions": gettext_lazy("Sessions"),
}


def _moment(text: str) -> str:
    """A frozen session time (local ISO) as «17.11.2026 15:00», as it was stored."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return str(text)
    return formats.date_format(moment, "d.m.Y H:i")


def _status(value: str) -> str:
    try:
        return str(Occurrence.Status(value).label)
    except ValueError:
        return value


@dataclass(frozen=True)
class SessionChange:
    before: str
    after: str
    reason: str


def _planned_or_held(status: str) -> str:
    # Marking a session held is the schedule being carried out, not amended.
    return Occurrence.Status.PLANNED if status == Occurrence.Status.HELD else status


def session_changes(before: dict, after: dict) -> list[SessionChange]:
    """What happened to each session between two frozen rows: moved, cancelled,
    added or removed (matched by their calendar UID). A session marked held in
    between is not a change of the schedule and is left out."""
    old = {s["uid"]: s for s in before.get("sessions", [])}
    new = {s["uid"]: s for s in after.get("sessions", [])}
    changes = []
    for uid in sorted(
        old.keys() | new.keys(), key=lambda u: (new.get(u) or old[u])["starts_at"]
    ):
        a, b = old.get(uid), new.get(uid)
        if a is None:
            changes.append(
                SessionChange("—", _moment(b["starts_at"]), b.get("reason", ""))
            )
            continue
        if b is None:
            changes.append(SessionChange(_moment(a["starts_at"]), "—", ""))
            continue
        was_status = _planned_or_held(a["status"])
        now_status = _planned_or_held(b["status"])
        if a["starts_at"] == b["starts_at"] and was_status == now_status:
            continue
        was, now = _moment(a["starts_at"]), _moment(b["starts_at"])
        if was_status != now_status:
            was = f"{was}, {_status(was_status).lower()}"
            now = f"{now}, {_status(now_status).lower()}"
        changes.append(SessionChange(was, now, b.get("reason", "")))
    return changes


def _text(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "—"
    return str(value) if value not in (None, "") else "—"


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class ChangedRow:
    before: dict
    after: dict
    fields: list[FieldChange]
    sessions: list[SessionChange]


def changed_rows(diff: dict) -> list[ChangedRow]:
    """services.version_diff()'s «changed» as lines a person reads: each field
    before → after, and the sessions that moved or were cancelled. A row whose
    only difference is sessions marked held is left out."""
    result = []
    for item in diff["changed"]:
        before, after = item["before"], item["after"]
        fields = [
            FieldChange(
                str(FIELD_LABELS.get(name, name)),
                _text(before.get(name)),
                _text(after.get(name)),
            )
            for name in item["fields"]
            if name != "sessions"
        ]
        sessions = (
            session_changes(before, after) if "sessions" in item["fields"] else []
        )
        if fields or sessions:
            result.append(ChangedRow(before, after, fields, sessions))
    return result
