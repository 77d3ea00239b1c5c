"""What people are told about individual consultations (R5): the notices of each
booking, cancellation, move and outcome, and the reminders' text.

The family's notice (and its e-mail) carries the details, the deadline for changes
and the link to the calendar invitation; the organiser's carries the details.
Every notice is written in the school's language whoever triggered it.
"""

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from umka.accounts.models import User
from umka.accounts.policies import active_parent_links
from umka.bookings import notification_kinds as kinds
from umka.bookings import policies
from umka.bookings.models import Booking, BookingWindow, Slot
from umka.core import clock, time_zones
from umka.notifications.emails import absolute_url
from umka.notifications.services import notify

logger = logging.getLogger(__name__)


def when(moment: dt.datetime) -> str:
    """A moment on the school's wall clock, as the notices show it."""
    return formats.date_format(clock.local(moment), "d.m.Y H:i")


def family_of(booking: Booking) -> list[User]:
    """Who hears about a booking: the student, who booked it, and the parents who
    have rights over the student now."""
    parents = User.objects.filter(
        pk__in=active_parent_links()
        .filter(student_id=booking.student_id)
        .values("parent")
    )
    people = {booking.student_id: booking.student}
    people.setdefault(booking.booked_by_id, booking.booked_by)
    for parent in parents:
        people.setdefault(parent.pk, parent)
    return list(people.values())


def booking_path(booking: Booking) -> str:
    return reverse("bookings:detail", args=[booking.pk])


def invite_path(booking: Booking) -> str:
    return reverse("bookings:invite", args=[booking.pk])


def details(booking: Booking) -> list[str]:
    window = booking.window
    lines = [
        _("When: %(when)s–%(end)s")
        % {
            "when": when(booking.slot.starts_at),
            "end": clock.local(booking.slot.ends_at).time().strftime("%H:%M"),
        },
        _("With: %(organiser)s") % {"organiser": window.organiser.full_name},
        _("Student: %(student)s") % {"student": booking.student.full_name},
        _("Form: %(form)s") % {"form": window.get_form_display()},
    ]
    if window.how_to_join:
        lines.append(_("How to join: %(how)s") % {"how": window.how_to_join})
    lines.append(_("What is needed: %(note)s") % {"note": booking.note})
    return lines


def _family_body(booking: Booking) -> str:
    lines = details(booking)
    lines.append(
        _("Cancel or move it until %(when)s.")
        % {"when": when(policies.changes_close_at(booking.slot.starts_at))}
    )
    lines.append(
        _("Add it to your calendar: %(url)s")
        % {"url": absolute_url(invite_path(booking))}
    )
    return "\n".join(lines)


def notify_booked(booking: Booking, *, actor, from_queue: bool = False) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        organiser = booking.window.organiser
        starts = when(booking.slot.starts_at)
        if from_queue:
            title = _(
                "A watched slot became free and is booked for %(student)s: "
                "%(when)s, %(organiser)s"
            )
            kind = kinds.SLOT_FREED
        else:
            title = _("Individual consultation booked: %(when)s, %(organiser)s")
            kind = kinds.BOOKED
        # The booker is told too: the notice (and its e-mail) carries the details
        # and the calendar invite.
        notify(
            recipients=family_of(booking),
            kind=kind,
            title=title
            % {
                "student": booking.student.short_name,
                "when": starts,
                "organiser": organiser.short_name,
            },
            body=_family_body(booking),
            url=booking_path(booking),
            actor=actor,
            target=booking,
        )
        notify(
            recipients=[organiser],
            kind=kinds.BOOKED,
            title=_("New booking: %(when)s, %(student)s")
            % {"when": starts, "student": booking.student.short_name},
            body="\n".join(details(booking)),
            url=booking_path(booking),
            actor=actor,
            target=booking,
        )


def notify_booked_after_commit(booking: Booking, *, actor) -> None:
    """Tell of a new booking once it is committed, from the task queue: the family
    waits for the booking, not for the notices (and the slot's lock is not held
    while they are written). If the queue cannot take the task, they are written
    at once, so nobody goes untold."""
    transaction.on_commit(
        partial(_queue_booked, booking.pk, getattr(actor, "pk", None)), robust=True
    )


def _queue_booked(booking_id: int, actor_id: int | None) -> None:
    from umka.bookings.tasks import tell_booked

    try:
        tell_booked(booking_id, actor_id)
    except Exception:
        logger.exception("Queueing the notices of booking %s failed", booking_id)
        tell_booked.call_local(booking_id, actor_id)


def tell_booked(booking_id: int, actor_id: int | None) -> None:
    """The notices of a committed booking (the task queue's side)."""
    booking = (
        Booking.objects.select_related(
            "slot", "window", "window__organiser", "student", "booked_by"
        )
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        return
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    notify_booked(booking, actor=actor)


def notify_cancelled(booking: Booking, *, actor, reason: str, by_family: bool):
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Individual consultation cancelled: %(when)s, %(student)s") % {
            "when": when(booking.slot.starts_at),
            "student": booking.student.short_name,
        }
        lines = details(booking)
        if reason.strip():
            lines.append(_("Reason: %(reason)s") % {"reason": reason.strip()})
        if by_family:
            recipients = [booking.window.organiser, *family_of(booking)]
        else:
            recipients = family_of(booking)
        notify(
            recipients=[p for p in recipients if p != actor],
            kind=kinds.CANCELLED,
            title=title,
            body="\n".join(lines),
            url=booking_path(booking),
            actor=actor,
            target=booking,
        )


