"""Booking screens (/bookings/): a family finds a teacher and books a slot (R5),
watches a full one, cancels or moves a booking until the cut-off and reads the
outcome note; a staff member opens windows (R7) and marks the meetings.

Thin views: every fetch goes through a policy's `access_*` helper (what a person
may not see answers 404, like what does not exist) and every «may they» is a
named policy the service asks too; a service's refusal is shown next to what was
entered. «Slot already taken» answers 409, so a script (the
booking rush benchmark) can tell it from other refusals.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from umka.bookings import policies, selectors, services
from umka.bookings import windows as window_services
from umka.bookings.forms import (
    BookForm,
    CancelForm,
    MarkForm,
    WindowCancelForm,
    WindowForm,
)
from umka.bookings.invite import build_invite, invite_filename
from umka.bookings.models import Booking
from umka.core import clock
from umka.core.access import require
from umka.core.confirm import ask_to_confirm, is_confirmed
from umka.core.errors import messages_of
from umka.notifications.emails import absolute_url


def _errors(error: ValidationError) -> str:
    return " ".join(messages_of(error))


def _is_taken(error: ValidationError) -> bool:
    return getattr(error, "code", None) == "slot_taken"


# --- The family's side ----------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    """«Individual consultations»: a family's bookings and queues; a staff
    member's link to their windows."""
    user = request.user
    students, has_windows = policies.access_my_bookings(user)
    now = timezone.now()
    bookings = list(selectors.family_bookings(user, now)) if students else []
    return render(
        request,
        "bookings/mine.html",
        {
            "students": students,
            "upcoming": [b for b in bookings if b.slot.ends_at >= now],
            "past": [b for b in bookings if b.slot.ends_at < now][::-1],
            "watches": list(selectors.family_watches(user)) if students else [],
            "has_windows": has_windows,
        },
    )


@login_required
@require_GET
def find(request):
    """Choose the child (a parent), then a teacher of their class or a staff member
    with open slots; the slots load below (htmx) or on this page without JS."""
    student, students = policies.access_student(
        request.user, request.GET.get("student")
    )
    now = timezone.now()
    organisers = list(selectors.organisers_for(student, now))
    chosen = None
    if raw := request.GET.get("organiser"):
        chosen = next((o for o in organisers if str(o.pk) == raw), None)
        require(chosen is not None)
    return render(
        request,
        "bookings/find.html",
        {
            "student": student,
            "students": students,
            "organisers": organisers,
            "chosen": chosen,
            "slots": selectors.slots_for(chosen, student, now) if chosen else [],
            "now": now,
            "cutoff_hours": policies.cutoff_hours(),
        },
    )


@login_required
@require_GET
def find_slots(request):
    """htmx: one organiser's slots for the chosen student."""
    student, _students = policies.access_student(
        request.user, request.GET.get("student")
    )
    now = timezone.now()
    organiser = selectors.organiser_for(student, request.GET.get("organiser"), now)
    require(organiser is not None)
    return render(
        request,
        "bookings/_slots.html",
        {
            "student": student,
            "chosen": organiser,
            "slots": selectors.slots_for(organiser, student, now),
            "now": now,
        },
    )


def _slot_and_student(request, pk: int):
    if request.method == "POST":
        return policies.access_slot(
            request.user, pk, student=request.POST.get("student")
        )
    return policies.access_slot(request.user, pk, student=request.GET.get("student"))


def _htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _to_booking(booking: Booking, panel: bool) -> HttpResponse:
    """On to the booking's page: a redirect, or htmx's HX-Redirect for the panel."""
    if panel:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("bookings:detail", args=[booking.pk])
        return response
    return redirect("bookings:detail", pk=booking.pk)


