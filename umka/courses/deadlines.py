"""The school's deadline for reviews (R13): `School.review_days` working days."""

import datetime as dt

from django.db.models import Count, Value

from umka.accounts.models import Role, User
from umka.core import clock
from umka.school.calendar import add_working_days
from umka.school.selectors import current_school

#: Days to grade when no school is set up.
DEFAULT_REVIEW_DAYS = 3


def review_days() -> int:
    school = current_school()
    return school.review_days if school else DEFAULT_REVIEW_DAYS


def review_due_from(moment: dt.datetime) -> dt.datetime:
    """A review is due `review_days` working days after the work came in
    (weekends and holidays not counted; the school's clock)."""
    return add_working_days(clock.local(moment), review_days())


def reminder_horizon(now: dt.datetime) -> dt.datetime:
    """Work due before this moment gets its reminder: one working day ahead."""
    return add_working_days(clock.local(now), 1)


def escalation_deputy(*, load: Count | None = None, exclude=()) -> User | None:
    """The deputy head with the fewest open escalations (`load`, a Count over the
    caller's relation), not one of `exclude`; failing any deputy, the director."""
    deputies = (
        User.objects.filter(is_active=True, role_assignments__role=Role.DEPUTY_HEAD)
        .exclude(pk__in=list(exclude))
        .annotate(load=load if load is not None else Value(0))
        .order_by("load", "last_name", "first_name", "pk")
    )
    deputy = deputies.first()
    if deputy is not None:
        return deputy
    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.DIRECTOR)
        .order_by("last_name", "pk")
        .first()
    )
