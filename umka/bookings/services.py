"""Every write of a booking (R5): book, cancel, move, mark, and the queue for a
full slot. Opening windows is in `windows.py`, what people are told in
`notices.py`, the reminders in `reminders.py`.

A slot holds one booking: the database's partial unique constraint guarantees it,
the slot's row lock makes racers queue, and the refusal reads «Этот слот уже
занят…».

A freed slot goes to its first watcher: it is booked for them automatically (with
the note they left) and they are told. We chose this over «first to react after a
notice» because a notice at night would otherwise be won by whoever happens to be
awake, and the queue order is what the watchers were promised.
"""

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from umka.accounts.models import User
from umka.audit.services import record
from umka.bookings import audit_actions as actions
from umka.bookings import notices, policies
from umka.bookings.models import Booking, BookingWindow, Slot, SlotWatch
from umka.core import clock, ratelimit
from umka.core.errors import DomainError
from umka.privacy.gate import require_consent

NOTE_MAX = 500


# --- Messages ------------------------------------------------------------------------


def deny() -> DomainError:
    """A refusal for someone a policy says no to (the views answer 404 first)."""
    return DomainError(_("You may not do this."), code="forbidden")


def slot_taken() -> DomainError:
    return DomainError(
        _(
            "This slot is already taken: choose another time, or watch the slot — "
            "if it is freed, it goes to the first in the queue."
        ),
        code="slot_taken",
    )


def already_yours(student: User) -> DomainError:
    """The slot is taken by this very student: a second press of «Book», a
    second tab. The views send the family to that booking."""
    return DomainError(
        _("%(student)s already has this slot booked.") % {"student": student.full_name},
        code="already_yours",
    )


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
            % {"when": notices.when(window.opens_at)},
            code="not_open_yet",
        )
    if now >= policies.changes_close_at(slot.starts_at):
        raise _cutoff_passed()


def _check_organiser(slot: Slot, student: User) -> None:
    """The organiser helps this student (a teacher of their class, or staff who
    help everyone). Checked before the slot is locked: it never changes."""
    if getattr(slot, "organiser_checked_for", None) == student.pk:
        return  # the page's access has just asked (policies.slot_bookable_by)
    organiser_id = slot.window.organiser_id
    if not policies.may_book_with(student, organiser_id):
        raise deny()


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
    """Why the constraints would refuse a booking of `slot` for `student` (one
    query: the active bookings of this slot or of the student in its window)."""
    in_the_way = set(
        Booking.objects.filter(
            Q(slot=slot) | Q(window=slot.window_id, student=student),
            status__in=Booking.ACTIVE,
        )
        .order_by()
        .values_list("slot_id", "student_id")[:2]
    )
    if (slot.pk, student.pk) in in_the_way:
        return already_yours(student)
    if any(slot_id == slot.pk for slot_id, _holder in in_the_way):
        return slot_taken()
    if in_the_way:
        return _already_in_window(slot.window, student)
    return None


def _holder_sql() -> str:
    statuses = ", ".join(["%s"] * len(Booking.ACTIVE))
    return (
        f"SELECT student_id FROM {Booking._meta.db_table} "  # noqa: S608 (the model's table)
        f"WHERE slot_id = %s AND status IN ({statuses}) LIMIT 1"
    )


def _holder(slot: Slot) -> int | None:
    """Whose is the slot, if taken before we came (the student's id)? Asked on
    every attempt of a rush, so one plain query (the ORM took longer to build it
    than the database to answer it). Under the lock `_refusal` asks again."""
    with connection.cursor() as cursor:
        cursor.execute(_holder_sql(), [slot.pk, *Booking.ACTIVE])
        row = cursor.fetchone()
    return row[0] if row else None


def _lock_slot(slot_id: int) -> Slot:
    return (
        Slot.objects.select_for_update(of=("self",))
        .select_related("window")
        .order_by()
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
    «Этот слот уже занят…» — at once, without waiting for the lock, when the slot
    was taken before they came (the check is repeated under the lock). The
    notices follow the commit, from the task queue.
    """
    note = _clean_note(note)
    if not policies.can_book_for(actor, student):
        raise deny()
    _check_organiser(slot, student)
    now = clock.now()
    _check_bookable(slot, student, now)
    if (holder := _holder(slot)) is not None:
        raise already_yours(student) if holder == student.pk else slot_taken()
    require_consent(student, actor)
    ratelimit.enforce(action="bookings.create", who=actor, request=request)
    try:
        with transaction.atomic():
            slot = _lock_slot(slot.pk)
            _check_bookable(slot, student, now)
            if refusal := _refusal(slot, student):
                raise refusal
            # No savepoint of its own: a refusal by the constraints rolls the
            # whole booking back, and its reason is read afterwards.
            booking = Booking.objects.create(
                slot=slot,
                window=slot.window,
                student=student,
                booked_by=actor,
                note=note,
                created_at=now,
            )
            SlotWatch.objects.filter(student=student, slot__window=slot.window).delete()
            record(
                actor=actor,
                action=actions.BOOKED,
                target=booking,
                changes={"slot": str(slot), "student": student.full_name},
                request=request,
            )
            notices.notify_booked_after_commit(booking, actor=actor)
    except IntegrityError:
        raise _refusal(slot, student) or slot_taken() from None
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
            raise deny()
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
        notices.notify_cancelled(
            booking, actor=actor, reason=reason, by_family=by_family
        )
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
            raise deny()
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
        notices.notify_rescheduled(booking, old, actor=actor)
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
        raise deny()
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
            notices.notify_outcome(booking, actor=actor)
    return booking


# --- Watching a full slot -------------------------------------------------------------


def watch_create(
    *, actor: User, slot: Slot, student: User, note: str, request=None
) -> SlotWatch:
    """Queue for a full slot: if it is freed, it is booked for the first in the
    queue (with this note) and they are told."""
    note = _clean_note(note)
    if not policies.can_book_for(actor, student):
        raise deny()
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
        raise deny()
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
        notices.notify_booked(booking, actor=None, from_queue=True)
        return booking
    return None
