"""Every write of individual consultations by booking (R5).

Windows are planned time of their organiser and obey the R7 rules of
umka.consultations.rules (weekly consultation hours of a teacher, working time of
other staff, no clashes with consultations or other windows). A slot holds one
booking: the database's partial unique constraint guarantees it, the slot's row
lock makes racers queue, and the refusal reads «Этот слот уже занят…».

A freed slot goes to its first watcher: it is booked for them automatically (with
the note they left) and they are told. We chose this over «first to react after a
notice» because a notice at night would otherwise be won by whoever happens to be
awake, and the queue order is what the watchers were promised.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from umka.accounts.models import User
from umka.accounts.policies import active_parent_links
from umka.audit.services import record
from umka.bookings import audit_actions as actions
from umka.bookings import notification_kinds as kinds
from umka.bookings import policies
from umka.bookings.models import Booking, BookingWindow, Slot, SlotWatch
from umka.consultations import rules
from umka.consultations.rules import Span
from umka.core import clock
from umka.core.errors import DomainError
from umka.notifications.emails import absolute_url
from umka.notifications.services import notify
from umka.school.models import Holiday

#: The longest window and the most dates one form may open at once.
MAX_WINDOW = dt.timedelta(hours=4)
MAX_DATES = 20
NOTE_MAX = 500
#: Reminders before a booked consultation.
REMIND_EARLY = dt.timedelta(hours=24)
REMIND_LATE = dt.timedelta(hours=1)


# --- Messages ------------------------------------------------------------------------


def _deny() -> DomainError:
    return DomainError(_("You may not do this."), code="forbidden")


def slot_taken() -> DomainError:
    return DomainError(
        _(
            "This slot is already taken: choose another time, or watch the slot — "
            "if it is freed, it goes to the first in the queue."
        ),
        code="slot_taken",
    )


def _when(moment: dt.datetime) -> str:
    return formats.date_format(clock.local(moment), "d.m.Y H:i")


def _day(day: dt.date) -> str:
    return formats.date_format(day, "d.m.Y")


def _cutoff_passed() -> DomainError:
    hours = policies.cutoff_hours()
    return DomainError(
        ngettext(
            "Booking, cancelling and moving close %(hours)s hour before the "
            "consultation.",
            "Booking, cancelling and moving close %(hours)s hours before the "
            "consultation.",
            hours,
        )
        % {"hours": hours},
        code="cutoff_passed",
    )


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise DomainError(
            _("Write in a few words what the consultation is needed for."),
            code="note_missing",
        )
    if len(note) > NOTE_MAX:
        raise DomainError(
            _("The note is too long: at most %(max)s characters.") % {"max": NOTE_MAX},
            code="note_too_long",
        )
    return note


# --- Windows (R7) ---------------------------------------------------------------------


def window_spans(
    dates: Iterable[dt.date], start_time: dt.time, end_time: dt.time
) -> list[Span]:
    tz = clock.zone()
    return [
        Span(
            dt.datetime.combine(day, start_time, tzinfo=tz),
            dt.datetime.combine(day, end_time, tzinfo=tz),
        )
        for day in sorted(set(dates))
    ]


def _check_window_shape(
    dates: Sequence[dt.date],
    start_time: dt.time,
    end_time: dt.time,
    slot_minutes: int,
) -> None:
    if not dates:
        raise DomainError(_("Choose at least one date."), code="no_dates")
    if len(set(dates)) > MAX_DATES:
        raise DomainError(
            _("At most %(max)s dates at once.") % {"max": MAX_DATES},
            code="too_many_dates",
        )
    if not 5 <= slot_minutes <= 120:
        raise DomainError(_("A slot lasts from 5 to 120 minutes."), code="slot_minutes")
    today = dt.date(2000, 1, 1)
    length = dt.datetime.combine(today, end_time) - dt.datetime.combine(
        today, start_time
    )
    if length <= dt.timedelta(0):
        raise DomainError(
            _("The window must end after it starts."), code="window_ends_first"
        )
    if length > MAX_WINDOW:
        raise DomainError(_("A window lasts at most 4 hours."), code="window_too_long")
    if length % dt.timedelta(minutes=slot_minutes):
        raise DomainError(
            _(
                "%(minutes)s-minute slots do not fill %(start)s–%(end)s exactly: "
                "change the end or the slot length."
            )
            % {
                "minutes": slot_minutes,
                "start": start_time.strftime("%H:%M"),
                "end": end_time.strftime("%H:%M"),
            },
            code="slots_do_not_fit",
        )


def _check_not_on_holidays(dates: Sequence[dt.date]) -> None:
    for first, last in Holiday.objects.filter(
        starts_on__lte=max(dates), ends_on__gte=min(dates)
    ).values_list("starts_on", "ends_on"):
        for day in sorted(dates):
            if first <= day <= last:
                raise DomainError(
                    _("%(date)s falls on holidays: choose another date.")
                    % {"date": _day(day)},
                    code="on_holiday",
                )


def _lock_organiser(organiser: User) -> None:
    """Serialise planning for one organiser: consultations lock the same row, so a
    window and a consultation cannot be planned into the same hour at once."""
    User.objects.select_for_update().filter(pk=organiser.pk).first()


def windows_open(
    *,
    actor: User,
    organiser: User,
    dates: Sequence[dt.date],
    start_time: dt.time,
    end_time: dt.time,
    slot_minutes: int,
    opens_at: dt.datetime | None = None,
    form: str = BookingWindow.Form.VIDEOCONFERENCE,
    how_to_join: str = "",
    request=None,
) -> list[BookingWindow]:
    """Open windows for individual consultations (R5) on one or more dates, cut
    into slots of `slot_minutes`, bookable from `opens_at` (at once by default).

    R7: the windows count as the organiser's planned time — a teacher's weekly
    consultation hours, other staff's working time — and must not clash with their
    consultations or other windows (umka.consultations.rules).
    """
    if not policies.can_open_windows(actor, organiser):
        raise _deny()
    dates = sorted(set(dates))
    _check_window_shape(dates, start_time, end_time, slot_minutes)
    if form not in BookingWindow.Form.values:
        raise DomainError(_("Choose the form of the consultation."), code="form")
    now = clock.now()
    spans = window_spans(dates, start_time, end_time)
    if spans[0].starts_at <= now:
        raise DomainError(
            _("A window can only be opened for a time in the future."),
            code="window_in_past",
        )
    opens_at = opens_at or now
    if opens_at > spans[0].starts_at:
        raise DomainError(
            _("Booking must open before the window starts (%(when)s).")
            % {"when": _when(spans[0].starts_at)},
            code="opens_too_late",
        )
    _check_not_on_holidays(dates)
    step = dt.timedelta(minutes=slot_minutes)
    with transaction.atomic():
        _lock_organiser(organiser)
        rules.check_no_clashes(organiser=organiser, classes=[], spans=spans)
        rules.check_contract_limits(organiser=organiser, spans=spans)
        windows = []
        for span in spans:
            window = BookingWindow.objects.create(
                organiser=organiser,
                starts_at=span.starts_at,
                ends_at=span.ends_at,
                slot_minutes=slot_minutes,
                opens_at=opens_at,
                form=form,
                how_to_join=how_to_join.strip(),
                created_by=actor,
            )
            slots, moment = [], span.starts_at
            while moment < span.ends_at:
                slots.append(
                    Slot(window=window, starts_at=moment, ends_at=moment + step)
                )
                moment += step
            Slot.objects.bulk_create(slots)
            record(
                actor=actor,
                action=actions.WINDOW_OPENED,
                target=window,
                changes={
                    "organiser": organiser.full_name,
                    "when": f"{_when(span.starts_at)}–"
                    f"{clock.local(span.ends_at):%H:%M}",
                    "slots": len(slots),
                    "opens_at": _when(opens_at),
                },
                request=request,
            )
            windows.append(window)
    return windows


def window_cancel(
    *, actor: User, window: BookingWindow, reason: str, request=None
) -> BookingWindow:
    """The organiser (or a coordinator) withdraws a window that has not started:
    its bookings are cancelled and the families told; its hours are free again."""
    if not policies.can_manage_window(actor, window):
        raise _deny()
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the window is cancelled."), code="reason_missing")
    now = clock.now()
    with transaction.atomic():
        window = BookingWindow.objects.select_for_update().get(pk=window.pk)
        if window.is_cancelled:
            raise DomainError(_("The window is already cancelled."), code="cancelled")
        if window.starts_at <= now:
            raise DomainError(
                _("The window has already started; mark its meetings instead."),
                code="window_started",
            )
        window.cancelled_at = now
        window.cancel_reason = reason
        window.save(update_fields=["cancelled_at", "cancel_reason"])
        affected = list(
            Booking.objects.select_for_update()
            .filter(window=window, status=Booking.Status.BOOKED)
            .select_related("slot", "student", "window__organiser")
        )
        Booking.objects.filter(pk__in=[b.pk for b in affected]).update(
            status=Booking.Status.CANCELLED,
            cancelled_at=now,
            cancelled_by=actor,
            cancel_reason=reason,
            sequence=F("sequence") + 1,
        )
        SlotWatch.objects.filter(slot__window=window).delete()
        record(
            actor=actor,
            action=actions.WINDOW_CANCELLED,
            target=window,
            changes={"reason": reason, "bookings_cancelled": len(affected)},
            request=request,
        )
        for booking in affected:
            _notify_cancelled(booking, actor=actor, reason=reason, by_family=False)
    return window


# --- Booking --------------------------------------------------------------------------


def _check_bookable(slot: Slot, student: User, now: dt.datetime) -> None:
    """Everything but «is it free» and «may book with this organiser»: the window
    is live, booking has opened, the cut-off has not passed."""
    window = slot.window
    if window.is_cancelled:
        raise DomainError(_("This window has been cancelled."), code="cancelled")
    if now < window.opens_at:
        raise DomainError(
            _("Booking for this slot opens on %(when)s.")
            % {"when": _when(window.opens_at)},
            code="not_open_yet",
        )
    if now >= policies.changes_close_at(slot.starts_at):
        raise _cutoff_passed()


def _check_organiser(slot: Slot, student: User) -> None:
    """The organiser helps this student (a teacher of their class, or staff who
    help everyone). Checked before the slot is locked: it never changes."""
    organiser_id = slot.window.organiser_id
    if not policies.may_book_with(student, organiser_id):
        raise _deny()


def _already_in_window(window: BookingWindow, student: User) -> DomainError:
    return DomainError(
        _(
            "%(student)s already has a booking in this window: move it to another "
            "slot instead."
        )
        % {"student": student.full_name},
        code="already_booked",
    )


def _refusal(slot: Slot, student: User) -> DomainError | None:
    """Why the constraints would refuse a booking of `slot` for `student`."""
    if Booking.objects.filter(slot=slot, status__in=Booking.ACTIVE).exists():
        return slot_taken()
    if Booking.objects.filter(
        window=slot.window_id, student=student, status__in=Booking.ACTIVE
    ).exists():
        return _already_in_window(slot.window, student)
    return None


def _lock_slot(slot_id: int) -> Slot:
    return (
        Slot.objects.select_for_update(of=("self",))
        .select_related("window", "window__organiser")
        .get(pk=slot_id)
    )


def _insert(**fields) -> Booking:
    """Insert under a savepoint, so a refusal by the constraints leaves the outer
    transaction usable."""
    with transaction.atomic():
        return Booking.objects.create(**fields)


def booking_create(
    *,
    actor: User,
    slot: Slot,
    student: User,
    note: str,
    request=None,
) -> Booking:
    """Book an individual consultation (R5): a student for themself, a parent for
    their child, with a short note of what is needed.

    The slot's row is locked, so racers queue; the partial unique constraint
    `one_active_booking_per_slot` is the guarantee. Whoever comes second gets
    «Этот слот уже занят…».
    """
    note = _clean_note(note)
    if not policies.can_book_for(actor, student):
        raise _deny()
    _check_organiser(slot, student)
    now = clock.now()
    with transaction.atomic():
        slot = _lock_slot(slot.pk)
        _check_bookable(slot, student, now)
        if refusal := _refusal(slot, student):
            raise refusal
        try:
            booking = _insert(
                slot=slot,
                window=slot.window,
                student=student,
                booked_by=actor,
                note=note,
                created_at=now,
            )
        except IntegrityError:
            raise _refusal(slot, student) or slot_taken() from None
        booking.slot = slot
        SlotWatch.objects.filter(student=student, slot__window=slot.window).delete()
        record(
            actor=actor,
            action=actions.BOOKED,
            target=booking,
            changes={"slot": str(slot), "student": student.full_name},
            request=request,
        )
        _notify_booked(booking, actor=actor)
    return booking


def _lock_booking(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot", "window", "window__organiser", "student")
        .get(pk=booking.pk)
    )


def booking_cancel(
    *, actor: User, booking: Booking, reason: str = "", request=None
) -> Booking:
    """Cancel a booking. The student or their parent may until the cut-off; the
    organiser (or a coordinator) at any time before it starts, with a reason. The
    freed slot goes to its first watcher."""
    now = clock.now()
    with transaction.atomic():
        booking = _lock_booking(booking)
        if not policies.can_cancel_booking(actor, booking):
            raise _deny()
        by_family = policies.acts_for_family(actor, booking)
        if booking.status != Booking.Status.BOOKED:
            raise DomainError(
                _("Only a booked consultation can be cancelled."), code="not_booked"
            )
        if by_family:
            if now >= policies.changes_close_at(booking.slot.starts_at):
                raise _cutoff_passed()
        else:
            if not reason.strip():
                raise DomainError(
                    _("Say why the consultation is cancelled."), code="reason_missing"
                )
            if now >= booking.slot.starts_at:
                raise DomainError(
                    _("The consultation has started; mark it instead."),
                    code="started",
                )
        slot = _lock_slot(booking.slot_id)
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.cancelled_by = actor
        booking.cancel_reason = reason.strip()
        booking.sequence += 1
        booking.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "cancel_reason",
                "sequence",
            ]
        )
        record(
            actor=actor,
            action=actions.CANCELLED,
            target=booking,
            changes={"slot": str(slot), "reason": booking.cancel_reason},
            request=request,
        )
        _notify_cancelled(booking, actor=actor, reason=reason, by_family=by_family)
        _offer_to_watchers(slot, now)
    return booking


def booking_reschedule(
    *, actor: User, booking: Booking, slot: Slot, request=None
) -> Booking:
    """Move a booking to another free slot of the same organiser, atomically
    (until the cut-off of both). The booking keeps its identity (and calendar
    UID); the freed slot goes to its first watcher."""
    now = clock.now()
    with transaction.atomic():
        booking = _lock_booking(booking)
        if not policies.can_reschedule_booking(actor, booking):
            raise _deny()
        if booking.status != Booking.Status.BOOKED:
            raise DomainError(
                _("Only a booked consultation can be moved."), code="not_booked"
            )
        if slot.pk == booking.slot_id:
            raise DomainError(_("Choose a different slot."), code="same_slot")
        if now >= policies.changes_close_at(booking.slot.starts_at):
            raise _cutoff_passed()
        # Both slots, in one order everywhere, so two moves never deadlock.
        locked = {
            s.pk: s
            for s in Slot.objects.select_for_update(of=("self",))
            .select_related("window", "window__organiser")
            .filter(pk__in=sorted([booking.slot_id, slot.pk]))
            .order_by("pk")
        }
        old, new = locked[booking.slot_id], locked[slot.pk]
        if new.window.organiser_id != old.window.organiser_id:
            raise DomainError(
                _("A booking moves only to another slot of the same organiser."),
                code="other_organiser",
            )
        _check_organiser(new, booking.student)
        _check_bookable(new, booking.student, now)
        if Booking.objects.filter(slot=new, status__in=Booking.ACTIVE).exists():
            raise slot_taken()
        if (
            Booking.objects.filter(
                window=new.window, student=booking.student, status__in=Booking.ACTIVE
            )
            .exclude(pk=booking.pk)
            .exists()
        ):
            raise _already_in_window(new.window, booking.student)
        try:
            with transaction.atomic():
                Booking.objects.filter(pk=booking.pk).update(
                    slot=new,
                    window=new.window,
                    sequence=F("sequence") + 1,
                    reminded_24h_at=None,
                    reminded_1h_at=None,
                )
        except IntegrityError:
            raise _refusal(new, booking.student) or slot_taken() from None
        booking.refresh_from_db()
        SlotWatch.objects.filter(
            student=booking.student, slot__window=new.window
        ).delete()
        record(
            actor=actor,
            action=actions.RESCHEDULED,
            target=booking,
            changes={"slot": [str(old), str(new)]},
            request=request,
        )
        _notify_rescheduled(booking, old, actor=actor)
        _offer_to_watchers(old, now)
    return booking


def booking_mark(
    *,
    actor: User,
    booking: Booking,
    status: str,
    outcome_note: str = "",
    private_note: str = "",
    request=None,
) -> Booking:
    """After the meeting the organiser marks it held or no-show (R5, R13) and
    writes the outcome note with recommendations — the student and their parents
    read it and are told — and, if needed, a private note for staff only. Marking
    again corrects it."""
    if not policies.can_manage_booking(actor, booking):
        raise _deny()
    if status not in (Booking.Status.HELD, Booking.Status.NO_SHOW):
        raise DomainError(_("Choose held or did not come."), code="status")
    outcome_note, private_note = outcome_note.strip(), private_note.strip()
    if status == Booking.Status.HELD and not outcome_note:
        raise DomainError(
            _("Write the outcome of the consultation and your recommendations."),
            code="outcome_missing",
        )
    now = clock.now()
    with transaction.atomic():
        booking = _lock_booking(booking)
        if not booking.is_active:
            raise DomainError(
                _("A cancelled consultation cannot be marked."), code="cancelled"
            )
        if now < booking.slot.starts_at:
            raise DomainError(
                _("A consultation can be marked once it has started."),
                code="not_started",
            )
        before = {
            "status": booking.status,
            "outcome_note": booking.outcome_note,
            "private_note": booking.private_note,
        }
        booking.status = status
        booking.outcome_note = outcome_note
        booking.private_note = private_note
        booking.marked_at = now
        booking.marked_by = actor
        booking.save(
            update_fields=[
                "status",
                "outcome_note",
                "private_note",
                "marked_at",
                "marked_by",
            ]
        )
        changes = {
            key: [before[key], value]
            for key, value in (
                ("status", status),
                ("outcome_note", outcome_note),
                ("private_note", private_note),
            )
            if before[key] != value
        }
        if "private_note" in changes:
            # The trail is read by the administration; keep the text itself out.
            changes["private_note"] = "changed"
        record(
            actor=actor,
            action=actions.MARKED,
            target=booking,
            changes=changes,
            request=request,
        )
        if outcome_note and outcome_note != before["outcome_note"]:
            _notify_outcome(booking, actor=actor)
    return booking


# --- Watching a full slot -------------------------------------------------------------


def watch_create(
    *, actor: User, slot: Slot, student: User, note: str, request=None
) -> SlotWatch:
    """Queue for a full slot: if it is freed, it is booked for the first in the
    queue (with this note) and they are told."""
    note = _clean_note(note)
    if not policies.can_book_for(actor, student):
        raise _deny()
    _check_organiser(slot, student)
    now = clock.now()
    with transaction.atomic():
        slot = _lock_slot(slot.pk)
        _check_bookable(slot, student, now)
        holder = (
            Booking.objects.filter(slot=slot, status__in=Booking.ACTIVE)
            .values_list("student_id", flat=True)
            .first()
        )
        if holder is None:
            raise DomainError(
                _("This slot is free: book it instead."), code="slot_free"
            )
        if Booking.objects.filter(
            window=slot.window, student=student, status__in=Booking.ACTIVE
        ).exists():
            raise _already_in_window(slot.window, student)
        watch, created = SlotWatch.objects.get_or_create(
            slot=slot,
            student=student,
            defaults={"watcher": actor, "note": note, "created_at": now},
        )
        if not created:
            raise DomainError(
                _("%(student)s is already in the queue for this slot.")
                % {"student": student.full_name},
                code="already_watching",
            )
    return watch


def watch_remove(*, actor: User, watch: SlotWatch, request=None) -> None:
    if not policies.can_remove_watch(actor, watch):
        raise _deny()
    SlotWatch.objects.filter(pk=watch.pk).delete()


def _offer_to_watchers(slot: Slot, now: dt.datetime) -> Booking | None:
    """A freed slot is booked for the first watcher who still may have it.

    Called inside the transaction that freed it, with the slot locked. After the
    cut-off, or in a cancelled window, the slot stays free (nobody could change
    such a booking any more).
    """
    window = slot.window
    if window.is_cancelled or now >= policies.changes_close_at(slot.starts_at):
        return None
    for watch in (
        SlotWatch.objects.filter(slot=slot)
        .select_related("watcher", "student")
        .order_by("created_at", "pk")
    ):
        student, watcher = watch.student, watch.watcher
        if (
            not (
                policies.can_book_for(watcher, student)
                and policies.may_book_with(student, window.organiser_id)
            )
            or Booking.objects.filter(
                window=window, student=student, status__in=Booking.ACTIVE
            ).exists()
        ):
            watch.delete()
            continue
        try:
            booking = _insert(
                slot=slot,
                window=window,
                student=student,
                booked_by=watcher,
                note=watch.note,
                created_at=now,
            )
        except IntegrityError:
            return None
        booking.slot = slot
        SlotWatch.objects.filter(student=student, slot__window=window).delete()
        record(
            actor=None,
            actor_name=watcher.full_name,
            action=actions.BOOKED,
            target=booking,
            changes={
                "slot": str(slot),
                "student": student.full_name,
                "from_queue": True,
            },
        )
        _notify_booked(booking, actor=None, from_queue=True)
        return booking
    return None


# --- Reminders ------------------------------------------------------------------------


def bookings_remind(now: dt.datetime | None = None) -> int:
    """Remind of booked consultations 24 hours and 1 hour before (the periodic
    task runs it every 5 minutes). Each reminder goes once: a conditional UPDATE of
    the booking's marker claims it. Returns how many reminders went."""
    now = now or clock.now()
    sent = 0
    due = (
        Booking.objects.filter(
            status=Booking.Status.BOOKED,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + REMIND_EARLY,
            window__cancelled_at__isnull=True,
        )
        .filter(reminded_1h_at__isnull=True)
        .select_related("slot", "window", "window__organiser", "student")
        .order_by("slot__starts_at", "pk")
    )
    for booking in due:
        late = booking.slot.starts_at <= now + REMIND_LATE
        if not late and booking.reminded_24h_at is not None:
            continue
        with transaction.atomic():
            if late:
                # An hour before; the day-before reminder is not sent after it.
                claimed = Booking.objects.filter(
                    pk=booking.pk,
                    status=Booking.Status.BOOKED,
                    reminded_1h_at__isnull=True,
                ).update(
                    reminded_1h_at=now,
                    reminded_24h_at=F("reminded_24h_at")
                    if booking.reminded_24h_at
                    else now,
                )
            else:
                claimed = Booking.objects.filter(
                    pk=booking.pk,
                    status=Booking.Status.BOOKED,
                    reminded_24h_at__isnull=True,
                ).update(reminded_24h_at=now)
            if claimed:
                _notify_reminder(booking, late=late)
                sent += 1
    return sent


