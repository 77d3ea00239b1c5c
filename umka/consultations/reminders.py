"""Reminders of consultation sessions to their audience: the day before and an hour
before the start (R4; R13: on time).

The audience of a session is its classes' students today and its chosen students,
and their parents when the consultation invites parents (`for_parents`). Each person
chooses which reminders they want (`NotificationPreference.remind_day_before`,
`remind_hour_before`). A reminder that falls in a person's quiet hours goes before
they begin (`notifications.quiet_hours.remind_at`), never after the session. Only
sessions of an approved (or published) schedule are reminded of: that is the
schedule students and parents see.

The periodic task `tasks.remind_sessions` runs `sessions_remind` every 5 minutes on
the school's clock; `SessionReminder` records every reminder that went (unique per
session, person, kind and start time), so none goes twice — a session moved to
another time is reminded of again.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from umka.accounts.models import Role, User
from umka.accounts.policies import active_parent_links
from umka.consultations.models import (
    Consultation,
    Occurrence,
    ScheduleDocument,
    SessionReminder,
)
from umka.consultations.notification_kinds import SESSION_REMINDER
from umka.notifications.quiet_hours import REMINDER_MARGIN, is_quiet_for, remind_at
from umka.notifications.selectors import preferences_of
from umka.notifications.services import notify
from umka.school.models import Enrolment

Kind = SessionReminder.Kind

#: How long before the start each reminder is due, the nearest last.
BEFORE = {
    Kind.DAY_BEFORE: dt.timedelta(hours=24),
    Kind.HOUR_BEFORE: dt.timedelta(hours=1),
}

#: Sessions this far ahead may have a reminder due: the day before, moved out of the
#: quiet hours (from as late as 07:59 back to the evening before).
LOOKAHEAD = dt.timedelta(hours=24 + 13) + REMINDER_MARGIN

_WANTS = {Kind.DAY_BEFORE: "remind_day_before", Kind.HOUR_BEFORE: "remind_hour_before"}


def audiences(
    consultations: Iterable[Consultation], today: dt.date
) -> dict[int, dict[int, str]]:
    """Consultation id → {person id: the role they are in the audience by} — the
    students of its classes on `today`, its chosen students and, when parents are
    invited, the parents with rights over them. A fixed number of queries."""
    consultations = list(consultations)
    ids = [c.pk for c in consultations]
    classes = defaultdict(set)
    for (
        consultation_id,
        class_id,
    ) in Consultation.audience_classes.through.objects.filter(
        consultation_id__in=ids
    ).values_list("consultation_id", "schoolclass_id"):
        classes[class_id].add(consultation_id)
    students = defaultdict(set)
    for (
        consultation_id,
        student_id,
    ) in Consultation.audience_students.through.objects.filter(
        consultation_id__in=ids
    ).values_list("consultation_id", "user_id"):
        students[consultation_id].add(student_id)
    enrolled = (
        Enrolment.objects.filter(school_class__in=list(classes), starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values_list("school_class_id", "student_id")
    )
    for class_id, student_id in enrolled:
        for consultation_id in classes[class_id]:
            students[consultation_id].add(student_id)
    with_parents = {c.pk for c in consultations if c.for_parents}
    invited = {s for pk in with_parents for s in students[pk]}
    parents = defaultdict(set)
    if invited:
        for student_id, parent_id in (
            active_parent_links(today)
            .filter(student__in=invited)
            .values_list("student_id", "parent_id")
        ):
            parents[student_id].add(parent_id)
    everyone = {p for s in students.values() for p in s} | {
        p for ps in parents.values() for p in ps
    }
    active = set(
        User.objects.filter(pk__in=everyone, is_active=True).values_list(
            "pk", flat=True
        )
    )
    result: dict[int, dict[int, str]] = {}
    for pk in ids:
        people = {
            parent: Role.PARENT
            for student in (students[pk] if pk in with_parents else ())
            for parent in parents[student]
        }
        people.update(dict.fromkeys(students[pk], Role.STUDENT))
        result[pk] = {p: role for p, role in people.items() if p in active}
    return result


def due_kinds(
    starts_at: dt.datetime,
    now: dt.datetime,
    tz: ZoneInfo,
    *,
    quiet: bool,
    wanted: Iterable[str],
    recorded: Iterable[str] = (),
) -> list[str]:
    """The reminders of a session starting at `starts_at` that are due at `now` for
    a person who wants `wanted` and already had `recorded`. A reminder is never due
    once the session has started, nor once a nearer one went."""
    if now >= starts_at:
        return []
    recorded = set(recorded)
    due = []
    for kind in BEFORE:  # the farthest first
        if kind in recorded:
            due = []  # a nearer reminder went: the ones before it are over
            continue
        if kind in wanted and remind_at(starts_at - BEFORE[kind], tz, quiet) <= now:
            due.append(kind)
    return due


def sessions_remind(now: dt.datetime, tz: ZoneInfo) -> int:
    """Send every reminder due at `now` (the school in `tz`); returns how many
    people were reminded. When two reminders of one session are due at once (e.g.
    both moved before the same quiet hours), the person gets one notice."""
    sessions = list(
        Occurrence.objects.filter(
            status=Occurrence.Status.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + LOOKAHEAD,
            consultation__schedule__status__in=[
                ScheduleDocument.Status.APPROVED,
                ScheduleDocument.Status.PUBLISHED,
            ],
        )
        .select_related("consultation", "consultation__subject")
        .order_by("starts_at", "pk")
    )
    if not sessions:
        return 0
    people = audiences({s.consultation for s in sessions}, now.astimezone(tz).date())
    preferences = preferences_of({p for a in people.values() for p in a})
    recorded = _recorded(sessions)
    sent = 0
    for session in sessions:
        due = {}
        for person_id, role in people[session.consultation_id].items():
            preference = preferences[person_id]
            kinds = due_kinds(
                session.starts_at,
                now,
                tz,
                quiet=is_quiet_for({role}, preference.evening_email),
                wanted=[k for k, field in _WANTS.items() if getattr(preference, field)],
                recorded=recorded[(session.pk, person_id, session.starts_at)],
            )
            if kinds:
                due[person_id] = kinds
        if due:
            sent += _remind(session, due, now, tz)
    return sent


def _recorded(sessions) -> dict[tuple, set[str]]:
    found = defaultdict(set)
    for occurrence_id, person_id, kind, starts_at in SessionReminder.objects.filter(
        occurrence__in=sessions
    ).values_list("occurrence_id", "person_id", "kind", "starts_at"):
        found[(occurrence_id, person_id, starts_at)].add(kind)
    return found


def _remind(
    session: Occurrence, due: dict[int, list[str]], now: dt.datetime, tz: ZoneInfo
) -> int:
    """Record and send one session's due reminders, under the session's row lock
    (two workers never remind twice)."""
    with transaction.atomic():
        locked = Occurrence.objects.select_for_update().get(pk=session.pk)
        if (
            locked.status != Occurrence.Status.PLANNED
            or locked.starts_at != session.starts_at
        ):
            return 0
        already = set(
            SessionReminder.objects.filter(
                occurrence=session, starts_at=session.starts_at, person__in=list(due)
            ).values_list("person_id", "kind")
        )
        rows = [
            SessionReminder(
                occurrence=session,
                person_id=person_id,
                kind=kind,
                starts_at=session.starts_at,
                sent_at=now,
            )
            for person_id, kinds in due.items()
            for kind in kinds
            if (person_id, kind) not in already
        ]
        recipients = sorted({row.person_id for row in rows})
        if not recipients:
            return 0
        SessionReminder.objects.bulk_create(rows)
        notify(
            recipients=User.objects.filter(pk__in=recipients),
            kind=SESSION_REMINDER,
            title=_reminder_title(session, tz),
            body=session.consultation.how_to_join,
            url=reverse("consultations:detail", args=[session.consultation_id]),
            target=session.consultation,
        )
    return len(recipients)


def _reminder_title(session: Occurrence, tz: ZoneInfo) -> str:
    consultation = session.consultation
    what = (
        consultation.subject.name
        if consultation.subject_id
        else consultation.get_form_display()
    )
    with translation.override(settings.LANGUAGE_CODE):
        return _("Reminder: consultation «%(what)s» on %(date)s at %(time)s") % {
            "what": what,
            "date": formats.date_format(session.starts_at.astimezone(tz), "d.m.Y"),
            "time": formats.time_format(session.starts_at.astimezone(tz), "H:i"),
        }
