"""Glossary pages: browse a space's glossary (letters, search, program part),
propose and correct a term, an entry, the teacher's decision (approve, return
with a comment, grade with a review), delete, the printable glossary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from umka.core.errors import DomainError
from umka.courses import policies as spaces
from umka.glossary import policies, selectors, services
from umka.glossary.forms import EntryForm, GradeForm, ReturnForm, program_parts
from umka.glossary.models import Entry
from umka.glossary.text import RUSSIAN, aliases_of, term_key


def _upload_url(space) -> str:
    return reverse("courses:image_upload", args=[space.pk])


def _part(request, space):
    value = request.GET.get("part", "")
    if not value.isdigit():
        return None
    return program_parts(space).filter(pk=value).first()


@login_required
def index(request, space_pk: int):
    space = spaces.access_space(request.user, space_pk)
    letter = request.GET.get("letter", "")[:1]
    query = request.GET.get("q", "").strip()[:100]
    part = _part(request, space)
    used = selectors.letters(space)
    return render(
        request,
        "glossary/index.html",
        {
            "space": space,
            "entries": selectors.approved(space, letter=letter, query=query, part=part),
            "alphabet": [
                (c, c in used) for c in RUSSIAN.upper() if c not in "ЪЬЫ" or c in used
            ],
            "others": [c for c in used if c.upper() not in RUSSIAN.upper()],
            "letter": letter,
            "query": query,
            "part": part,
            "parts": program_parts(space),
            "may_propose": policies.can_propose(request.user, space),
            "waiting": selectors.waiting(space)
            if policies.sees_queue(request.user, space)
            else [],
            "mine": selectors.proposals_of(space, request.user),
        },
    )


def _save(request, space, entry=None):
    form = EntryForm(
        request.POST or None,
        space=space,
        upload_url=_upload_url(space),
        initial={
            "term": entry.term,
            "aliases": entry.aliases,
            "definition": entry.definition,
            "program_part": entry.program_part,
        }
        if entry
        else None,
    )
    duplicate = None
    if request.method == "POST" and form.is_valid():
        values = {
            "term": form.cleaned_data["term"],
            "definition": form.cleaned_data["definition"],
            "aliases": form.cleaned_data["aliases"],
            "program_part": form.cleaned_data["program_part"],
        }
        try:
            if entry is None:
                entry = services.entry_propose(
                    actor=request.user, space=space, request=request, **values
                )
                messages.success(
                    request,
                    _("The term is in the glossary.")
                    if entry.status == Entry.Status.APPROVED
                    else _("The term is proposed: the teacher will look at it."),
                )
            else:
                entry = services.entry_update(
                    actor=request.user,
                    entry=entry,
                    version=request.POST.get("version", entry.version),
                    request=request,
                    **values,
                )
                messages.success(request, _("The entry is saved."))
        except DomainError as error:
            form.add_error(None, error.message)
            if error.code == "duplicate":
                duplicate = services.duplicate_of(
                    space,
                    [term_key(values["term"])]
                    + [term_key(a) for a in aliases_of(values["aliases"])],
                    exclude=entry,
                )
        else:
            return redirect("glossary:entry", entry.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "glossary/edit.html",
        {"form": form, "space": space, "entry": entry, "duplicate": duplicate},
        status=status,
    )


@login_required
def new(request, space_pk: int):
    space = spaces.access_space(request.user, space_pk)
    if not policies.can_propose(request.user, space):
        raise Http404
    return _save(request, space)


@login_required
def edit(request, pk: int):
    entry = policies.access_entry_to_change(request.user, pk)
    return _save(request, entry.space, entry)


@login_required
def entry_page(request, pk: int):
    entry = policies.access_entry(request.user, pk)
    return render(
        request,
        "glossary/entry.html",
        {
            "entry": entry,
            "space": entry.space,
            "sees_grade": policies.can_see_grade(request.user, entry),
            "names_author": policies.sees_queue(request.user, entry.space),
            "may_change": policies.can_change(request.user, entry),
            "may_decide": policies.can_decide(request.user, entry),
        },
    )


@login_required
def decide(request, pk: int):
    """The teacher approves, returns with a comment, or grades (R6)."""
    entry = policies.access_entry_to_decide(request.user, pk)
    error, status = "", 200
    return_form = ReturnForm(initial={"version": entry.version})
    grade_form = GradeForm(
        initial={"version": entry.version, "mark": entry.mark, "review": entry.review}
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.entry_approve(
                    actor=request.user,
                    entry=entry,
                    version=request.POST.get("version"),
                    request=request,
                )
                messages.success(request, _("The entry is approved."))
            elif action == "return":
                return_form = ReturnForm(request.POST)
                if not return_form.is_valid():
                    raise DomainError(_("Say what to correct."))
                services.entry_return(
                    actor=request.user,
                    entry=entry,
                    request=request,
                    **return_form.cleaned_data,
                )
                messages.success(request, _("The entry is returned to its author."))
            elif action == "grade":
                grade_form = GradeForm(request.POST)
                if not grade_form.is_valid():
                    raise DomainError(_("Check the form."))
                services.entry_grade(
                    actor=request.user,
                    entry=entry,
                    request=request,
                    **grade_form.cleaned_data,
                )
                messages.success(request, _("The grade and the review are saved."))
            else:
                raise Http404
        except DomainError as failure:
            error = failure.message
            status = 409 if failure.code == "stale" else 400
            entry = policies.access_entry_to_decide(request.user, pk)
        else:
            return redirect("glossary:index", entry.space_id)
    return render(
        request,
        "glossary/decide.html",
        {
            "entry": entry,
            "space": entry.space,
            "error": error,
            "return_form": return_form,
            "grade_form": grade_form,
            "version": entry.version,
        },
        status=status,
    )


@login_required
@require_POST
def delete(request, pk: int):
    entry = policies.access_entry_to_change(request.user, pk)
    space_pk = entry.space_id
    try:
        services.entry_delete(actor=request.user, entry=entry, request=request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("glossary:entry", pk)
    messages.success(request, _("The entry is deleted."))
    return redirect("glossary:index", space_pk)


@login_required
def printable(request, space_pk: int):
    """The glossary of a program part (or all of it) on A4, alphabetical."""
    space = spaces.access_space(request.user, space_pk)
    part = _part(request, space)
    return render(
        request,
        "glossary/print.html",
        {"space": space, "part": part, "entries": selectors.approved(space, part=part)},
    )
