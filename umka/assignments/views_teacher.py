"""A teacher's pages of an assignment: settings, parts, rubric, files,
extensions, grading with the review, returning work."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from umka.assignments import grading, policies, questions, selectors, services
from umka.assignments.forms import (
    AssignmentForm,
    ExtensionForm,
    PartForm,
    ReturnForm,
    RubricForm,
)
from umka.assignments.models import Kind, Part
from umka.core import clock
from umka.core.access import get_visible_or_404, require
from umka.core.errors import DomainError
from umka.courses import policies as spaces


def _upload_url(space) -> str:
    return reverse("courses:image_upload", args=[space.pk])


def _settings(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.FIELDS}


@login_required
def new(request, space_pk: int):
    space = spaces.access_space(request.user, space_pk)
    require(spaces.can_teach_in(request.user, space))
    now = clock.local(clock.now()).replace(second=0, microsecond=0)
    form = AssignmentForm(
        request.POST or None,
        space=space,
        upload_url=_upload_url(space),
        initial={
            "opens_at": now,
            "due_at": now.replace(hour=20, minute=0) + dt.timedelta(days=7),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(
                actor=request.user, space=space, request=request, **_settings(form)
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("assignments:detail", assignment.pk)
    return render(
        request, "assignments/edit.html", {"form": form, "space": space, "new": True}
    )


@login_required
def edit(request, pk: int):
    assignment = policies.access_assignment_to_edit(request.user, pk)
    initial = {name: getattr(assignment, name) for name in services.FIELDS}
    form = AssignmentForm(
        request.POST or None,
        space=assignment.space,
        upload_url=_upload_url(assignment.space),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_update(
                actor=request.user,
                assignment=assignment,
                request=request,
                **_settings(form),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("assignments:detail", assignment.pk)
    return render(
        request,
        "assignments/edit.html",
        {"form": form, "space": assignment.space, "assignment": assignment},
    )


@login_required
@require_POST
def publish(request, pk: int):
    assignment = policies.access_assignment_to_edit(request.user, pk)
    try:
        services.assignment_publish(
            actor=request.user, assignment=assignment, request=request
        )
        messages.success(request, _("The assignment is published."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("assignments:detail", assignment.pk)


@login_required
@require_POST
def delete(request, pk: int):
    assignment = policies.access_assignment_to_edit(request.user, pk)
    space_pk = assignment.space_id
    try:
        services.assignment_delete(
            actor=request.user, assignment=assignment, request=request
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("assignments:detail", assignment.pk)
    return redirect("courses:space", space_pk)


def _part_form_page(request, assignment, kind, part=None):
    initial = {}
    if part is not None:
        initial = {
            "text": part.text,
            "points": part.points,
            "feedback": part.feedback,
            **questions.form_from_data(part.kind, part.data),
        }
    form = PartForm(
        request.POST or None,
        kind=kind,
        upload_url=_upload_url(assignment.space),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = questions.data_from_form(kind, form.cleaned_data)
            values = {
                "text": form.cleaned_data["text"],
                "data": data,
                "points": form.cleaned_data["points"],
                "feedback": form.cleaned_data["feedback"],
            }
            if part is None:
                services.part_add(
                    actor=request.user,
                    assignment=assignment,
                    kind=kind,
                    request=request,
                    **values,
                )
            else:
                services.part_update(
                    actor=request.user, part=part, request=request, **values
                )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect(
                reverse("assignments:detail", args=[assignment.pk]) + "#parts"
            )
    return render(
        request,
        "assignments/part.html",
        {
            "form": form,
            "assignment": assignment,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "part": part,
        },
    )


@login_required
def part_new(request, pk: int):
    assignment = policies.access_assignment_to_edit(request.user, pk)
    kind = request.GET.get("kind") or request.POST.get("kind") or Kind.SINGLE
    if kind not in Kind.values:
        kind = Kind.SINGLE
    return _part_form_page(request, assignment, kind)


def _own_part(request, pk: int) -> Part:
    part = get_visible_or_404(
        Part.objects.filter(
            assignment__in=policies.assignments_visible_to(request.user)
        ).select_related("assignment", "assignment__space"),
        pk=pk,
    )
    policies.access_assignment_to_edit(request.user, part.assignment_id)
    return part


@login_required
def part_edit(request, pk: int):
    part = _own_part(request, pk)
    return _part_form_page(request, part.assignment, part.kind, part)


@login_required
@require_POST
def part_change(request, pk: int):
    """Remove a part, or move it up or down."""
    part = _own_part(request, pk)
    action = request.POST.get("action")
    try:
        if action == "remove":
            services.part_remove(actor=request.user, part=part, request=request)
        elif action in ("up", "down"):
            services.part_move(
                actor=request.user, part=part, up=action == "up", request=request
            )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(reverse("assignments:detail", args=[part.assignment_id]) + "#parts")


@login_required
def from_bank(request, pk: int):
    assignment = policies.access_assignment_to_edit(request.user, pk)
    bank = policies.bank_visible_to(request.user).select_related("program_part")
    if request.method == "POST":
        chosen = list(bank.filter(pk__in=request.POST.getlist("question")))
        try:
            services.parts_from_bank(
                actor=request.user,
                assignment=assignment,
                bank_questions=chosen,
                request=request,
            )
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(reverse("assignments:detail", args=[assignment.pk]) + "#parts")
    if assignment.program_part_id and request.GET.get("all") != "1":
        bank = bank.filter(program_part=assignment.program_part_id)
    return render(
        request,
        "assignments/from_bank.html",
        {"assignment": assignment, "bank": bank.order_by("category", "pk")},
    )


@login_required
def rubric(request, pk: int):
    assignment = policies.access_assignment_to_edit(request.user, pk)
    current = "\n".join(
        f"{c.title} | {c.max_points.normalize():f}" for c in assignment.criteria.all()
    )
    form = RubricForm(request.POST or None, initial={"rows": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.criteria_set(
                actor=request.user,
                assignment=assignment,
                rows=form.parsed(),
                request=request,
            )
        except (DomainError, ArithmeticError) as error:
            form.add_error(None, getattr(error, "message", _("Check the points.")))
        else:
            return redirect("assignments:detail", assignment.pk)
    return render(
        request, "assignments/rubric.html", {"form": form, "assignment": assignment}
    )


@login_required
@require_POST
def files(request, pk: int):
    assignment = policies.access_assignment_to_edit(request.user, pk)
    try:
        services.assignment_files_add(
            actor=request.user,
            assignment=assignment,
            files=request.FILES.getlist("files"),
            request=request,
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("assignments:detail", assignment.pk)


@login_required
@require_POST
def extension(request, pk: int):
    assignment = policies.access_assignment_to_edit(request.user, pk)
    form = ExtensionForm(request.POST, students=spaces.students_of(assignment.space))
    if form.is_valid():
        try:
            services.extension_grant(
                actor=request.user,
                assignment=assignment,
                student=form.cleaned_data["student"],
                due_at=form.cleaned_data["due_at"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
            messages.success(request, _("The extension is saved."))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Choose the student and the new due date."))
    return redirect("assignments:detail", assignment.pk)


def _grade_post(request, submission):
    post = request.POST
    parts = [a.part for a in submission.answers.select_related("part")]
    return grading.submission_grade(
        actor=request.user,
        submission=submission,
        version=int(post.get("version", -1)),
        review=post.get("review", ""),
        mark=post.get("mark"),
        passed={"1": True, "0": False}.get(post.get("passed", "")),
        scores={p.pk: post.get(f"score_{p.pk}") for p in parts},
        reasons={p.pk: post.get(f"reason_{p.pk}", "") for p in parts},
        rubric={
            c.pk: post.get(f"criterion_{c.pk}")
            for c in submission.assignment.criteria.all()
        },
        request=request,
    )


@login_required
def grade(request, pk: int):
    """Grade a submission and write the review (R6)."""
    submission = policies.access_submission_to_grade(request.user, pk)
    error, status = "", 200
    if request.method == "POST":
        try:
            _grade_post(request, submission)
        except (DomainError, ValueError) as failure:
            error = getattr(failure, "message", "") or _("Check the form.")
            status = 409 if getattr(failure, "code", "") == "stale" else 400
            # What the other teacher saved is shown; saving again is deliberate.
            submission = policies.access_submission_to_grade(request.user, pk)
        else:
            messages.success(request, _("The grade and the review are saved."))
            return redirect("courses:queue")
    answers = selectors.answers_of(submission)
    if error:
        # What the teacher typed stays on the form (scores, reasons, review).
        for answer in answers:
            answer.typed_score = request.POST.get(f"score_{answer.part_id}")
            answer.typed_reason = request.POST.get(f"reason_{answer.part_id}")
    return render(
        request,
        "assignments/grade.html",
        {
            "submission": submission,
            "assignment": submission.assignment,
            "answers": answers,
            "rubric": selectors.rubric_rows(submission),
            "error": error,
            "posted": request.POST if error else None,
            "upload_url": _upload_url(submission.assignment.space),
        },
        status=status,
    )


@login_required
@require_POST
def return_work(request, pk: int):
    submission = policies.access_submission_to_grade(request.user, pk)
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Say what to redo."))
        grading.submission_return(
            actor=request.user,
            submission=submission,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
        messages.success(request, _("The work is returned to the student."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("assignments:submission", submission.pk)
