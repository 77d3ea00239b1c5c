"""Bookings keep their wall-clock time when the school changes its time zone
(«смена часового пояса», umka.school.zone_change).

A window planned for Tuesday 15:00–16:00 stays 15:00–16:00 on the school's clock in
the new zone: its instants, its slots' and its booking opening are recomputed
(`zone_change.same_wall_clock`), so the page, the notices and the calendar invite
agree. Each booking moved gets a new SEQUENCE (calendars update the same event) and
its reminders are sent again for the new time; its family is told, with the old and
the new time and zone, and each organiser gets one notice listing their windows. The
audit trail records every window and booking moved.

Only what has not started moves: a window already under way (and its slots) stays as
it was, as do past windows. A booking opening that has already passed stays passed
(booking does not close again). The R7 rules keep holding because consultations keep
their wall-clock time the same way: the organiser's week looks as it did.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import translation

from umka.audit.services import record
from umka.bookings import audit_actions as actions
from umka.bookings import notices
from umka.bookings.models import Booking, BookingWindow, Slot
from umka.core import clock
from umka.school import zone_change


def _move_slots(window: BookingWindow, old_zone, new_zone) -> None:
    """Every slot of the window to the same wall-clock time in the new zone, in an
    order that never puts two slots on one start at once (unique in a window)."""
    slots = list(Slot.objects.select_for_update().filter(window=window))
    if not slots:
        return
    later = zone_change.same_wall_clock(slots[0].starts_at, old_zone, new_zone) > (
        slots[0].starts_at
    )
    for slot in sorted(slots, key=lambda s: s.starts_at, reverse=later):
        slot.starts_at = zone_change.same_wall_clock(slot.starts_at, old_zone, new_zone)
        slot.ends_at = zone_change.same_wall_clock(slot.ends_at, old_zone, new_zone)
        slot.save(update_fields=["starts_at", "ends_at"])


def bookings_keep_wall_clock(
    *, actor, old_zone: dt.tzinfo, new_zone: dt.tzinfo, request=None
) -> int:
    """The zone-change handler of bookings (registered in BookingsConfig.ready):
    windows that have not started keep their wall-clock time in `new_zone`, the
    families with a booking and the organisers are told. Runs inside the zone
    change's transaction, with the clock already on `new_zone`. Returns how many
    windows moved."""
    now = clock.now()
    # The trail's entries name the zones in the school's language, as the notices do.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        windows = list(
            BookingWindow.objects.select_for_update(of=("self",))
            .filter(starts_at__gt=now)
            .select_related("organiser")
            .order_by("organiser__last_name", "organiser_id", "starts_at", "pk")
        )
        by_organiser: dict[int, list[tuple[BookingWindow, dt.datetime, int]]] = {}
        for window in windows:
            old_start = window.starts_at
            window.starts_at = zone_change.same_wall_clock(
                window.starts_at, old_zone, new_zone
            )
            window.ends_at = zone_change.same_wall_clock(
                window.ends_at, old_zone, new_zone
            )
            if window.opens_at > now:
                window.opens_at = zone_change.same_wall_clock(
                    window.opens_at, old_zone, new_zone
                )
            # A past opening stays past, but never after the (moved) start.
            window.opens_at = min(window.opens_at, window.starts_at)
            window.save(update_fields=["starts_at", "ends_at", "opens_at"])
            _move_slots(window, old_zone, new_zone)
            booked = _bookings_kept(
                window,
                actor=actor,
                old_zone=old_zone,
                new_zone=new_zone,
                request=request,
            )
            _record_kept(
                window,
                (old_start, old_zone),
                (window.starts_at, new_zone),
                actor=actor,
                request=request,
                bookings=booked,
            )
            if not window.is_cancelled:
                by_organiser.setdefault(window.organiser_id, []).append(
                    (window, old_start, booked)
                )
        for moved in by_organiser.values():
            notices.notify_organiser_zone_kept(
                moved[0][0].organiser,
                moved,
                old_zone=old_zone,
                new_zone=new_zone,
                actor=actor,
            )
    return len(windows)


def _bookings_kept(window, *, actor, old_zone, new_zone, request) -> int:
    """The window's booked consultations: a new SEQUENCE, reminders again for the
    new time, an audit entry and the family told. Returns how many."""
    bookings = list(
        Booking.objects.select_for_update(of=("self",))
        .filter(window=window, status=Booking.Status.BOOKED)
        .select_related("slot", "student", "booked_by")
        .order_by("slot__starts_at", "pk")
    )
    for booking in bookings:
        booking.window = window
        booking.sequence += 1
        booking.reminded_24h_at = booking.reminded_1h_at = None
        booking.save(update_fields=["sequence", "reminded_24h_at", "reminded_1h_at"])
        new_start = booking.slot.starts_at
        old_start = _old(new_start, old_zone, new_zone)
        _record_kept(
            booking,
            (old_start, old_zone),
            (new_start, new_zone),
            actor=actor,
            request=request,
        )
        notices.notify_zone_kept(
            booking,
            old_start=old_start,
            old_zone=old_zone,
            new_zone=new_zone,
            actor=actor,
        )
    return len(bookings)


def _record_kept(target, old, new, *, actor, request, **more) -> None:
    """The audit entry of a window or booking that kept its wall-clock time: its
    start before and after, each with its zone."""
    record(
        actor=actor,
        action=actions.ZONE_KEPT,
        target=target,
        changes={"starts_at": [notices.wall_clock(*old), notices.wall_clock(*new)]}
        | more,
        request=request,
    )


def _old(moment: dt.datetime, old_zone, new_zone) -> dt.datetime:
    """The instant a moved moment had before the change (the same wall clock in
    the old zone)."""
    return zone_change.same_wall_clock(moment, new_zone, old_zone)
