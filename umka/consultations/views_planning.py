"""Planning screens (/consultations/): a staff member's consultations and weekly
load (R7), planning a consultation (R9–R11), its page and sessions (move, cancel,
mark held) and the attestation checklist with its materials (R12).

Thin views: parse the input, check who may see the object (404 otherwise), call a
service and show its refusal next to the values the person entered.
"""

import datetime as dt
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from umka.consultations import planning_selectors as selectors
from umka.consultations import policies, services, wall_clock
from umka.consultations.forms_planning import (
    CancelForm,
    ChecklistItemForm,
    MaterialForm,
    MoveForm,
    PlanForm,
)
from umka.consultations.models import (
    ChecklistItem,
    Consultation,
    Occurrence,
    ScheduleDocument,
)
from umka.consultations.recurrence import session_dates, week_start
from umka.core import clock
from umka.core.downloads import download
from umka.core.errors import messages_of
from umka.school.models import Holiday

#: Weeks in the load strip when no study period is set up.
DEFAULT_WEEKS = 8


# --- «My consultations» and the weekly load (R7) -----------------------------------


@login_required
@require_GET
def mine(request):
    """A staff member's own consultations by schedule, and their weekly load."""
    user = request.user
    if not (user.is_school_staff or policies.is_coordinator(user)):
        raise Http404
    today = clock.today()
    periods = selectors.periods_of_year_around(today)
    chosen = next((p for p in periods if str(p.pk) == request.GET.get("period")), None)
    if chosen is None:
        chosen = next(
            (p for p in periods if p.ends_on >= today),
            periods[-1] if periods else None,
        )
    if chosen is not None:
        first, last = chosen.starts_on, chosen.ends_on
    else:
        first = today
        last = today + dt.timedelta(weeks=DEFAULT_WEEKS - 1)
    return render(
        request,
        "consultations/planning/mine.html",
        {
            "groups": selectors.own_consultations(user, timezone.now()),
            "load": selectors.load_of(user, first, last),
            "periods": periods,
            "chosen_period": chosen,
            "this_week": week_start(today),
            "may_plan": selectors.may_plan(user),
            "statuses": ScheduleDocument.Status,
        },
    )


# --- Planning -------------------------------------------------------------------


def _plan_form(request, data=None, initial=None) -> PlanForm:
    return PlanForm(data, initial=initial, user=request.user, today=clock.today())


def _planned_message(consultation: Consultation) -> str:
    count = consultation.occurrences.count()
    text = ngettext(
        "The consultation is planned: %(count)s session.",
        "The consultation is planned: %(count)s sessions.",
        count,
    ) % {"count": count}
    holidays = Holiday.objects.filter(year=consultation.schedule.year_id).values_list(
        "starts_on", "ends_on"
    )
    _dates, skipped = session_dates(
        consultation.recurrence,
        consultation.starts_on,
        consultation.repeat_until,
        holidays,
    )
    if skipped:
        text += " " + _("No session on holidays: %(dates)s.") % {
            "dates": ", ".join(formats.date_format(d, "d.m.Y") for d in skipped)
        }
    return text


@login_required
def plan(request):
    """Plan a consultation. A refusal of the rules (R7, R9–R11) is shown at the top
    of the form with everything entered kept."""
    if not selectors.may_plan(request.user):
        raise Http404
    if request.method == "POST" and "_refresh" in request.POST:
        # «Update the lists» without JavaScript: redraw, check nothing.
        form = _plan_form(request, initial=PlanForm.initial_from(request.POST))
    elif request.method == "POST":
        form = _plan_form(request, request.POST)
        if form.is_valid():
            period = form.cleaned_data["period"].period
            try:
                schedule = services.schedule_open(
                    actor=request.user, year=period.year, period=period, request=request
                )
                consultation = services.consultation_plan(
                    actor=request.user,
                    schedule=schedule,
                    request=request,
                    **form.plan_kwargs(),
                )
            except ValidationError as error:
                for message in messages_of(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _planned_message(consultation))
                return redirect("consultations:detail", pk=consultation.pk)
    else:
        # A link may prefill the form, e.g. the grades' topic analysis:
        # ?subject=…&classes=…&volume=topical&topics=… (R9).
        form = _plan_form(request, initial=PlanForm.initial_from(request.GET))
    return render(request, "consultations/planning/plan.html", {"form": form})


@login_required
@require_GET
def plan_fields(request):
    """htmx: the lists that depend on what is entered (students, program parts,
    and — when the organiser changes — subjects and classes), swapped out of band."""
    if not selectors.may_plan(request.user):
        raise Http404
    form = _plan_form(request, initial=PlanForm.initial_from(request.GET))
    return render(
        request,
        "consultations/planning/_plan_fields.html",
        {
            "form": form,
            "organiser_changed": request.headers.get("HX-Trigger-Name") == "organiser",
        },
    )