def notify_rescheduled(booking: Booking, old: Slot, *, actor) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Individual consultation moved to %(when)s, %(student)s") % {
            "when": when(booking.slot.starts_at),
            "student": booking.student.short_name,
        }
        body = "\n".join(
            [
                _("It was at %(when)s.") % {"when": when(old.starts_at)},
                *details(booking),
                _calendar_line(booking),
            ]
        )
        _tell_moved(
            [booking.window.organiser, *family_of(booking)],
            booking,
            title,
            body,
            actor=actor,
        )


def _calendar_line(booking: Booking) -> str:
    return _("Update your calendar: %(url)s") % {
        "url": absolute_url(invite_path(booking))
    }


def _tell_moved(recipients, booking: Booking, title: str, body: str, *, actor):
    """A notice that a booking's time changed (with the updated invite)."""
    notify(
        recipients=recipients,
        kind=kinds.RESCHEDULED,
        title=title,
        body=body,
        url=booking_path(booking),
        actor=actor,
        target=booking,
    )


def notify_reminder(booking: Booking, *, late: bool) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "when": when(booking.slot.starts_at),
            "organiser": booking.window.organiser.short_name,
            "student": booking.student.short_name,
        }
        if late:
            title = _("In an hour: individual consultation at %(when)s, %(organiser)s")
        else:
            title = _("Tomorrow: individual consultation at %(when)s, %(organiser)s")
        notify(
            recipients=family_of(booking),
            kind=kinds.REMINDER,
            title=title % values,
            body="\n".join(details(booking)),
            url=booking_path(booking),
            target=booking,
        )
        if late:
            staff_title = _("In an hour: individual consultation with %(student)s")
        else:
            staff_title = _("Tomorrow: individual consultation with %(student)s")
        notify(
            recipients=[booking.window.organiser],
            kind=kinds.REMINDER,
            title=staff_title % values,
            body="\n".join(details(booking)),
            url=booking_path(booking),
            target=booking,
        )


def notify_outcome(booking: Booking, *, actor) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients=family_of(booking),
            kind=kinds.OUTCOME,
            title=_("Outcome of the individual consultation of %(when)s, %(organiser)s")
            % {
                "when": when(booking.slot.starts_at),
                "organiser": booking.window.organiser.short_name,
            },
            body=booking.outcome_note,
            url=booking_path(booking),
            actor=actor,
            target=booking,
        )


def _zone_name(zone: dt.tzinfo) -> str:
    names = dict((*time_zones.RUSSIAN_ZONES, *time_zones.OTHER_RUSSIAN_ZONES))
    return str(names.get(str(zone), str(zone)))


def zone_label(zone: dt.tzinfo, on: dt.datetime) -> str:
    """«Vladivostok time (UTC+10)»: the zone as the school's choice names it, with
    its offset at `on`."""
    return f"{_zone_name(zone)} ({time_zones.utc_offset_label(str(zone), on)})"


def wall_clock(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """«17.11.2026 15:00 (Moscow time, UTC+3)»: a moment on a given zone's clock."""
    day_time = formats.date_format(moment.astimezone(zone), "d.m.Y H:i")
    offset = time_zones.utc_offset_label(str(zone), moment)
    return f"{day_time} ({_zone_name(zone)}, {offset})"


def notify_zone_kept(
    booking: Booking,
    *,
    old_start: dt.datetime,
    old_zone: dt.tzinfo,
    new_zone: dt.tzinfo,
    actor,
) -> None:
    """The family is told that the school's zone changed and their consultation
    keeps its time on the school's clock (with the updated invitation)."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "old": wall_clock(old_start, old_zone),
            "new": wall_clock(booking.slot.starts_at, new_zone),
            "old_zone": zone_label(old_zone, old_start),
            "new_zone": zone_label(new_zone, booking.slot.starts_at),
        }
        title = _(
            "The school's time zone changed: your individual consultation stays at "
            "%(time)s, %(organiser)s"
        ) % {
            "time": when(booking.slot.starts_at),
            "organiser": booking.window.organiser.short_name,
        }
        body = "\n".join(
            [
                _(
                    "The school now runs on %(new_zone)s instead of %(old_zone)s. "
                    "The consultation keeps its time on the school's clock: it was "
                    "%(old)s, it is %(new)s."
                )
                % values,
                *details(booking),
                _calendar_line(booking),
            ]
        )
        _tell_moved(family_of(booking), booking, title, body, actor=actor)


def notify_organiser_zone_kept(
    organiser: User,
    moved: list[tuple[BookingWindow, dt.datetime, int]],
    *,
    old_zone: dt.tzinfo,
    new_zone: dt.tzinfo,
    actor,
) -> None:
    """One notice to an organiser listing their windows that kept their times
    (`moved`: the window, its old start, how many bookings it holds)."""
    with translation.override(settings.LANGUAGE_CODE):
        first = moved[0][0].starts_at
        lines = [
            _(
                "The school now runs on %(new_zone)s instead of %(old_zone)s. Your "
                "windows for individual consultations keep their times on the "
                "school's clock; the families who booked are told."
            )
            % {
                "new_zone": zone_label(new_zone, first),
                "old_zone": zone_label(old_zone, first),
            }
        ]
        for window, old_start, booked in moved:
            lines.append(
                ngettext(
                    "%(old)s → %(new)s, %(count)s booking",
                    "%(old)s → %(new)s, %(count)s bookings",
                    booked,
                )
                % {
                    "old": wall_clock(old_start, old_zone),
                    "new": wall_clock(window.starts_at, new_zone),
                    "count": booked,
                }
            )
        notify(
            recipients=[organiser],
            kind=kinds.RESCHEDULED,
            title=ngettext(
                "The school's time zone changed: %(count)s window keeps its time",
                "The school's time zone changed: %(count)s windows keep their times",
                len(moved),
            )
            % {"count": len(moved)},
            body="\n".join(lines),
            url=reverse("bookings:windows"),
            actor=actor,
        )
