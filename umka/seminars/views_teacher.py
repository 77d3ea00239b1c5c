"""The teacher's seminar pages: new, settings, criteria, switching the phase,
the allocation (by hand too), taking a student out, grading a work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from umka.core.errors import DomainError
from umka.courses import policies as spaces
from umka.seminars import (
    assessing,
    grading,
    phases,
    policies,
    selectors,
    services,
)
from umka.seminars.forms import GradeForm, SeminarForm, WithdrawForm
from umka.seminars.models import Phase, Seminar

#: Empty rows the criteria form offers for new criteria.
NEW_CRITERIA_ROWS = 3


def manage_context(request, seminar) -> dict:
    counts = selectors.counts(seminar)
    return {
        "teaches": True,
        "may_edit": policies.can_edit(request.user, seminar),
        "counts": counts,
        "todo": phases.teacher_todo(seminar, counts),
        "next_phase": phases.next_phase(seminar),
        "next_label": Phase(phases.next_phase(seminar)).label
        if phases.next_phase(seminar)
        else "",
        "roster": selectors.roster(seminar),
        "withdraw_form": WithdrawForm(),
    }


def _values(form) -> dict:
    return {field: form.cleaned_data[field] for field in services.FIELDS}


@login_required
def new(request, space_pk: int):
    space = spaces.access_space(request.user, space_pk)
    if not spaces.can_teach_in(request.user, space):
        raise Http404
    upload_url = reverse("courses:image_upload", args=[space.pk])
    form = SeminarForm(
        request.POST or None,
        space=space,
        upload_url=upload_url,
        initial={"allocation": Seminar.Allocation.RANDOM},
    )
    if request.method == "POST" and form.is_valid():
        try:
            seminar = services.seminar_create(
                actor=request.user, space=space, request=request, **_values(form)
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The seminar is created: add its criteria."))
            return redirect("seminars:criteria", seminar.pk)
    return render(
        request, "seminars/edit.html", {"form": form, "space": space, "seminar": None}
    )


@login_required
def edit(request, pk: int):
    seminar = policies.access_seminar_to_edit(request.user, pk)
    upload_url = reverse("courses:image_upload", args=[seminar.space_id])
    initial = {field: getattr(seminar, field) for field in services.FIELDS}
    form = SeminarForm(
        request.POST or None,
        space=seminar.space,
        upload_url=upload_url,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.seminar_update(
                actor=request.user, seminar=seminar, request=request, **_values(form)
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The seminar is saved."))
            return redirect("seminars:detail", seminar.pk)
    return render(
        request,
        "seminars/edit.html",
        {"form": form, "space": seminar.space, "seminar": seminar},
    )


def _typed_criteria(post) -> list[dict]:
    """The criteria rows as typed (shown again after a refusal)."""
    return [
        {
            "title": post.get(f"title_{n}", "").strip(),
            "max_points": post.get(f"points_{n}", "").strip(),
            "levels_text": post.get(f"levels_{n}", ""),
        }
        for n in range(_row_count(post))
    ]


def _row_count(post) -> int:
    try:
        return max(0, min(int(post.get("rows") or 0), services.MAX_CRITERIA * 2))
    except ValueError:
        return 0


def _read_criteria(rows: list[dict]) -> list[dict]:
    read = []
    for n, row in enumerate(rows, start=1):
        if not (row["title"] or row["max_points"]):
            continue
        try:
            points = int(row["max_points"])
        except ValueError:
            raise DomainError(
                _("«%(title)s»: give the maximum points as a whole number.")
                % {"title": row["title"] or n}
            ) from None
        read.append(
            {
                "title": row["title"],
                "max_points": points,
                "levels": services.parse_levels(row["levels_text"]),
            }
        )
    return read


@login_required
def criteria(request, pk: int):
    seminar = policies.access_seminar_to_edit(request.user, pk)
    error, status = "", 200
    rows = [
        {
            "title": c.title,
            "max_points": c.max_points,
            "levels_text": "\n".join(
                f"{lv['points']} — {lv['text']}" for lv in c.levels
            ),
        }
        for c in seminar.criteria.all()
    ]
    if request.method == "POST":
        try:
            rows = _typed_criteria(request.POST)
            services.criteria_set(
                actor=request.user,
                seminar=seminar,
                criteria=_read_criteria(rows),
                request=request,
            )
        except DomainError as failure:
            error, status = failure.message, 400
        else:
            messages.success(request, _("The criteria are saved."))
            return redirect("seminars:detail", seminar.pk)
    rows = [r for r in rows if r["title"] or r["max_points"]]
    rows += [{"title": "", "max_points": "", "levels_text": ""}] * NEW_CRITERIA_ROWS
    return render(
        request,
        "seminars/criteria.html",
        {
            "seminar": seminar,
            "rows": rows,
            "error": error,
            "locked": not seminar.is_before(Phase.ASSESSMENT),
        },
        status=status,
    )


@login_required
@require_POST
def switch(request, pk: int):
    seminar = policies.access_seminar_to_edit(request.user, pk)
    try:
        seminar = services.seminar_switch(
            actor=request.user,
            seminar=seminar,
            to=request.POST.get("to", ""),
            request=request,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The seminar is in the phase «%(phase)s».")
            % {"phase": seminar.get_phase_display()},
        )
    return redirect("seminars:detail", seminar.pk)


@login_required
def allocation(request, pk: int):
    """Who assesses whom; the teacher changes it by hand during the assessment."""
    seminar = policies.access_seminar(request.user, pk)
    if not policies.teaches(request.user, seminar):
        raise Http404
    may_change = (
        policies.can_edit(request.user, seminar) and seminar.phase == Phase.ASSESSMENT
    )
    if request.method == "POST":
        if not may_change:
            raise Http404
        roster = selectors.roster(seminar)
        pairs = set()
        for work in roster:
            for value in request.POST.getlist(f"w{work.pk}"):
                if value.isdigit():
                    pairs.add((int(value), work.author_id))
        try:
            assessing.allocation_set(
                actor=request.user, seminar=seminar, pairs=pairs, request=request
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The allocation is saved."))
            return redirect("seminars:allocation", seminar.pk)
    roster = [w for w in selectors.roster(seminar) if w.is_active]
    for work in roster:
        work.reviewer_ids = {a.reviewer_id for a in work.received}
        work.done_ids = {a.reviewer_id for a in work.received if a.done}
    return render(
        request,
        "seminars/allocation.html",
        {
            "seminar": seminar,
            "roster": roster,
            "people": [w.author for w in roster],
            "may_change": may_change,
        },
    )


@login_required
@require_POST
def withdraw(request, pk: int):
    seminar = policies.access_seminar_to_edit(request.user, pk)
    form = WithdrawForm(request.POST)
    student = None
    if form.is_valid():
        work = seminar.works.filter(author_id=form.cleaned_data["student"]).first()
        student = work.author if work else None
    try:
        if student is None:
            raise DomainError(_("Say why the student leaves the seminar."))
        assessing.participant_withdraw(
            actor=request.user,
            seminar=seminar,
            student=student,
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is out of the seminar; the assessments are reallocated.")
            % {"name": student.full_name},
        )
    return redirect("seminars:detail", seminar.pk)


@login_required
def grade(request, pk: int):
    """The two grades of a work and the written review (R6)."""
    work = policies.access_work_to_grade(request.user, pk)
    error, status = "", 200
    if request.method == "POST":
        form = GradeForm(request.POST)
        try:
            if not form.is_valid():
                raise DomainError(_("Check the form."))
            grading.work_grade(
                actor=request.user,
                work=work,
                request=request,
                **form.cleaned_data,
            )
        except DomainError as failure:
            error = failure.message
            status = 409 if failure.code == "stale" else 400
            work = policies.access_work_to_grade(request.user, pk)
        else:
            messages.success(request, _("The grades and the review are saved."))
            return redirect("courses:queue")
    else:
        suggested = grading.suggested_mark(work.agreement)
        form = GradeForm(
            initial={
                "version": work.version,
                "mark": work.mark,
                "review": work.review,
                "assessing_mark": work.assessing_mark or suggested,
                "assessing_review": work.assessing_review
                or grading.suggested_review(work),
            }
        )
    if error:
        form = GradeForm({**request.POST.dict(), "version": work.version})
    upload_url = reverse("courses:image_upload", args=[work.seminar.space_id])
    for name in ("review", "assessing_review"):
        form.fields[name].widget.attrs["data-image-upload"] = upload_url
    return render(
        request,
        "seminars/grade.html",
        {
            "work": work,
            "seminar": work.seminar,
            "form": form,
            "error": error,
            "received": selectors.received(work),
            "given": list(selectors.given_to(work.seminar, work.author)),
            "criteria": list(work.seminar.criteria.all()),
            "suggested": grading.suggested_mark(work.agreement),
            "files": list(work.files.all()),
        },
        status=status,
    )