@login_required
def book(request, pk: int):
    """Book a slot with a short note. «Already taken» answers 409 with the page.

    The booking page posts its form with htmx: a refusal redraws only the form's
    panel (the family stays on the page, the note still typed) and a booking
    sends the browser on to it (HX-Redirect). Without JavaScript the same form
    posts as usual and gets whole pages and a 302."""
    slot, student = _slot_and_student(request, pk)
    panel = request.method == "POST" and _htmx(request)
    if request.method == "POST":
        form = BookForm(request.POST)
        if form.is_valid():
            try:
                booking = services.booking_create(
                    actor=request.user,
                    slot=slot,
                    student=student,
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except ValidationError as error:
                mine = (
                    selectors.active_booking_of(slot, student)
                    if getattr(error, "code", None) == "already_yours"
                    else None
                )
                if mine is not None:  # a second press, a second tab
                    messages.info(request, _errors(error))
                    return _to_booking(mine, panel)
                if _is_taken(error):
                    # The commonest refusal of a rush, so a short answer: why,
                    # and the queue for this slot (with the note) or another time.
                    return render(
                        request,
                        "bookings/_taken_panel.html"
                        if panel
                        else "bookings/taken.html",
                        {
                            "slot": slot,
                            "student": student,
                            "error": _errors(error),
                            "note": form.cleaned_data["note"],
                        },
                        status=409,
                    )
                form.add_error(None, _errors(error))
            else:
                messages.success(
                    request,
                    _("Booked: %(when)s. A notice with the details has been sent.")
                    % {
                        "when": formats.date_format(
                            clock.local(slot.starts_at), "d.m.Y H:i"
                        )
                    },
                )
                return _to_booking(booking, panel)
    else:
        form = BookForm()
    return render(
        request,
        "bookings/_book_form.html" if panel else "bookings/book.html",
        {"slot": slot, "student": student, "form": form},
    )


@login_required
@require_POST
def watch(request, pk: int):
    """Join the queue for a full slot."""
    slot, student = _slot_and_student(request, pk)
    form = BookForm(request.POST)
    if form.is_valid():
        try:
            services.watch_create(
                actor=request.user,
                slot=slot,
                student=student,
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(
                request,
                _(
                    "You are in the queue. If the slot is freed, it is booked for "
                    "%(student)s and you are told."
                )
                % {"student": student.full_name},
            )
            return redirect("bookings:mine")
    return render(
        request,
        "bookings/book.html",
        {"slot": slot, "student": student, "form": form, "watching": True},
    )


@login_required
@require_POST
def watch_remove(request, pk: int):
    found = policies.access_watch(request.user, pk)
    services.watch_remove(actor=request.user, watch=found, request=request)
    messages.success(request, _("You have left the queue."))
    return redirect("bookings:mine")


# --- A booking's page ----------------------------------------------------------------


def _booking(request, pk: int) -> Booking:
    return policies.access_booking(
        request.user, pk, among=selectors.booking_page_rows()
    )


def _render_detail(
    request,
    booking: Booking,
    *,
    error: str = "",
    mark_form: MarkForm | None = None,
    cancel_form: CancelForm | None = None,
    status: int = 200,
):
    now = timezone.now()
    rights = policies.booking_rights(request.user, booking, now)
    context = {
        "booking": booking,
        "window": booking.window,
        "error": error,
        **rights,
        "move_to": selectors.free_slots_to_move(booking, now)
        if rights["may_change"]
        else [],
        "mark_form": mark_form
        or MarkForm(
            initial={
                "status": booking.status
                if booking.status in (Booking.Status.HELD, Booking.Status.NO_SHOW)
                else Booking.Status.HELD,
                "outcome_note": booking.outcome_note,
                "private_note": booking.private_note,
            }
        ),
        "cancel_form": cancel_form or CancelForm(),
    }
    return render(request, "bookings/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk: int):
    return _render_detail(request, _booking(request, pk))


@login_required
@require_POST
def cancel(request, pk: int):
    booking = _booking(request, pk)
    require(policies.can_cancel_booking(request.user, booking))
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, booking, cancel_form=form)
    if not is_confirmed(request):
        return ask_to_confirm(
            request,
            question=_("Cancel the booking?"),
            details=_("The slot is freed for others; the organiser is told."),
            yes=_("Yes, cancel the booking"),
            back_url=reverse("bookings:detail", args=[booking.pk]),
        )
    try:
        services.booking_cancel(
            actor=request.user,
            booking=booking,
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except ValidationError as error:
        booking.refresh_from_db()
        return _render_detail(request, booking, error=_errors(error), cancel_form=form)
    messages.success(request, _("The booking is cancelled."))
    return redirect("bookings:detail", pk=booking.pk)


@login_required
@require_POST
def reschedule(request, pk: int):
    booking = _booking(request, pk)
    require(policies.can_reschedule_booking(request.user, booking))
    raw = request.POST.get("slot", "")
    target = (
        policies.slot_bookable_by(booking.student, int(raw)) if raw.isdigit() else None
    )
    if target is None:
        return _render_detail(
            request, booking, error=_("Choose a free slot to move the booking to.")
        )
    try:
        services.booking_reschedule(
            actor=request.user, booking=booking, slot=target, request=request
        )
    except ValidationError as error:
        booking.refresh_from_db()
        return _render_detail(
            request,
            booking,
            error=_errors(error),
            status=409 if _is_taken(error) else 200,
        )
    messages.success(request, _("The booking is moved."))
    return redirect("bookings:detail", pk=booking.pk)


@login_required
@require_POST
def mark(request, pk: int):
    booking = _booking(request, pk)
    require(policies.can_manage_booking(request.user, booking))
    form = MarkForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, booking, mark_form=form)
    try:
        services.booking_mark(
            actor=request.user, booking=booking, request=request, **form.cleaned_data
        )
    except ValidationError as error:
        booking.refresh_from_db()
        return _render_detail(request, booking, error=_errors(error), mark_form=form)
    messages.success(request, _("Saved. The student and their parents are told."))
    return redirect("bookings:detail", pk=booking.pk)


@login_required
@require_GET
def invite(request, pk: int):
    """The booking as an iCalendar invitation (.ics) for any calendar."""
    booking = _booking(request, pk)
    body = build_invite(
        booking, url=absolute_url(reverse("bookings:detail", args=[booking.pk]))
    )
    method = "CANCEL" if booking.status == Booking.Status.CANCELLED else "REQUEST"
    response = HttpResponse(
        body, content_type=f"text/calendar; charset=utf-8; method={method}"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{invite_filename(booking)}"'
    )
    response["Cache-Control"] = "private, no-cache"
    return response


# --- The organiser's side -------------------------------------------------------------


@login_required
@require_GET
def windows(request):
    """«My windows»: the organiser's windows of the last month and ahead, their
    slots and who booked them (the administration sees everyone's)."""
    require(policies.can_see_windows(request.user))
    now = timezone.now()
    rows = list(selectors.windows_page(request.user, now))
    return render(
        request,
        "bookings/windows.html",
        {
            "upcoming": [w for w in rows if w.ends_at >= now],
            "past": [w for w in rows if w.ends_at < now][::-1],
            "may_open": policies.can_open_windows(request.user, request.user),
            "now": now,
        },
    )


@login_required
def window_new(request):
    """Open windows (R7 checked by the service: weekly hours, working time,
    clashes)."""
    require(policies.can_open_windows(request.user, request.user))
    if request.method == "POST":
        form = WindowForm(request.POST)
        if form.is_valid():
            dates, skipped = form.dates()
            data = form.cleaned_data
            try:
                opened = window_services.windows_open(
                    actor=request.user,
                    organiser=request.user,
                    dates=dates,
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                    slot_minutes=data["slot_minutes"],
                    opens_at=data["opens_at"],
                    form=data["form"],
                    how_to_join=data["how_to_join"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                text = ngettext(
                    "%(count)s window is open.",
                    "%(count)s windows are open.",
                    len(opened),
                ) % {"count": len(opened)}
                if skipped:
                    text += " " + _("No window on holidays: %(dates)s.") % {
                        "dates": ", ".join(
                            formats.date_format(d, "d.m.Y") for d in skipped
                        )
                    }
                messages.success(request, text)
                return redirect("bookings:windows")
    else:
        form = WindowForm()
    return render(request, "bookings/window_new.html", {"form": form})


def _window(request, pk: int):
    return policies.access_window(request.user, pk, among=selectors.window_page_rows())


@login_required
@require_GET
def window_detail(request, pk: int):
    window = _window(request, pk)
    return render(
        request,
        "bookings/window.html",
        {
            "window": window,
            "may_manage": policies.can_manage_window(request.user, window),
            "now": timezone.now(),
            "cancel_form": WindowCancelForm(),
        },
    )


@login_required
@require_POST
def window_cancel(request, pk: int):
    window = _window(request, pk)
    require(policies.can_manage_window(request.user, window))
    form = WindowCancelForm(request.POST)
    error = ""
    if form.is_valid() and not is_confirmed(request):
        return ask_to_confirm(
            request,
            question=_("Cancel the window and every booking in it?"),
            details=_("Those who booked are told; the slots cannot be booked again."),
            yes=_("Yes, cancel the window"),
            back_url=reverse("bookings:window_detail", args=[window.pk]),
        )
    if form.is_valid():
        try:
            window_services.window_cancel(
                actor=request.user,
                window=window,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as failure:
            error = _errors(failure)
        else:
            messages.success(
                request, _("The window is cancelled; those who booked are told.")
            )
            return redirect("bookings:windows")
    return render(
        request,
        "bookings/window.html",
        {
            "window": window,
            "may_manage": True,
            "now": timezone.now(),
            "cancel_form": form,
            "error": error,
        },
    )
