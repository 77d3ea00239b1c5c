"""Amendments (R8): once a schedule is approved every change is a new version with
its reason, and the students, parents (and, when told so, organisers) concerned hear
about it.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.utils import formats
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.accounts.policies import active_parent_links
from umka.audit.services import record
from umka.consultations import audit_actions as actions
from umka.consultations.models import (
    Consultation,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.consultations.notification_kinds import SCHEDULE_AMENDED
from umka.consultations.schedule.versions import schedule_rows
from umka.core import clock
from umka.notifications.services import notify
from umka.school.models import Enrolment


def what_text(consultation: Consultation) -> str:
    subject = consultation.subject.name if consultation.subject_id else ""
    form = consultation.get_form_display().lower()
    return f"{subject} ({form})" if subject else form.capitalize()


def when_text(moment: dt.datetime) -> str:
    return formats.date_format(clock.local(moment), "d.m.Y H:i")


def affected_people(consultations: Sequence[Consultation]) -> set[User]:
    """The students in the audience now, their parents, and chosen students."""
    today = clock.today()
    class_ids = set()
    student_ids = set()
    for consultation in consultations:
        class_ids.update(c.pk for c in consultation.audience_classes.all())
        student_ids.update(s.pk for s in consultation.audience_students.all())
    student_ids.update(
        Enrolment.objects.filter(school_class__in=class_ids, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values_list("student", flat=True)
    )
    parent_ids = set(
        active_parent_links(today)
        .filter(student__in=student_ids)
        .values_list("parent", flat=True)
    )
    return set(User.objects.filter(pk__in=student_ids | parent_ids, is_active=True))


def schedule_amend(
    schedule: ScheduleDocument,
    *,
    actor: User,
    reason: str,
    consultations: Sequence[Consultation],
    message: str,
    also_tell: Iterable[User] = (),
    request=None,
) -> ScheduleVersion:
    """Freeze the new state as the next version and tell the people affected (and
    `also_tell`, e.g. the organisers when the change is not theirs). Called inside
    the caller's transaction, once the change is written."""
    locked = ScheduleDocument.objects.select_for_update().get(pk=schedule.pk)
    locked.version += 1
    locked.save(update_fields=["version"])
    schedule.version = locked.version
    version = ScheduleVersion.objects.create(
        document=schedule,
        number=locked.version,
        created_by=actor,
        reason=reason.strip()[:500],
        rows=schedule_rows(schedule),
    )
    record(
        actor=actor,
        action=actions.AMENDED,
        target=schedule,
        changes={"version": locked.version, "reason": reason},
        request=request,
    )
    recipients = affected_people(consultations) | set(also_tell)
    if recipients:
        notify(
            recipients=recipients,
            kind=SCHEDULE_AMENDED,
            title=_("The consultation schedule has changed"),
            body=message,
            url="/schedule/",
            actor=actor,
            target=schedule,
        )
    return version
