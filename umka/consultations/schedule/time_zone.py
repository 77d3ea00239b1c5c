"""When the school changes its time zone («смена часового пояса», R8).

A consultation planned for 15:00 stays at 15:00 on the school's clock in the new
zone: every session that has not started yet (planned, or cancelled with its
reason) gets the instants that show the same wall-clock time, and its calendar
SEQUENCE grows so subscribed calendars pick the change up. Sessions that have
started or were held are history and keep their instants. On an approved or
published schedule the change is an amendment: a new version with its reason, and
a notice to the audience (students, their parents with rights) and the organisers.

`keep_wall_clock` is registered with `umka.school.zone_change` from
`ConsultationsConfig.ready()`; it runs inside the transaction that saves the new
zone, with `umka.core.clock` already on it.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from umka.consultations.models import Consultation, Occurrence, ScheduleDocument
from umka.consultations.schedule import amendments
from umka.core import clock
from umka.school import zone_change


def keep_wall_clock(
    *, actor, old_zone: dt.tzinfo, new_zone: dt.tzinfo, request=None
) -> int:
    """Recompute the sessions still to come; returns how many moved."""
    sessions = list(
        Occurrence.objects.select_for_update()
        .filter(starts_at__gt=clock.now())
        .exclude(status=Occurrence.Status.HELD)
        .order_by("pk")
    )
    for session in sessions:
        for name in ("starts_at", "ends_at", "moved_from"):
            moment = getattr(session, name)
            if moment is not None:
                setattr(
                    session,
                    name,
                    zone_change.same_wall_clock(moment, old_zone, new_zone),
                )
        session.sequence += 1
    Occurrence.objects.bulk_update(
        sessions, ["starts_at", "ends_at", "moved_from", "sequence"], batch_size=500
    )
    _amend_approved(
        {s.consultation_id for s in sessions},
        actor=actor,
        old_zone=old_zone,
        new_zone=new_zone,
        request=request,
    )
    return len(sessions)


def _amend_approved(
    consultation_ids: set[int], *, actor, old_zone, new_zone, request
) -> None:
    """One amendment per approved schedule that had sessions moved."""
    affected = (
        Consultation.objects.filter(
            pk__in=consultation_ids,
            schedule__status__in=[
                ScheduleDocument.Status.APPROVED,
                ScheduleDocument.Status.PUBLISHED,
            ],
        )
        .select_related("schedule", "organiser")
        .prefetch_related("audience_classes", "audience_students")
        .order_by("schedule_id", "pk")
    )
    by_schedule: dict[int, list[Consultation]] = defaultdict(list)
    for consultation in affected:
        by_schedule[consultation.schedule_id].append(consultation)
    names = {"old": str(old_zone), "new": str(new_zone)}
    # A version is a document of the school: in the school's language.
    with override(settings.LANGUAGE_CODE):
        reason = _("The school's time zone has changed: %(old)s → %(new)s") % names
        message = (
            _(
                "The school's time zone has changed from %(old)s to %(new)s. "
                "Planned consultations keep their time on the school's clock: one "
                "at 15:00 is still at 15:00."
            )
            % names
        )
    for consultations in by_schedule.values():
        amendments.schedule_amend(
            consultations[0].schedule,
            actor=actor,
            reason=reason,
            consultations=consultations,
            message=message,
            also_tell=[c.organiser for c in consultations],
            request=request,
        )


zone_change.register(keep_wall_clock)
