"""A consultation's page and its sessions (/consultations/<id>/, /sessions/…): move,
cancel, mark held, and the attestation checklist with its materials (R12).
"""

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from umka.consultations import policies, wall_clock
from umka.consultations.models import (
    ChecklistItem,
    Consultation,
    Occurrence,
)
from umka.consultations.planning import held as held_services
from umka.consultations.planning import selectors
from umka.consultations.planning import services as planning_services
from umka.consultations.planning.forms_sessions import (
    CancelForm,
    ChecklistItemForm,
    MaterialForm,
    MoveForm,
)
from umka.core import clock
from umka.core.downloads import download
from umka.core.errors import messages_of


def _consultation(request, pk: int) -> Consultation:
    return policies.access_consultation(
        request.user, pk, related=selectors.consultation_page
    )


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
    may_act = policies.can_conduct(user, consultation)
    may_change = policies.can_change(user, consultation)
    context = {
        "consultation": consultation,
        "sessions": _session_rows(consultation, may_act, timezone.now()),
        "may_act": may_act,
        "may_change": may_change,
        "may_remove": policies.can_remove(user, consultation),
        "staff_view": policies.sees_chosen_students(user, consultation),
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
    consultation = policies.access_consultation_to_conduct(
        request.user, pk, related=selectors.consultation_page
    )
    try:
        planning_services.consultation_remove(
            actor=request.user, consultation=consultation, request=request
        )
    except ValidationError as error:
        return _render_detail(request, consultation, error=" ".join(messages_of(error)))
    messages.success(request, _("The consultation has been removed from the draft."))
    return redirect("consultations:mine")


def _occurrence(request, pk: int) -> Occurrence:
    return policies.access_occurrence(
        request.user, pk, related=selectors.occurrence_page
    )


def _occurrence_for_action(request, pk: int) -> Occurrence:
    return policies.access_occurrence_to_conduct(
        request.user, pk, related=selectors.occurrence_page
    )


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
    item_forms: dict | None = None,
):
    user = request.user
    consultation = occurrence.consultation
    may_act = policies.can_conduct(user, consultation)
    now = timezone.now()
    planned = occurrence.status == Occurrence.Status.PLANNED
    items = []
    if consultation.is_attestation:
        for item in selectors.checklist_of(occurrence):
            failed = item.pk == failed_item
            items.append(
                {
                    "item": item,
                    "form": (item_forms or {}).get(item.pk)
                    or (
                        item_form
                        if failed and item_form is not None
                        else ChecklistItemForm(
                            initial={"done": item.done, "note": item.note},
                            prefix=f"item{item.pk}",
                        )
                    ),
                    "material_form": material_form
                    if failed and material_form is not None
                    else MaterialForm(prefix=f"material{item.pk}"),
                }
            )
    for entry in items:
        # The three items' fields belong to one form (one save, issue 14), while
        # each item keeps its own form for attaching materials.
        for field in entry["form"].fields.values():
            field.widget.attrs["form"] = "checklist-form"
    missing = [i["item"].get_kind_display() for i in items if not i["item"].done]
    context = {
        "occurrence": occurrence,
        "consultation": consultation,
        "may_act": may_act,
        "may_change": policies.can_change(user, consultation),
        "staff_view": policies.sees_chosen_students(user, consultation),
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
            planning_services.occurrence_move(
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
            planning_services.occurrence_cancel(
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
        held_services.occurrence_mark_held(
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
        held_services.occurrence_unmark_held(
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


def _checklist_item(request, pk: int) -> ChecklistItem:
    return policies.access_checklist_item(
        request.user, pk, related=selectors.checklist_item_page
    )


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
            held_services.checklist_item_set(
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
def checklist_save(request, pk: int):
    """The whole attestation checklist of a session in one save (R12): every item
    whose mark or note changed goes through `checklist_item_set`, all or nothing."""
    occurrence = _occurrence_for_action(request, pk)
    items = list(selectors.checklist_of(occurrence))
    forms = {
        item.pk: ChecklistItemForm(request.POST, prefix=f"item{item.pk}")
        for item in items
    }
    if not all(form.is_valid() for form in forms.values()):
        return _render_session(request, occurrence, item_forms=forms)
    try:
        with transaction.atomic():
            for item in items:
                data = forms[item.pk].cleaned_data
                if (data["done"], data["note"]) == (item.done, item.note):
                    continue
                held_services.checklist_item_set(
                    actor=request.user,
                    item=item,
                    done=data["done"],
                    note=data["note"],
                    request=request,
                )
    except ValidationError as error:
        occurrence.refresh_from_db()
        return _render_session(
            request,
            occurrence,
            item_forms=forms,
            error=" ".join(messages_of(error)),
        )
    messages.success(request, _("The checklist is saved."))
    return redirect(
        reverse("consultations:session", args=[occurrence.pk]) + "#checklist"
    )


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
            held_services.checklist_material_add(
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
    found = policies.access_material(request.user, pk)
    return download(found.file, PurePosixPath(found.file.name).name)
