"""Planning screens (/consultations/): a staff member's consultations and weekly
load (R7) and planning a consultation (R9–R11). Thin views: parse the input, call a
policy and a service, show a refusal next to what was typed.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from umka.consultations import policies
from umka.consultations.models import (
    Consultation,
    ScheduleDocument,
)
from umka.consultations.planning import load as planning_load
from umka.consultations.planning import selectors
from umka.consultations.planning import services as planning_services
from umka.consultations.planning.forms import PlanForm
from umka.consultations.planning.forms_edit import EditForm
from umka.consultations.recurrence import session_dates, week_start
from umka.consultations.schedule import services as schedule_services
from umka.core import clock
from umka.core.access import require
from umka.core.errors import messages_of
from umka.school.models import Holiday

#: Weeks in the load strip when no study period is set up.
DEFAULT_WEEKS = 8


@login_required
@require_GET
def mine(request):
    """A staff member's own consultations by schedule, and their weekly load."""
    user = request.user
    require(policies.can_open_own_consultations(user))
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
            "load": planning_load.load_of(user, first, last),
            "periods": periods,
            "chosen_period": chosen,
            "this_week": week_start(today),
            "may_plan": policies.can_plan_consultations(user),
            "statuses": ScheduleDocument.Status,
        },
    )


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
    require(policies.can_plan_consultations(request.user))
    if request.method == "POST" and "_refresh" in request.POST:
        # «Update the lists» without JavaScript: redraw, check nothing.
        form = _plan_form(request, initial=PlanForm.initial_from(request.POST))
    elif request.method == "POST":
        form = _plan_form(request, request.POST)
        if form.is_valid():
            period = form.cleaned_data["period"].period
            try:
                schedule = schedule_services.schedule_open(
                    actor=request.user, year=period.year, period=period, request=request
                )
                consultation = planning_services.consultation_plan(
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


def _editable(request, pk) -> Consultation:
    """A consultation the person conducts (else 404)."""
    return policies.access_consultation_to_conduct(
        request.user, pk, related=selectors.consultation_page
    )


def _edit_form(request, consultation, data=None, initial=None) -> EditForm:
    return EditForm(
        data,
        initial=initial,
        user=request.user,
        today=clock.today(),
        consultation=consultation,
    )


@login_required
def edit(request, pk: int):
    """Change a saved consultation: what it is and for whom (its sessions are
    moved or cancelled one by one). Once the schedule is approved the change is an
    amendment with a reason; while it is with the approver nothing changes."""
    consultation = _editable(request, pk)
    if not policies.can_change(request.user, consultation):
        messages.error(
            request,
            _(
                "The schedule is with the approver: it cannot be changed until it "
                "is approved or returned."
            ),
        )
        return redirect("consultations:detail", pk=consultation.pk)
    if request.method == "POST" and "_refresh" in request.POST:
        form = _edit_form(
            request, consultation, initial=EditForm.initial_from(request.POST)
        )
    elif request.method == "POST":
        form = _edit_form(request, consultation, request.POST)
        if form.is_valid():
            try:
                planning_services.consultation_update(
                    actor=request.user,
                    consultation=consultation,
                    request=request,
                    **form.edit_kwargs(),
                )
            except ValidationError as error:
                for message in messages_of(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("The consultation has been changed."))
                return redirect("consultations:detail", pk=consultation.pk)
    else:
        form = _edit_form(
            request, consultation, initial=EditForm.initial_of(consultation)
        )
    return render(
        request,
        "consultations/planning/edit.html",
        {"form": form, "consultation": consultation},
    )


@login_required
@require_GET
def plan_fields(request):
    """htmx: the lists that depend on what is entered (students, program parts,
    and — when the organiser changes — subjects and classes), swapped out of band.
    With `consultation` the lists are those of that consultation's edit form."""
    require(policies.can_plan_consultations(request.user))
    if (pk := request.GET.get("consultation", "")).isdigit():
        form = _edit_form(
            request,
            _editable(request, int(pk)),
            initial=EditForm.initial_from(request.GET),
        )
    else:
        form = _plan_form(request, initial=PlanForm.initial_from(request.GET))
    return render(
        request,
        "consultations/planning/_plan_fields.html",
        {
            "form": form,
            "organiser_changed": request.headers.get("HX-Trigger-Name") == "organiser",
        },
    )
