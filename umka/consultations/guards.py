"""What every service of the consultations starts with: the one refusal of a
person who may not act, and the schedule re-read under a row lock."""

from django.utils.translation import gettext as _

from umka.consultations.models import ScheduleDocument
from umka.core.errors import DomainError


def deny() -> DomainError:
    return DomainError(_("You may not do this."), code="forbidden")


def locked_schedule(schedule: ScheduleDocument) -> ScheduleDocument:
    """Re-read the schedule under a row lock: its status decides whether a change is
    an amendment, and approval may have landed since the caller read it."""
    fresh = ScheduleDocument.objects.select_for_update().get(pk=schedule.pk)
    for field in ("status", "version", "approved_at", "approved_by_id", "published_at"):
        setattr(schedule, field, getattr(fresh, field))
    return schedule
