"""Opening and withdrawing windows of individual consultations (R5, R7).

Windows are planned time of their organiser and obey the R7 rules of
umka.consultations.rules (weekly consultation hours of a teacher, working time of
other staff, no clashes with consultations or other windows). Planning is
serialised per organiser (a row lock on the person, the same lock consultations
take).
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import F
from django.utils import formats
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.audit.services import record
from umka.bookings import audit_actions as actions
from umka.bookings import notices, policies
from umka.bookings.models import Booking, BookingWindow, Slot, SlotWatch
from umka.bookings.services import deny
from umka.consultations import rules
from umka.consultations.rules import Span
from umka.core import clock
from umka.core.errors import DomainError
from umka.school.models import Holiday

#: The longest window and the most dates one form may open at once.
MAX_WINDOW = dt.timedelta(hours=4)
MAX_DATES = 20


def _day(day: dt.date) -> str:
    return formats.date_format(day, "d.m.Y")


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
        raise deny()
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
            % {"when": notices.when(spans[0].starts_at)},
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
                    "when": f"{notices.when(span.starts_at)}–"
                    f"{clock.local(span.ends_at):%H:%M}",
                    "slots": len(slots),
                    "opens_at": notices.when(opens_at),
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
        raise deny()
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
            notices.notify_cancelled(
                booking, actor=actor, reason=reason, by_family=False
            )
    return window
