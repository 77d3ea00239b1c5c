"""A small school for booking tests (the consultations' one, with a School row),
a clock under the test's control and a helper that opens windows through the
service (so R7 is checked as in real use)."""

import datetime as dt

from django.utils import timezone

from umka.bookings import services, windows
from umka.bookings.models import BookingWindow
from umka.consultations.tests.factories import TUESDAY, SmallSchool, small_school
from umka.school.tests.factories import SchoolFactory

TZ = timezone.get_default_timezone()
#: «Now» for these tests: a week before TUESDAY, inside the second quarter.
NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=TZ)

__all__ = [
    "NOW",
    "ROLES",
    "TUESDAY",
    "TZ",
    "at",
    "book",
    "booking_school",
    "open_window",
    "signed_in",
    "slots",
    "titles",
]


def booking_school(cutoff_hours: int = 12) -> SmallSchool:
    SchoolFactory(time_zone="Europe/Moscow", booking_cutoff_hours=cutoff_hours)
    return small_school()


def open_window(
    school: SmallSchool,
    *,
    organiser=None,
    day: dt.date = TUESDAY,
    start: dt.time = dt.time(15, 0),
    end: dt.time = dt.time(16, 0),
    minutes: int = 15,
    opens_at: dt.datetime | None = None,
    **extra,
) -> BookingWindow:
    organiser = organiser or school.teacher
    (window,) = windows.windows_open(
        actor=organiser,
        organiser=organiser,
        dates=[day],
        start_time=start,
        end_time=end,
        slot_minutes=minutes,
        opens_at=opens_at,
        **extra,
    )
    return window


def slots(window: BookingWindow) -> list:
    return list(window.slots.order_by("starts_at"))


def book(school, slot, *, actor=None, student=None, note="Разобрать задачу 5"):
    """The school's student (or `actor` for `student`) books `slot`."""
    actor = actor or school.student
    return services.booking_create(
        actor=actor, slot=slot, student=student or school.student, note=note
    )


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def titles(person) -> list[str]:
    """The titles of a person's notices, oldest first."""
    from umka.notifications.models import Notification

    return list(
        Notification.objects.filter(recipient=person)
        .order_by("pk")
        .values_list("title", flat=True)
    )


#: The roles of every view's matrix (the SmallSchool's people and an administrator).
ROLES = [
    "anonymous",
    "student",
    "other_student",
    "parent",
    "other_parent",
    "teacher",
    "deputy",
    "administrator",
]


def signed_in(client, school, name):
    """`client` signed in as the school's person of that role (an administrator is
    made for the purpose; «anonymous» stays signed out)."""
    from umka.accounts.models import Role
    from umka.accounts.tests.factories import make_person

    if name == "anonymous":
        return client
    user = (
        make_person(Role.ADMINISTRATOR)
        if name == "administrator"
        else getattr(school, name)
    )
    client.force_login(user)
    return client
