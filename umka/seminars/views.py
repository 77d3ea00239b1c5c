"""Seminar pages for everyone who sees them: the seminar (the phases and one
line of what to do; the student's work and the works given to them; a parent's
child's work; the teacher's panel), submitting, a work, assessing one, files."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from umka.core.downloads import download
from umka.core.errors import DomainError
from umka.seminars import assessing, phases, policies, selectors, submitting
from umka.seminars.forms import WorkForm
from umka.seminars.models import Phase, WorkFile
from umka.seminars.views_teacher import manage_context


def _upload_url(seminar) -> str:
    return reverse("courses:image_upload", args=[seminar.space_id])


def _student_context(request, seminar, form=None, error=""):
    user = request.user
    work = selectors.work_of(seminar, user)
    given = selectors.given_to(seminar, user)
    done = sum(1 for a in given if a.done)
    may_submit = policies.can_submit(user, seminar)
    if form is None and may_submit:
        form = WorkForm(
            initial={"title": work.title, "text": work.text} if work else None
        )
    if form is not None:
        form.fields["text"].widget.attrs["data-image-upload"] = _upload_url(seminar)
    return {
        "work": work,
        "given": given,
        "todo": phases.student_todo(seminar, work, len(given), done),
        "may_submit": may_submit,
        "refusal": submitting.refusal(seminar) if may_submit else None,
        "form": form,
        "token": request.POST.get("token") or uuid.uuid4(),
        "error": error,
        "shows_received": not seminar.is_before(Phase.GRADING),
        "received": selectors.received(work)
        if work and not seminar.is_before(Phase.GRADING)
        else [],
    }


def _page(request, seminar, **extra):
    user = request.user
    context = {
        "seminar": seminar,
        "steps": phases.steps(seminar),
        "criteria": list(seminar.criteria.all()),
        "upload_url": _upload_url(seminar),
    }
    if policies.teaches(user, seminar):
        context.update(manage_context(request, seminar))
        return render(request, "seminars/manage.html", context)
    if user.is_student:
        context.update(_student_context(request, seminar, **extra))
    context["children_works"] = selectors.family_works(seminar, user)
    status = 400 if extra.get("error") else 200
    return render(request, "seminars/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _page(request, policies.access_seminar(request.user, pk))


@login_required
@require_POST
def submit(request, pk: int):
    seminar = policies.access_seminar(request.user, pk)
    if not policies.can_submit(request.user, seminar):
        raise Http404
    form = WorkForm(request.POST)
    if not form.is_valid():
        return _page(request, seminar, form=form, error=_("Check the form."))
    try:
        work = submitting.work_submit(
            actor=request.user,
            seminar=seminar,
            token=request.POST.get("token"),
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            files=request.FILES.getlist("files"),
            remove_files=request.POST.getlist("remove_file"),
            request=request,
        )
    except DomainError as error:
        return _page(request, seminar, form=form, error=error.message)
    messages.success(request, _("Your work is submitted."))
    return redirect("seminars:work", work.pk)


@login_required
def work_page(request, pk: int):
    """A work: its text and files; for the author, their parents and the
    teachers also the assessments it received and the grades with the review.
    An assessor sees the work without its author's name."""
    work = policies.access_work(request.user, pk)
    seminar = work.seminar
    user = request.user
    teaches = policies.teaches(user, seminar)
    family = work.author_id == user.pk or work.author_id in {
        w.author_id for w in selectors.family_works(seminar, user)
    }
    shows_received = teaches or (family and not seminar.is_before(Phase.GRADING))
    return render(
        request,
        "seminars/work.html",
        {
            "work": work,
            "seminar": seminar,
            "steps": phases.steps(seminar),
            "teaches": teaches,
            "family": family,
            "shows_names": policies.shows_names(user, work),
            "received": selectors.received(work) if shows_received else [],
            "criteria": list(seminar.criteria.all()),
            "files": list(work.files.all()),
            "may_grade": policies.can_grade(user, work)
            and not seminar.is_before(Phase.GRADING),
            "mine": next(
                (a for a in selectors.given_to(seminar, user) if a.work_id == work.pk),
                None,
            ),
        },
    )


def _assess_page(request, work, assessment, *, error="", status=200):
    seminar = work.seminar
    criteria = list(seminar.criteria.all())
    typed = request.POST if error else None
    for c in criteria:
        key = str(c.pk)
        c.chosen = (
            typed.get(f"c{c.pk}")
            if typed is not None
            else (str(assessment.scores.get(key, "")) if assessment else "")
        )
        c.choices = [str(p) for p in range(c.max_points, -1, -1)]
    return render(
        request,
        "seminars/assess.html",
        {
            "work": work,
            "seminar": seminar,
            "steps": phases.steps(seminar),
            "assessment": assessment,
            "criteria": criteria,
            "files": list(work.files.all()) if assessment else [],
            "comment": typed.get("comment", "")
            if typed is not None
            else (assessment.comment if assessment else ""),
            "error": error,
            "open": assessment is not None and phases.assessment_open(seminar),
            "upload_url": _upload_url(seminar),
        },
        status=status,
    )


@login_required
def assess(request, pk: int):
    """Assess a work given to you (R6). Your own work, or one not given to you
    (a crafted address), is refused with the reason; nothing is stored."""
    work = policies.access_work(request.user, pk)
    try:
        assessment = assessing.assessment_for(request.user, work)
    except DomainError as error:
        return _assess_page(request, work, None, error=error.message, status=403)
    if request.method == "POST":
        scores = {
            c.pk: request.POST.get(f"c{c.pk}") for c in work.seminar.criteria.all()
        }
        try:
            assessing.assessment_submit(
                actor=request.user,
                work=work,
                scores=scores,
                comment=request.POST.get("comment", ""),
                request=request,
            )
        except DomainError as error:
            status = 403 if error.code in ("own", "not_allocated") else 400
            return _assess_page(
                request, work, assessment, error=error.message, status=status
            )
        messages.success(request, _("Your assessment is saved."))
        return redirect("seminars:detail", work.seminar_id)
    return _assess_page(request, work, assessment)


@login_required
def work_file(request, pk: int):
    item = WorkFile.objects.filter(
        pk=pk, work__in=policies.works_visible_to(request.user)
    ).first()
    if item is None:
        raise Http404
    return download(item.file, item.name)
