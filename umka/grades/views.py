"""Grade pages (R9): the teacher's classes, the topic analysis, entering grades,
imports from the journal; «my grades» for students and parents. Anything a person
may not see answers 404."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from umka.accounts import looked
from umka.core import clock
from umka.core.access import require
from umka.core.errors import DomainError
from umka.grades import policies, selectors, services
from umka.grades.analysis import SORTS
from umka.grades.forms import (
    WORK_TYPE_SUGGESTIONS,
    GradesForm,
    LessonForm,
    initial_value,
)
from umka.grades.work_types import work_type
from umka.school.models import SchoolClass, Subject
from umka.school.selectors import current_year


def _grading(request, data) -> tuple[SchoolClass, Subject]:
    """The class and subject named in `data`, if the user may grade them; else 404."""
    return policies.access_grading(
        request.user, data.get("school_class"), data.get("subject")
    )


# --- The teacher's classes ------------------------------------------------------------


@login_required
@require_GET
def index(request):
    user = request.user
    if (
        not policies.can_enter_grades(user)
        and policies.students_shown_to(user).exists()
    ):
        return redirect("grades:mine")
    policies.require_grading(user)
    today = clock.today()
    year = current_year(today)
    window = None
    if year is not None:
        window = selectors.choose_window(selectors.windows_of(year), None, today)
    context = {
        "pairs": selectors.teaching_pairs(user, today=today, window=window),
        "window": window,
        "is_administration": policies.is_administration(user),
        "has_children": policies.students_shown_to(user).exists(),
    }
    if context["is_administration"] and year is not None:
        context["classes"] = policies.classes_graded_by(user).filter(year=year)
        context["subjects"] = policies.subjects_graded_by(user, None)
    return render(request, "grades/index.html", context)


# --- The topic analysis ------------------------------------------------------------


@login_required
@require_GET
def topic_analysis(request):
    """Topics of a class × subject ranked by weak results and by requests (R9)."""
    policies.require_grading(request.user)
    if not request.GET.get("school_class") or not request.GET.get("subject"):
        return redirect("grades:index")
    school_class, subject = _grading(request, request.GET)
    windows = selectors.windows_of(school_class.year)
    window = selectors.choose_window(windows, request.GET.get("period"), clock.today())
    sort = request.GET.get("sort")
    sort = sort if sort in SORTS else "score"
    result = selectors.topic_analysis(
        school_class=school_class,
        subject=subject,
        window=window,
        sort=sort,
        with_links=policies.can_offer_consultation(request.user),
    )
    base = {"school_class": school_class.pk, "subject": subject.pk}
    return render(
        request,
        "grades/analysis.html",
        {
            "a": result,
            "windows": windows,
            "sort": sort,
            "sorts": [
                ("score", pgettext("rank topics by", "weakness")),
                ("low", pgettext("rank topics by", "share of 2 and 3")),
                ("average", pgettext("rank topics by", "average")),
                ("requests", pgettext("rank topics by", "requests")),
            ],
            "query": urlencode({**base, "period": window.key}),
            "entry_url": reverse("grades:entry") + "?" + urlencode(base),
        },
    )


# --- Entering grades by hand ---------------------------------------------------------


@login_required
def entry(request):
    """A grade per student for one lesson's work: class × subject × day × topic."""
    policies.require_grading(request.user)
    school_class, subject = _grading(request, request.GET)
    lesson = LessonForm(request.GET if "date" in request.GET else None)
    context = {
        "school_class": school_class,
        "subject": subject,
        "lesson": lesson,
        "work_types": WORK_TYPE_SUGGESTIONS,
        "today": clock.today(),
    }
    if not lesson.is_bound:
        lesson.initial = {"date": clock.today()}
        return render(request, "grades/entry.html", context)
    if not lesson.is_valid():
        return render(request, "grades/entry.html", context)
    day: dt.date = lesson.cleaned_data["date"]
    topic = lesson.cleaned_data["topic"]
    kind = lesson.cleaned_data["work_type"]
    students = services.students_in_class_on(school_class, day)
    if request.method == "POST":
        form = GradesForm(request.POST, students=students)
        if form.is_valid():
            try:
                result = services.grades_enter(
                    actor=request.user,
                    school_class=school_class,
                    subject=subject,
                    date=day,
                    topic=topic,
                    work_type_text=kind,
                    values=form.values(),
                    request=request,
                )
            except DomainError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Saved: %(created)s added, %(changed)s changed, "
                        "%(removed)s removed."
                    )
                    % {
                        "created": result.created,
                        "changed": result.changed,
                        "removed": result.removed,
                    },
                )
                return redirect(request.get_full_path())
    else:
        looked.record_child_views(
            viewer=request.user, children=students, kind=looked.GRADES, request=request
        )
        stored = {
            g.student_id: initial_value(g)
            for g in selectors.lesson_entries(
                school_class=school_class,
                subject=subject,
                day=day,
                topic=topic,
                work_type=work_type(kind) if kind else "",
            )
        }
        form = GradesForm(
            students=students,
            initial={f"grade_{pk}": value for pk, value in stored.items()},
        )
    context["form"] = form
    return render(request, "grades/entry.html", context)


# --- My grades (students and parents) ---------------------------------------------


@login_required
@require_GET
def mine(request):
    """A student's own grades by subject; a parent's children's (R3 rights)."""
    people = list(policies.students_shown_to(request.user).order_by("last_name", "pk"))
    require(bool(people))
    chosen = people[0]
    if "student" in request.GET:
        chosen = policies.access_student_grades(request.user, request.GET["student"])
    today = clock.today()
    year = current_year(today)
    subjects, windows, window = [], [], None
    if year is not None:
        windows = selectors.windows_of(year)
        window = selectors.choose_window(windows, request.GET.get("period"), today)
        subjects = selectors.grades_of_student(chosen, window)
    return render(
        request,
        "grades/mine.html",
        {
            "people": people,
            "chosen": chosen,
            "subjects": subjects,
            "windows": windows,
            "window": window,
            "is_self": chosen.pk == request.user.pk,
        },
    )


# --- Imports: the engine's pages; these addresses stay for bookmarks -----------------


def _to_imports(request, url: str):
    policies.access_grade_imports(request.user)
    return redirect(url, permanent=True)


@login_required
@require_GET
def import_list(request):
    return _to_imports(request, reverse("imports:list") + "?kind=grades")


@login_required
@require_GET
def import_new(request):
    return _to_imports(request, reverse("imports:upload") + "?kind=grades")


@login_required
@require_GET
def template_file(request, fmt: str):
    return _to_imports(request, reverse("imports:template", args=["grades", fmt]))


def _legacy(name: str):
    """An import of grades by its number from before the engine (kept in its
    options) → the engine's page of the same job."""

    @login_required
    @require_GET
    def view(request, pk: int):
        job = policies.access_legacy_grade_import(request.user, pk)
        return redirect(name, pk=job.pk, permanent=True)

    return view


import_detail = _legacy("imports:detail")
import_progress = _legacy("imports:progress")
import_report = _legacy("imports:report")
