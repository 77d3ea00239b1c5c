"""The teacher's question bank: list by program part, edit, GIFT import/export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from umka.assignments import bank, policies, questions
from umka.assignments.forms import BankQuestionForm, GiftImportForm
from umka.assignments.models import Kind
from umka.core.access import require
from umka.core.errors import DomainError
from umka.school.models import ProgramPart, TeachingAssignment


def _parts_of(user):
    subjects = TeachingAssignment.objects.filter(teacher=user).values("subject")
    return ProgramPart.objects.filter(subject__in=subjects).select_related("subject")


@login_required
def index(request):
    require(policies.can_use_bank(request.user))
    found = policies.bank_visible_to(request.user).select_related(
        "program_part", "subject"
    )
    part = request.GET.get("part")
    if part:
        found = found.filter(program_part=part)
    return render(
        request,
        "assignments/bank.html",
        {
            "questions": found.order_by("program_part__number", "category", "pk"),
            "parts": _parts_of(request.user),
            "part": part,
            "kinds": Kind.choices,
        },
    )


def _edit(request, kind: str, question=None):
    initial = {}
    if question is not None:
        initial = {
            "text": question.text,
            "points": question.points,
            "feedback": question.feedback,
            "name": question.name,
            "category": question.category,
            "program_part": question.program_part_id,
            **questions.form_from_data(question.kind, question.data),
        }
    form = BankQuestionForm(
        request.POST or None, kind=kind, parts=_parts_of(request.user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            bank.bank_question_save(
                actor=request.user,
                question=question,
                kind=kind,
                text=values["text"],
                data=questions.data_from_form(kind, values),
                points=values["points"],
                feedback=values["feedback"],
                name=values["name"],
                category=values["category"],
                program_part=values["program_part"],
                request=request,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("assignments:bank")
    return render(
        request,
        "assignments/bank_question.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "question": question,
        },
    )


@login_required
def question_new(request):
    require(policies.can_use_bank(request.user))
    kind = request.GET.get("kind") or request.POST.get("kind")
    return _edit(request, kind if kind in Kind.values else Kind.SINGLE)


@login_required
def question_edit(request, pk: int):
    question = policies.access_bank_question(request.user, pk)
    return _edit(request, question.kind, question)


@login_required
@require_POST
def question_delete(request, pk: int):
    question = policies.access_bank_question(request.user, pk)
    bank.bank_question_delete(actor=request.user, question=question, request=request)
    return redirect("assignments:bank")


@login_required
def gift_import(request):
    require(policies.can_use_bank(request.user))
    form = GiftImportForm(
        request.POST or None, request.FILES or None, parts=_parts_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data["file"]
            text = (
                bank.read_gift_upload(upload) if upload else form.cleaned_data["text"]
            )
            made = bank.bank_import_gift(
                actor=request.user,
                text=text,
                program_part=form.cleaned_data["program_part"],
                request=request,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Questions imported: %(count)s.") % {"count": len(made)},
            )
            return redirect("assignments:bank")
    return render(request, "assignments/gift_import.html", {"form": form})


@login_required
def gift_export(request):
    require(policies.can_use_bank(request.user))
    found = policies.bank_visible_to(request.user)
    if request.GET.get("part"):
        found = found.filter(program_part=request.GET["part"])
    response = HttpResponse(
        bank.bank_export_gift(found), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="questions.gift.txt"'
    return response