# --- Notices --------------------------------------------------------------------------


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


def _details(booking: Booking) -> list[str]:
    window = booking.window
    lines = [
        _("When: %(when)s–%(end)s")
        % {
            "when": _when(booking.slot.starts_at),
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
    lines = _details(booking)
    lines.append(
        _("Cancel or move it until %(when)s.")
        % {"when": _when(policies.changes_close_at(booking.slot.starts_at))}
    )
    lines.append(
        _("Add it to your calendar: %(url)s")
        % {"url": absolute_url(invite_path(booking))}
    )
    return "\n".join(lines)


def _notify_booked(booking: Booking, *, actor, from_queue: bool = False) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        organiser = booking.window.organiser
        when = _when(booking.slot.starts_at)
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
                "when": when,
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
            % {"when": when, "student": booking.student.short_name},
            body="\n".join(_details(booking)),
            url=booking_path(booking),
            actor=actor,
            target=booking,
        )


def _notify_cancelled(booking: Booking, *, actor, reason: str, by_family: bool):
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Individual consultation cancelled: %(when)s, %(student)s") % {
            "when": _when(booking.slot.starts_at),
            "student": booking.student.short_name,
        }
        lines = _details(booking)
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


def _notify_rescheduled(booking: Booking, old: Slot, *, actor) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Individual consultation moved to %(when)s, %(student)s") % {
            "when": _when(booking.slot.starts_at),
            "student": booking.student.short_name,
        }
        body = "\n".join(
            [
                _("It was at %(when)s.") % {"when": _when(old.starts_at)},
                *_details(booking),
                _("Update your calendar: %(url)s")
                % {"url": absolute_url(invite_path(booking))},
            ]
        )
        notify(
            recipients=[booking.window.organiser, *family_of(booking)],
            kind=kinds.RESCHEDULED,
            title=title,
            body=body,
            url=booking_path(booking),
            actor=actor,
            target=booking,
        )


def _notify_reminder(booking: Booking, *, late: bool) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "when": _when(booking.slot.starts_at),
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
            body="\n".join(_details(booking)),
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
            body="\n".join(_details(booking)),
            url=booking_path(booking),
            target=booking,
        )


def _notify_outcome(booking: Booking, *, actor) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            recipients=family_of(booking),
            kind=kinds.OUTCOME,
            title=_("Outcome of the individual consultation of %(when)s, %(organiser)s")
            % {
                "when": _when(booking.slot.starts_at),
                "organiser": booking.window.organiser.short_name,
            },
            body=booking.outcome_note,
            url=booking_path(booking),
            actor=actor,
            target=booking,
        )