# --- A consultation's page -----------------------------------------------------------


def _consultation(request, pk: int) -> Consultation:
    consultation = selectors.consultation_page(pk, request.user)
    if consultation is None:
        raise Http404
    return consultation


def _session_rows(consultation: Consultation, may_act: bool, now) -> list[dict]:
    rows = []
    for occurrence in consultation.occurrences.all():
        planned = occurrence.status == Occurrence.Status.PLANNED
        checklist_done = (
            not consultation.is_attestation or occurrence.checklist_open == 0
        )
        rows.append(
            {
                "occurrence": occurrence,
                "planned": planned,
                "started": occurrence.starts_at <= now,
                "may_hold": may_act
                and planned
                and occurrence.starts_at <= now
                and checklist_done,
                "checklist_done": checklist_done,
            }
        )
    return rows


def _render_detail(request, consultation: Consultation, error: str = ""):
    user = request.user
    may_act = selectors.may_act(user, consultation)
    may_change = may_act and policies.can_change(user, consultation)
    context = {
        "consultation": consultation,
        "sessions": _session_rows(consultation, may_act, timezone.now()),
        "may_act": may_act,
        "may_change": may_change,
        "may_remove": may_change and not consultation.schedule.is_approved,
        "staff_view": may_act or user.is_administration,
        "slot": wall_clock.slot(
            consultation, wall_clock.last_planned(consultation.occurrences.all())
        ),
        "error": error,
    }
    return render(request, "consultations/planning/detail.html", context)


@login_required
@require_GET
def detail(request, pk: int):
    """The consultation and its sessions: the organiser and coordinators act; the
    administration and (once approved) its audience read."""
    return _render_detail(request, _consultation(request, pk))


@login_required
@require_POST
def consultation_remove(request, pk: int):
    consultation = _consultation(request, pk)
    if not selectors.may_act(request.user, consultation):
        raise Http404
    try:
        services.consultation_remove(
            actor=request.user, consultation=consultation, request=request
        )
    except ValidationError as error:
        return _render_detail(request, consultation, error=" ".join(messages_of(error)))
    messages.success(request, _("The consultation has been removed from the draft."))
    return redirect("consultations:mine")


# --- A session's page and its actions ---------------------------------------------


def _occurrence(request, pk: int) -> Occurrence:
    occurrence = selectors.occurrences_for_page(request.user).filter(pk=pk).first()
    if occurrence is None:
        raise Http404
    return occurrence


def _occurrence_for_action(request, pk: int) -> Occurrence:
    occurrence = _occurrence(request, pk)
    if not selectors.may_act(request.user, occurrence.consultation):
        raise Http404
    return occurrence


def _render_session(
    request,
    occurrence: Occurrence,
    *,
    move_form: MoveForm | None = None,
    cancel_form: CancelForm | None = None,
    error: str = "",
    failed_item: int | None = None,
    item_form: ChecklistItemForm | None = None,
    material_form: MaterialForm | None = None,
):
    user = request.user
    consultation = occurrence.consultation
    may_act = selectors.may_act(user, consultation)
    now = timezone.now()
    planned = occurrence.status == Occurrence.Status.PLANNED
    items = []
    if consultation.is_attestation:
        for item in selectors.checklist_of(occurrence):
            failed = item.pk == failed_item
            items.append(
                {
                    "item": item,
                    "form": item_form
                    if failed and item_form is not None
                    else ChecklistItemForm(
                        initial={"done": item.done, "note": item.note},
                        prefix=f"item{item.pk}",
                    ),
                    "material_form": material_form
                    if failed and material_form is not None
                    else MaterialForm(prefix=f"material{item.pk}"),
                }
            )
    missing = [i["item"].get_kind_display() for i in items if not i["item"].done]
    context = {
        "occurrence": occurrence,
        "consultation": consultation,
        "may_act": may_act,
        "may_change": may_act and policies.can_change(user, consultation),
        "staff_view": may_act or user.is_administration,
        "planned": planned,
        "started": occurrence.starts_at <= now,
        "missing": missing,
        "may_hold": may_act and planned and occurrence.starts_at <= now and not missing,
        "items": items,
        "checklist_closed": occurrence.status == Occurrence.Status.HELD,
        "move_form": move_form
        or MoveForm(
            occurrence=occurrence,
            initial={
                "new_date": clock.local(occurrence.starts_at).date(),
                "new_time": clock.local(occurrence.starts_at).time(),
            },
        ),
        "cancel_form": cancel_form or CancelForm(),
        "error": error,
    }
    return render(request, "consultations/planning/session.html", context)


def _back(request, occurrence: Occurrence):
    if request.POST.get("next") == "detail":
        return redirect(
            reverse("consultations:detail", args=[occurrence.consultation_id])
            + f"#session-{occurrence.pk}"
        )
    return redirect("consultations:session", pk=occurrence.pk)


