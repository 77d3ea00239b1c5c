"""Assignment pages for everyone who sees them: the assignment (instructions, the
answer form for its students, the work of one's children for parents, the
overview for its teachers), submitting, a submission and its files."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from umka.accounts.policies import children_of
from umka.assignments import answering, policies, selectors
from umka.assignments.forms import ExtensionForm, ReturnForm
from umka.assignments.models import AnswerFile, AssignmentFile, Submission
from umka.assignments.submitting import (
    attempts_state,
    effective_due,
    refusal,
    submission_submit,
)
from umka.core import clock
from umka.core.downloads import download
from umka.core.errors import DomainError
from umka.courses import policies as spaces


def _answer_context(request, assignment, responses=None, error=""):
    parts = list(assignment.parts.order_by("position"))
    return {
        "parts": answering.part_views(parts, request.user.pk, responses),
        "token": request.POST.get("token") or uuid.uuid4(),
        "error": error,
    }


@login_required
def detail(request, pk: int):
    assignment = policies.access_assignment(request.user, pk)
    user = request.user
    teaches = spaces.is_space_teacher(user, assignment.space) or spaces.oversees_spaces(
        user
    )
    context = {
        "assignment": assignment,
        "files": list(assignment.files.all()),
        "upload_url": reverse("courses:image_upload", args=[assignment.space_id]),
    }
    if teaches:
        students = spaces.students_of(assignment.space).order_by("last_name", "pk")
        context.update(
            teaches=True,
            may_edit=policies.can_edit(user, assignment),
            parts=list(assignment.parts.order_by("position")),
            criteria=list(assignment.criteria.all()),
            roster=selectors.roster(assignment, students),
            extension_form=ExtensionForm(students=students),
        )
        return render(request, "assignments/manage.html", context)
    now = clock.now()
    if policies.can_submit(user, assignment):
        refused = refusal(assignment, user, now)
        context.update(_answer_context(request, assignment))
        context.update(
            may_submit=refused is None,
            refusal=refused,
            state=attempts_state(assignment, user),
            due=effective_due(assignment, user),
        )
    family = [user.pk] if user.is_student else []
    if user.is_parent:
        family += list(children_of(user).values_list("pk", flat=True))
    context["submissions"] = list(
        Submission.objects.filter(assignment=assignment, student__in=family)
        .select_related("student")
        .order_by("student__last_name", "attempt")
    )
    return render(request, "assignments/detail.html", context)


@login_required
@require_POST
def submit(request, pk: int):
    assignment = policies.access_assignment(request.user, pk)
    if not policies.can_submit(request.user, assignment):
        raise Http404
    parts = list(assignment.parts.order_by("position"))
    responses = answering.read_responses(parts, request.POST)
    files = {p.pk: request.FILES.getlist(f"p{p.pk}_files") for p in parts}
    try:
        answering.ordering_to_order(parts, responses)
        submission = submission_submit(
            actor=request.user,
            assignment=assignment,
            token=request.POST.get("token", ""),
            responses=responses,
            files=files,
            request=request,
        )
    except (DomainError, ValueError) as error:
        message = getattr(error, "message", "") or _("Check the form and send again.")
        context = {
            "assignment": assignment,
            "files": list(assignment.files.all()),
            "state": attempts_state(assignment, request.user),
            "due": effective_due(assignment, request.user),
            "may_submit": True,
            "submissions": list(
                Submission.objects.filter(assignment=assignment, student=request.user)
            ),
            "upload_url": reverse("courses:image_upload", args=[assignment.space_id]),
            **_answer_context(request, assignment, responses, error=message),
        }
        return render(request, "assignments/detail.html", context, status=400)
    messages.success(request, _("Your work is submitted."))
    return redirect("assignments:submission", submission.pk)


@login_required
def submission_page(request, pk: int):
    """A submission: answers, scores (as the teacher chose to show them), the
    grade and the written review — for the student, their parents, teachers."""
    submission = policies.access_submission(request.user, pk)
    answers = selectors.answers_of(submission)
    may_grade = policies.can_grade(request.user, submission)
    return render(
        request,
        "assignments/submission.html",
        {
            "submission": submission,
            "assignment": submission.assignment,
            "answers": answers,
            "show_scores": policies.shows_scores(submission, request.user),
            "may_grade": may_grade,
            "rubric": selectors.rubric_rows(submission),
            "return_form": ReturnForm(initial={"version": submission.version})
            if may_grade
            else None,
        },
    )


def _download(files, pk: int):
    """A file of `files` (already narrowed to what the person may see), or 404."""
    item = files.filter(pk=pk).first()
    if item is None:
        raise Http404
    return download(item.file, item.name)


@login_required
def assignment_file(request, pk: int):
    return _download(
        AssignmentFile.objects.filter(
            assignment__in=policies.assignments_visible_to(request.user)
        ),
        pk,
    )


@login_required
def answer_file(request, pk: int):
    return _download(
        AnswerFile.objects.filter(
            answer__submission__in=policies.submissions_visible_to(request.user)
        ),
        pk,
    )
