"""Reads about the demo school: its accounts and a fingerprint of what is loaded."""

import zoneinfo
from collections import defaultdict

from django.db.models import Count, Q

from umka.accounts.models import ParentLink, RoleAssignment, User
from umka.consultations.models import (
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.demo.builder import TIME_ZONE, digest_of
from umka.demo.logins import DEMO_LOGINS, DemoLogin
from umka.demo.schedule import fingerprint as lines
from umka.school.models import Enrolment


def demo_accounts() -> list[tuple[DemoLogin, User | None]]:
    """Each demo login with its person (None if that account is missing)."""
    users = User.objects.in_bulk(
        [login.username for login in DEMO_LOGINS], field_name="username"
    )
    return [(login, users.get(login.username)) for login in DEMO_LOGINS]


def loaded_digest() -> str:
    """The same fingerprint as DemoPlan.digest(), read from the database."""
    roles: dict[str, list[str]] = defaultdict(list)
    for username, role in RoleAssignment.objects.values_list("user__username", "role"):
        roles[username].append(role)
    current = {
        username: f"{grade}{letter}"
        for username, grade, letter in Enrolment.objects.filter(
            ends_on__isnull=True
        ).values_list(
            "student__username", "school_class__grade", "school_class__letter"
        )
    }
    people = [
        (user.username, user.full_name, user.birth_date, current.get(user.username, ""))
        for user in User.objects.filter(is_superuser=False).only(
            "username", "last_name", "first_name", "middle_name", "birth_date"
        )
    ]
    links = [
        (parent, student, kind, verified_at is not None, kept)
        for parent, student, kind, verified_at, kept in ParentLink.objects.values_list(
            "parent__username",
            "student__username",
            "kind",
            "verified_at",
            "kept_by_adult_student",
        )
    ]
    return digest_of(people, roles, links, schedule_lines())


def schedule_lines() -> list[str]:
    """The consultation schedule as the fingerprint lines of umka.demo.schedule."""
    tz = zoneinfo.ZoneInfo(TIME_ZONE)
    result = [
        lines.document_line(
            period, status, version, order, submitted or "", approved or ""
        )
        for period, status, version, order, submitted, approved in (
            ScheduleDocument.objects.values_list(
                "period__number",
                "status",
                "version",
                "order_number",
                "submitted_by__username",
                "approved_by__username",
            )
        )
    ]
    audiences = Consultation.audience_classes.through.objects.values_list(
        "consultation", "schoolclass__grade", "schoolclass__letter"
    )
    classes = defaultdict(list)
    for consultation, grade, letter in audiences:
        classes[consultation].append(f"{grade}{letter}")
    for c in Consultation.objects.select_related(
        "schedule__period", "organiser", "subject", "program_part__subject"
    ):
        result.append(
            lines.consultation_line(
                c.schedule.period.number,
                c.organiser.username,
                c.subject.name if c.subject else "",
                classes[c.pk],
                c.form,
                c.volume,
                c.purpose,
                c.recurrence,
                c.starts_on,
                c.start_time,
                c.duration_minutes,
                c.for_parents,
                lines.part_key(c.program_part),
                c.topics,
                c.how_to_join,
            )
        )
    done = Count("checklist", filter=Q(checklist__done=True))
    result += [
        lines.occurrence_line(*row, tz)
        for row in Occurrence.objects.annotate(done=done).values_list(
            "consultation__organiser__username",
            "starts_at",
            "status",
            "moved_from",
            "uid",
            "sequence",
            "done",
        )
    ]
    result += [
        lines.version_line(*row)
        for row in ScheduleVersion.objects.values_list(
            "document__period__number", "number", "reason", "created_by__username"
        )
    ]
    return result
