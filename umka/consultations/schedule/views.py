"""The schedule document screens (/consultations/schedules/, R8).

Staff and the administration read; coordinators assemble and submit; the director
or an authorised deputy approves; coordinators or the administrator publish.
Students and parents have the public page: here they get 404. A person who may
see a schedule but not act on it gets 403 on the action, and nothing changes.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from umka.consultations import policies
from umka.consultations.models import ScheduleDocument
from umka.consultations.recurrence import week_start
from umka.consultations.schedule import board as boards
from umka.consultations.schedule import selectors as schedule_selectors
from umka.consultations.schedule import services as schedule_services
from umka.consultations.schedule import versions as schedule_versions
from umka.consultations.schedule.forms import (
    ApproveForm,
    BoardFilterForm,
    DelegationForm,
    OpenScheduleForm,
    ReturnForm,
)
from umka.consultations.schedule.grid import week_grid
from umka.core import clock
from umka.core.access import require
from umka.core.confirm import ask_to_confirm, is_confirmed
from umka.core.errors import DomainError
from umka.school.selectors import current_year

# --- Who may do what on these pages: umka.consultations.policies ----------------------


def _require(allowed: bool) -> None:
    """For a person who sees the page but may not act: 403, nothing changes."""
    if not allowed:
        raise PermissionDenied


def _schedule(request, pk: int) -> ScheduleDocument:
    return policies.access_schedule_document(
        request.user, pk, related=schedule_selectors.for_page
    )


def _refused(request, error: DomainError) -> None:
    messages.error(request, " ".join(error.messages))


def _back(schedule: ScheduleDocument):
    return redirect("consultations:schedule", pk=schedule.pk)


# --- The list of schedules ------------------------------------------------------------


def _chosen_year(request):
    years = list(schedule_selectors.years())
    wanted = request.GET.get("year", "")
    year = next((y for y in years if str(y.pk) == wanted), None)
    if year is None:
        year = current_year(clock.today())
    if year is None and years:
        year = years[-1]  # only future years: the earliest
    return year, years


def _list_page(request, delegation_form=None, status=200):
    year, years = _chosen_year(request)
    user = request.user
    context = {
        "year": year,
        "years": years,
        "rows": schedule_selectors.schedule_list(user, year) if year else [],
        "may_open": policies.can_open_schedules(user),
        "may_delegate": policies.can_delegate_approval(user),
        "delegations": list(schedule_selectors.current_delegations(clock.today()))
        if policies.can_see_delegations(user)
        else [],
    }
    if context["may_delegate"]:
        context["delegation_form"] = delegation_form or DelegationForm()
    return render(request, "consultations/schedule/list.html", context, status=status)


@require_GET
@login_required
def schedule_list(request):
    """The schedules of a year, one line per study period."""
    require(policies.can_read_schedules(request.user))
    return _list_page(request)


@login_required
@require_POST
def schedule_open(request):
    """Open a period's schedule, creating its draft the first time."""
    require(policies.can_read_schedules(request.user))
    _require(policies.can_open_schedules(request.user))
    form = OpenScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for es in form.errors.values() for e in es))
        return redirect("consultations:schedules")
    try:
        schedule = schedule_services.schedule_open(
            actor=request.user,
            year=form.cleaned_data["year"],
            period=form.cleaned_data["period"],
            request=request,
        )
    except DomainError as error:
        _refused(request, error)
        return redirect(
            f"{reverse('consultations:schedules')}?"
            f"{urlencode({'year': form.cleaned_data['year'].pk})}"
        )
    return _back(schedule)


@login_required
@require_POST
def delegation_create(request):
    """The director authorises a deputy to approve schedules (R8)."""
    require(policies.can_read_schedules(request.user))
    _require(policies.can_delegate_approval(request.user))
    form = DelegationForm(request.POST)
    if form.is_valid():
        try:
            delegation = schedule_services.approval_delegate(
                actor=request.user, request=request, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s may now approve consultation schedules.")
                % {"name": delegation.deputy.full_name},
            )
            return redirect("consultations:schedules")
    return _list_page(request, delegation_form=form, status=400)


# --- The document -------------------------------------------------------------------


