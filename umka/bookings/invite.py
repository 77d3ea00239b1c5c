"""The iCalendar invite of a booking (RFC 5545 / 5546), built with `icalendar`.

METHOD:REQUEST with the organiser and the attendees; METHOD:CANCEL once the booking
is cancelled. The UID never changes (not on a reschedule either) and SEQUENCE grows
with every change, so a calendar updates the same event instead of adding one.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from umka.bookings.models import Booking
from umka.core import clock

PRODID = "-//Umka//Individual consultation//RU"


def invite_filename(booking: Booking) -> str:
    return f"umka-consultation-{booking.pk}.ics"


def _address(person, role: str | None = None) -> vCalAddress:
    # Someone without an address in their profile: the school's sender stands in,
    # with their name (a calendar needs an address to show the event at all).
    address = vCalAddress(f"mailto:{person.email or settings.DEFAULT_FROM_EMAIL}")
    address.params["cn"] = vText(person.full_name or person.username)
    if role:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("ACCEPTED")
    return address


def build_invite(booking: Booking, *, url: str = "") -> bytes:
    """The booking as a calendar invitation (one VEVENT with a VTIMEZONE)."""
    tz = clock.zone()
    window, slot = booking.window, booking.slot
    cancelled = booking.status == Booking.Status.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    day = timezone.localtime(slot.starts_at, tz).date()
    calendar.add_component(
        Timezone.from_tzid(
            tz.key,
            first_date=dt.date(day.year - 1, 1, 1),
            last_date=dt.date(day.year + 1, 12, 31),
        )
    )
    event = Event()
    event.add("uid", f"booking-{booking.uid}@umka")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("created", booking.created_at.astimezone(dt.UTC))
    event.add("dtstart", timezone.localtime(slot.starts_at, tz))
    event.add("dtend", timezone.localtime(slot.ends_at, tz))
    event.add(
        "summary",
        _("Individual consultation: %(organiser)s") % {"organiser": window.organiser},
    )
    lines = [
        _("Student: %(student)s") % {"student": booking.student.full_name},
        _("Form: %(form)s") % {"form": window.get_form_display()},
        _("What is needed: %(note)s") % {"note": booking.note},
    ]
    if window.how_to_join:
        lines.append(_("How to join: %(how)s") % {"how": window.how_to_join})
    event.add("description", "\n".join(lines))
    if window.how_to_join:
        event.add("location", window.how_to_join)
    event.add("organizer", _address(window.organiser))
    attendees = {booking.student_id: booking.student}
    attendees.setdefault(booking.booked_by_id, booking.booked_by)
    for person in attendees.values():
        if not person.email:
            continue
        event.add("attendee", _address(person, "REQ-PARTICIPANT"), encode=0)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if url:
        event.add("url", url)
    calendar.add_component(event)
    return calendar.to_ical()


def invite_attachments(notification) -> list[tuple[str, bytes, str]]:
    """The invite as an e-mail attachment for a booking's notice, for a hook in
    umka/notifications/emails.py (none exists yet: see README, «Notices»)."""
    booking = notification.target
    if not isinstance(booking, Booking):
        return []
    method = "CANCEL" if booking.status == Booking.Status.CANCELLED else "REQUEST"
    return [
        (
            invite_filename(booking),
            build_invite(booking),
            f"text/calendar; charset=utf-8; method={method}",
        )
    ]
