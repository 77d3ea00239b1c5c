"""Graded discussions: the teacher sets one, sees who posted in the period,
closes it for grading and grades each student with a review; the student and
their parents read the grade with the student's posts of the period (R6)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from umka.core import clock
from umka.core.access import require
from umka.core.errors import DomainError
from umka.courses import policies as spaces
from umka.forums import discussions, policies
from umka.forums.forms import DiscussionForm, GradeForm
from umka.school.models import StudyPeriod


def _current_period():
    today = clock.today()
    return StudyPeriod.objects.filter(starts_on__lte=today, ends_on__gte=today).first()


@login_required
def discussion_new(request, forum_pk: int):
    forum = policies.access_forum(request.user, forum_pk)
    require(
        forum.kind == forum.Kind.SPACE
        and spaces.can_teach_in(request.user, forum.space)
    )
    period = _current_period()
    form = DiscussionForm(
        request.POST or None,
        initial={
            "starts_on": period.starts_on if period else clock.today(),
            "ends_on": period.ends_on if period else clock.today(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            discussion = discussions.discussion_create(
                actor=request.user, forum=forum, request=request, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The graded discussion is set."))
            return redirect("forums:discussion", discussion.pk)
    return render(
        request,
        "forums/discussion_new.html",
        {"forum": forum, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def discussion_page(request, pk: int):
    discussion = policies.access_discussion(request.user, pk)
    space = discussion.forum.space
    students = spaces.students_of(space).order_by("last_name", "first_name", "pk")
    counts = dict(
        discussions.posts_in_period(discussion)
        .values("author")
        .annotate(n=Count("pk"))
        .values_list("author", "n")
    )
    grades = {g.student_id: g for g in discussion.grades.all()}
    rows = [(s, counts.get(s.pk, 0), grades.get(s.pk)) for s in students]
    return render(
        request,
        "forums/discussion.html",
        {
            "discussion": discussion,
            "rows": rows,
            "may_close": discussion.closed_at is None
            and spaces.can_teach_in(request.user, space),
        },
    )


@login_required
@require_POST
def discussion_close(request, pk: int):
    discussion = policies.access_discussion(request.user, pk)
    try:
        waiting = discussions.discussion_close(
            actor=request.user, discussion=discussion, request=request
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Students to grade: %(n)s. They wait in «To grade».") % {"n": waiting},
        )
    return redirect("forums:discussion", discussion.pk)


@login_required
def grade_page(request, pk: int):
    """The student's posts of the period, the grade and the review — for the
    student, their parents, the teachers; the teacher grades here."""
    grade = policies.access_grade(request.user, pk)
    may_grade = policies.can_grade(request.user, grade)
    error, status = "", 200
    form = GradeForm(
        initial={"version": grade.version, "mark": grade.mark, "review": grade.review}
    )
    if request.method == "POST":
        require(may_grade)
        form = GradeForm(request.POST)
        try:
            if not form.is_valid():
                raise DomainError(_("Check the form."))
            discussions.discussion_grade(
                actor=request.user, grade=grade, request=request, **form.cleaned_data
            )
        except DomainError as failure:
            error = failure.message
            status = 409 if failure.code == "stale" else 400
            grade = policies.access_grade(request.user, pk)
            form = GradeForm({**request.POST.dict(), "version": grade.version})
        else:
            messages.success(request, _("The grade and the review are saved."))
            return redirect("courses:queue")
    posts = (
        discussions.posts_in_period(grade.discussion)
        .filter(author=grade.student)
        .select_related("thread")
        .order_by("created_at", "pk")
    )
    if not may_grade:
        posts = posts.filter(hidden_at__isnull=True)
    return render(
        request,
        "forums/grade.html",
        {
            "grade": grade,
            "discussion": grade.discussion,
            "posts": list(posts),
            "may_grade": may_grade,
            "form": form if may_grade else None,
            "error": error,
        },
        status=status,
    )