def _week(request, schedule: ScheduleDocument) -> dt.date:
    try:
        return week_start(dt.date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        return boards.default_week(schedule, clock.today())


@require_GET
@login_required
def schedule_detail(request, pk: int):
    """The document: status, the list by organiser, the week grid, the conflicts."""
    schedule = _schedule(request, pk)
    user = request.user
    only = BoardFilterForm.board_filter(request.GET)
    board = boards.schedule_board(schedule, week=_week(request, schedule), only=only)
    filter_form = BoardFilterForm(
        request.GET or None,
        organisers=board.organisers,
        classes=board.classes,
        subjects=board.subjects,
    )
    can_approve = policies.can_approve(user, schedule)
    filters = {k: v for k, v in vars(only).items() if v}
    # The print form and the PDF take the public page's filter names.
    public_names = {
        "school_class": "class",
        "subject": "subject",
        "organiser": "organiser",
    }
    print_query = urlencode({public_names[k]: v for k, v in filters.items()})
    # The week as a grid (default) or as a list of days (readable, printable).
    layout = "days" if request.GET.get("layout") == "days" else "grid"
    grid_query = urlencode(filters)
    if layout == "days":
        filters["layout"] = layout
    context = {
        "schedule": schedule,
        "board": board,
        "grid": week_grid(board),
        "filter_form": filter_form,
        "filtered": only.active,
        "filter_query": urlencode(filters),
        "print_query": print_query,
        "grid_query": grid_query,
        "layout": layout,
        "returns": list(schedule_selectors.returns_of(schedule)[:5])
        if schedule.status == ScheduleDocument.Status.DRAFT
        else [],
        "can_submit": policies.can_submit(user, schedule),
        "can_return": policies.can_return(user, schedule),
        "can_approve": can_approve,
        "can_publish": policies.can_publish(user, schedule),
        "approve_form": ApproveForm(),
        "return_form": ReturnForm(),
    }
    return render(request, "consultations/schedule/detail.html", context)


@login_required
@require_POST
def schedule_submit(request, pk: int):
    schedule = _schedule(request, pk)
    _require(policies.can_submit_schedules(request.user))
    if policies.can_submit(request.user, schedule) and not is_confirmed(request):
        return ask_to_confirm(
            request,
            question=_("Submit the schedule %(name)s for approval?")
            % {"name": schedule},
            details=_(
                "The director is told; the draft cannot be changed until it is "
                "approved or returned."
            ),
            yes=_("Yes, submit"),
            back_url=reverse("consultations:schedule", args=[schedule.pk]),
        )
    try:
        schedule_services.schedule_submit(
            actor=request.user, schedule=schedule, request=request
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The schedule has been submitted for approval."))
    return _back(schedule)


@login_required
@require_POST
def schedule_return(request, pk: int):
    schedule = _schedule(request, pk)
    user = request.user
    _require(policies.can_return_schedules(user))
    form = ReturnForm(request.POST)
    try:
        schedule_services.schedule_return(
            actor=user,
            schedule=schedule,
            # The service says what is missing when the reason is empty.
            reason=form.data.get("reason", "")[:500],
            request=request,
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The schedule has been returned for rework."))
    return _back(schedule)


@login_required
@require_POST
def schedule_approve(request, pk: int):
    """«УТВЕРЖДАЮ» with one action, after reviewing the document."""
    schedule = _schedule(request, pk)
    _require(policies.can_approve(request.user))
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for es in form.errors.values() for e in es))
        return _back(schedule)
    if policies.can_approve(request.user, schedule) and not is_confirmed(request):
        return ask_to_confirm(
            request,
            question=_("Approve the schedule %(name)s?") % {"name": schedule},
            details=_(
                "«УТВЕРЖДАЮ» is put on the document; after it every change is an "
                "amendment with a reason."
            ),
            yes=_("Yes, approve"),
            back_url=reverse("consultations:schedule", args=[schedule.pk]),
        )
    try:
        schedule_services.schedule_approve(
            actor=request.user,
            schedule=schedule,
            order_number=form.cleaned_data["order_number"],
            order_date=form.cleaned_data["order_date"],
            request=request,
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("The schedule is approved (version %(version)s). Publish it next.")
            % {"version": schedule.version},
        )
    return _back(schedule)


@login_required
@require_POST
def schedule_publish(request, pk: int):
    schedule = _schedule(request, pk)
    user = request.user
    _require(policies.can_publish_schedules(user))
    if policies.can_publish(user, schedule) and not is_confirmed(request):
        return ask_to_confirm(
            request,
            question=_("Publish the schedule %(name)s?") % {"name": schedule},
            details=_("Everyone sees it on the public page; the families are told."),
            yes=_("Yes, publish"),
            back_url=reverse("consultations:schedule", args=[schedule.pk]),
        )
    try:
        schedule_services.schedule_publish(
            actor=user, schedule=schedule, request=request
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("The schedule is published: everyone can see it on the public page."),
        )
    return _back(schedule)


# --- Versions -------------------------------------------------------------------------


@require_GET
@login_required
def version_list(request, pk: int):
    schedule = _schedule(request, pk)
    versions = list(schedule_versions.versions_of(schedule))
    numbers = [v.number for v in versions]
    return render(
        request,
        "consultations/schedule/versions.html",
        {
            "schedule": schedule,
            "versions": versions,
            "numbers": sorted(numbers),
            "compare_a": numbers[1] if len(numbers) > 1 else None,
            "compare_b": numbers[0] if numbers else None,
        },
    )


@require_GET
@login_required
def version_detail(request, pk: int, number: int):
    schedule = _schedule(request, pk)
    version = get_object_or_404(
        schedule.versions.select_related("created_by"), number=number
    )
    return render(
        request,
        "consultations/schedule/version.html",
        {
            "schedule": schedule,
            "version": version,
            "groups": schedule_versions.frozen_groups(version.rows),
            "latest": number == schedule.version,
        },
    )


@require_GET
@login_required
def version_compare(request, pk: int):
    """Two versions side by side: rows added, removed and changed (before → after)."""
    schedule = _schedule(request, pk)
    wanted = []
    for name in ("a", "b"):
        value = request.GET.get(name, "")
        if not value.isdigit():
            raise Http404
        wanted.append(int(value))
    versions = {
        v.number: v
        for v in schedule.versions.select_related("created_by").filter(
            number__in=wanted
        )
    }
    if len(versions) != len(set(wanted)):
        raise Http404
    older, newer = versions[min(wanted)], versions[max(wanted)]
    diff = schedule_versions.version_diff(older, newer)
    history = list(schedule_versions.versions_of(schedule))
    return render(
        request,
        "consultations/schedule/compare.html",
        {
            "schedule": schedule,
            "older": older,
            "newer": newer,
            "added": diff["added"],
            "removed": diff["removed"],
            "changed": schedule_versions.changed_rows(diff),
            "numbers": [v.number for v in reversed(history)],
            # Each amendment between the two, with its reason.
            "between": [
                v for v in reversed(history) if older.number < v.number <= newer.number
            ],
        },
    )
