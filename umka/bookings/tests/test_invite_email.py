"""The confirmation e-mail of a booking carries the iCalendar invite (R5)."""

import pytest
from icalendar import Calendar

from umka.bookings import services
from umka.bookings.tests.factories import booking_school, open_window, slots
from umka.notifications.emails import build_message
from umka.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.mark.requirement("R5")
def test_booking_confirmation_email_carries_the_invite(
    monkeypatch, django_capture_on_commit_callbacks
):
    school = booking_school()
    slot = slots(open_window(school))[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(
            actor=school.parent, slot=slot, student=school.student, note="Задача 5"
        )
    notification = Notification.objects.filter(
        kind="bookings.booked", recipient=school.parent
    ).first()
    assert notification is not None
    message = build_message(notification, "parent@example.org")
    invites = [a for a in message.attachments if a[0].endswith(".ics")]
    assert len(invites) == 1
    name, content, mimetype = invites[0]
    assert mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    assert calendar.get("METHOD") == "REQUEST"
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
