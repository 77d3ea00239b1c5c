"""Fingerprint lines of the demo schedule: the same lines from the plan (here) and
from the database (`umka.demo.selectors`), so that DemoPlan.digest() and
selectors.loaded_digest() cover the schedule too."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence

from umka.demo.schedule.history import SchedulePlan
from umka.school.models import (
    ProgramPart,
)


def document_line(period, status, version, order_number, submitted, approved) -> str:
    return f"S|{period}|{status}|{version}|{order_number}|{submitted}|{approved}"


def consultation_line(
    period,
    organiser,
    subject,
    classes: Sequence[str],
    form,
    volume,
    purpose,
    recurrence,
    starts_on: dt.date,
    start_time: dt.time,
    minutes,
    for_parents,
    part,
    topics,
    how_to_join,
) -> str:
    return "|".join(
        (
            "C",
            str(period),
            organiser,
            subject,
            ",".join(sorted(classes, key=lambda name: (int(name[:-1]), name[-1]))),
            form,
            volume,
            purpose,
            recurrence,
            starts_on.isoformat(),
            f"{start_time:%H:%M}",
            str(minutes),
            str(for_parents),
            part,
            topics.replace("\n", "/"),
            how_to_join,
        )
    )


def part_key(part: ProgramPart | None) -> str:
    return f"{part.subject.name}/{part.grade}/{part.number}" if part else ""


def occurrence_line(
    organiser, starts_at, status, moved_from, uid, sequence, done, tz
) -> str:
    moved = f"{moved_from.astimezone(tz):%Y-%m-%d %H:%M}" if moved_from else ""
    return (
        f"O|{organiser}|{starts_at.astimezone(tz):%Y-%m-%d %H:%M}|{status}|{moved}|"
        f"{uid}|{sequence}|{done}"
    )


def version_line(period, number, reason, created_by) -> str:
    return f"V|{period}|{number}|{reason}|{created_by}"


def plan_lines(schedule: SchedulePlan, tz: zoneinfo.ZoneInfo) -> list[str]:
    """The fingerprint lines of a planned schedule."""
    lines = [
        document_line(
            d.period.number,
            d.status,
            d.version,
            d.order_number,
            d.submitted_by.username if d.submitted_by else "",
            d.approved_by.username if d.approved_by else "",
        )
        for d in schedule.documents
    ]
    classes: dict[int, list[str]] = defaultdict(list)
    for consultation, school_class in schedule.audiences:
        classes[id(consultation)].append(str(school_class))
    lines += [
        consultation_line(
            c.schedule.period.number,
            c.organiser.username,
            c.subject.name if c.subject else "",
            classes[id(c)],
            c.form,
            c.volume,
            c.purpose,
            c.recurrence,
            c.starts_on,
            c.start_time,
            c.duration_minutes,
            c.for_parents,
            part_key(c.program_part),
            c.topics,
            c.how_to_join,
        )
        for c in schedule.consultations
    ]
    done: dict[int, int] = defaultdict(int)
    for item in schedule.checklist:
        done[id(item.occurrence)] += item.done
    lines += [
        occurrence_line(
            o.consultation.organiser.username,
            o.starts_at,
            o.status,
            o.moved_from,
            o.uid,
            o.sequence,
            done[id(o)],
            tz,
        )
        for o in schedule.occurrences
    ]
    lines += [
        version_line(
            v.document.period.number, v.number, v.reason, v.created_by.username
        )
        for v in schedule.versions
    ]
    return lines