@login_required
@require_GET
def session(request, pk: int):
    """One session: move, cancel, mark held; for an attestation consultation the
    R12 checklist with its materials."""
    return _render_session(request, _occurrence(request, pk))


@login_required
@require_POST
def session_move(request, pk: int):
    occurrence = _occurrence_for_action(request, pk)
    form = MoveForm(request.POST, occurrence=occurrence)
    if form.is_valid():
        try:
            services.occurrence_move(
                actor=request.user,
                occurrence=occurrence,
                starts_at=form.cleaned_data["starts_at"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            occurrence.refresh_from_db()
            return _render_session(
                request, occurrence, move_form=form, error=" ".join(messages_of(error))
            )
        messages.success(request, _("The session has been moved."))
        return _back(request, occurrence)
    return _render_session(request, occurrence, move_form=form)


@login_required
@require_POST
def session_cancel(request, pk: int):
    occurrence = _occurrence_for_action(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.occurrence_cancel(
                actor=request.user,
                occurrence=occurrence,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            occurrence.refresh_from_db()
            return _render_session(
                request,
                occurrence,
                cancel_form=form,
                error=" ".join(messages_of(error)),
            )
        messages.success(request, _("The session has been cancelled."))
        return _back(request, occurrence)
    return _render_session(request, occurrence, cancel_form=form)


@login_required
@require_POST
def session_held(request, pk: int):
    """R12: the service refuses an attestation session with its checklist open."""
    occurrence = _occurrence_for_action(request, pk)
    try:
        services.occurrence_mark_held(
            actor=request.user, occurrence=occurrence, request=request
        )
    except ValidationError as error:
        occurrence.refresh_from_db()
        return _render_session(request, occurrence, error=" ".join(messages_of(error)))
    messages.success(request, _("The session is marked as held."))
    return _back(request, occurrence)


@login_required
@require_POST
def session_not_held(request, pk: int):
    """Correct «held» back to planned, with a reason (R13)."""
    occurrence = _occurrence_for_action(request, pk)
    try:
        services.occurrence_unmark_held(
            actor=request.user,
            occurrence=occurrence,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except ValidationError as error:
        occurrence.refresh_from_db()
        return _render_session(request, occurrence, error=" ".join(messages_of(error)))
    messages.success(request, _("The session is marked as not held."))
    return _back(request, occurrence)


# --- The attestation checklist (R12) -----------------------------------------------


def _checklist_item(request, pk: int) -> ChecklistItem:
    item = selectors.checklist_item_for_action(pk, request.user)
    if item is None or not selectors.may_act(
        request.user, item.occurrence.consultation
    ):
        raise Http404
    return item


def _session_anchor(item: ChecklistItem):
    return redirect(
        reverse("consultations:session", args=[item.occurrence_id])
        + f"#item-{item.kind}"
    )


@login_required
@require_POST
def checklist_item(request, pk: int):
    item = _checklist_item(request, pk)
    form = ChecklistItemForm(request.POST, prefix=f"item{item.pk}")
    if form.is_valid():
        try:
            services.checklist_item_set(
                actor=request.user,
                item=item,
                done=form.cleaned_data["done"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            return _render_session(
                request,
                _occurrence(request, item.occurrence_id),
                failed_item=item.pk,
                item_form=form,
                error=" ".join(messages_of(error)),
            )
        messages.success(
            request, _("«%(item)s» is saved.") % {"item": item.get_kind_display()}
        )
        return _session_anchor(item)
    occurrence = _occurrence(request, item.occurrence_id)
    return _render_session(request, occurrence, failed_item=item.pk, item_form=form)


@login_required
@require_POST
def checklist_material(request, pk: int):
    """Attach a file to a checklist item: the type is checked by its extension
    and by its content, the size is limited."""
    item = _checklist_item(request, pk)
    form = MaterialForm(request.POST, request.FILES, prefix=f"material{item.pk}")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.checklist_material_add(
                actor=request.user,
                item=item,
                file=upload,
                title=(form.cleaned_data["title"] or upload.name)[:200],
                request=request,
            )
        except ValidationError as error:
            return _render_session(
                request,
                _occurrence(request, item.occurrence_id),
                failed_item=item.pk,
                material_form=form,
                error=" ".join(messages_of(error)),
            )
        messages.success(request, _("«%(name)s» is attached.") % {"name": upload.name})
        return _session_anchor(item)
    occurrence = _occurrence(request, item.occurrence_id)
    return _render_session(request, occurrence, failed_item=item.pk, material_form=form)


@login_required
@require_GET
def material(request, pk: int):
    """Download an attached material: only for those who may see the
    consultation (never served from MEDIA_URL)."""
    found = selectors.material_for_download(pk, request.user)
    if found is None:
        raise Http404
    return download(found.file, PurePosixPath(found.file.name).name)
