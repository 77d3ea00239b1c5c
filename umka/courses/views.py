"""Course space pages: the list, a space (its sections), members, archive, the
results page, the queue «Проверить», pasted images and the e-journal export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from umka.accounts.models import User
from umka.core import clock
from umka.core.access import require
from umka.core.errors import DomainError
from umka.core.spreadsheets import XLSX_TYPE, attachment, csv_bytes, xlsx_bytes
from umka.core.uploads import content_type_for
from umka.courses import policies, review_queue, sections, selectors, services
from umka.courses.forms import GroupSpaceForm, GroupStudentsForm, TeacherAddForm
from umka.courses.models import CourseSpace
from umka.courses.results import results_for


@login_required
def index(request):
    require(policies.can_open_courses(request.user))
    archived = request.GET.get("archived") == "1"
    spaces = list(selectors.spaces_for_list(request.user, archived=archived))
    return render(
        request,
        "courses/index.html",
        {
            "spaces": spaces,
            "archived": archived,
            "may_create_group": policies.can_create_group(request.user),
            "is_teacher": request.user.is_teacher,
        },
    )


@login_required
def space_page(request, pk: int):
    space = policies.access_space(request.user, pk)
    space = selectors.with_teachers(type(space).objects.filter(pk=space.pk)).get()
    may_manage = policies.can_manage_space(request.user, space)
    may_see_grades = policies.is_space_teacher(
        request.user, space
    ) or policies.oversees_spaces(request.user)
    return render(
        request,
        "courses/space.html",
        {
            "space": space,
            "sections": sections.sections_of(request, space),
            "may_manage": may_manage,
            "may_see_grades": may_see_grades,
            "students": (
                list(policies.students_of(space).order_by("last_name", "first_name"))
                if may_see_grades
                else []
            ),
        },
    )


@login_required
def group_new(request):
    require(policies.can_create_group(request.user))
    form = GroupSpaceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            space = services.group_space_create(
                actor=request.user,
                subject=form.cleaned_data["subject"],
                title=form.cleaned_data["title"],
                students=list(form.cleaned_data["students"]),
                request=request,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The group space is created."))
            return redirect("courses:space", space.pk)
    return render(request, "courses/group_new.html", {"form": form})


@login_required
def members(request, pk: int):
    space = policies.access_space_to_manage(request.user, pk)
    teacher_form = TeacherAddForm(space=space)
    students_form = (
        GroupStudentsForm(space=space) if space.kind == space.Kind.GROUP else None
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_teacher":
                teacher_form = TeacherAddForm(request.POST, space=space)
                if teacher_form.is_valid():
                    services.space_teacher_add(
                        actor=request.user,
                        space=space,
                        teacher=teacher_form.cleaned_data["teacher"],
                        request=request,
                    )
                    return redirect("courses:members", space.pk)
            elif action == "remove_teacher":
                link = space.teacher_links.filter(
                    teacher_id=request.POST.get("teacher")
                ).first()
                if link is None:
                    raise Http404
                services.space_teacher_remove(
                    actor=request.user,
                    space=space,
                    teacher=link.teacher,
                    request=request,
                )
                return redirect("courses:members", space.pk)
            elif action == "students" and students_form is not None:
                students_form = GroupStudentsForm(request.POST, space=space)
                if students_form.is_valid():
                    services.group_students_set(
                        actor=request.user,
                        space=space,
                        students=list(students_form.cleaned_data["students"]),
                        request=request,
                    )
                    messages.success(request, _("The students are saved."))
                    return redirect("courses:members", space.pk)
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request,
        "courses/members.html",
        {
            "space": space,
            "links": space.teacher_links.select_related("teacher").order_by(
                "teacher__last_name", "pk"
            ),
            "teacher_form": teacher_form,
            "students_form": students_form,
        },
    )


@login_required
@require_POST
def archive(request, pk: int):
    space = policies.access_space_to_manage(request.user, pk)
    services.space_archive(actor=request.user, space=space, request=request)
    messages.success(request, _("The space is archived: it stays readable."))
    return redirect("courses:space", space.pk)


@login_required
def results(request):
    """R6: a student's grades and written reviews across deferred work; the same
    page for each of their parents (one child at a time)."""
    people = selectors.people_with_results(request.user)
    require(bool(people))
    chosen = people[0]
    if "student" in request.GET:
        chosen = next((p for p in people if str(p.pk) == request.GET["student"]), None)
        require(chosen is not None)
    found = results_for(User.objects.filter(pk=chosen.pk))
    return render(
        request,
        "courses/results.html",
        {
            "people": people,
            "chosen": chosen,
            "results": found,
            "is_self": chosen.pk == request.user.pk,
        },
    )


@login_required
def queue(request):
    """«Проверить»: work waiting for the teacher's grade and review (R13)."""
    user = request.user
    oversees = policies.oversees_spaces(user)
    require(user.is_teacher or oversees)
    return render(
        request,
        "courses/queue.html",
        {
            "items": review_queue.queue_for(user) if user.is_teacher else [],
            "overdue": review_queue.overdue_overseen() if oversees else [],
            "now": clock.now(),
            "is_teacher": user.is_teacher,
            "oversees": oversees,
        },
    )


@login_required
@require_POST
def image_upload(request, pk: int):
    space = policies.access_space_to_write(request.user, pk)
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": _("Choose an image.")}, status=400)
    try:
        image = services.image_upload(
            actor=request.user, space=space, file=upload, request=request
        )
    except DomainError as error:
        return JsonResponse({"error": error.message}, status=400)
    return JsonResponse({"markdown": services.image_markdown(image)})


@login_required
def image(request, key):
    """A pasted image, inline (only PNG and JPEG pass the upload check), after
    the access check; never a page of its own (sandboxed, no sniffing)."""
    found = policies.access_image(request.user, key)
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type=content_type_for(found.name))
    response["Content-Disposition"] = "inline"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response


# --- Export in the e-journal's columns ---------------------------------------------

#: The columns an e-journal import takes (its own Russian names: a file format,
#: not interface text).
EXPORT_HEADER = ("ФИО", "Класс", "Дата", "Оценка", "Тема", "Работа", "Рецензия")


def _export_rows(space) -> list[tuple]:
    """Graded results of the space, one row each, by student and date."""
    graded = [
        r
        for r in results_for(
            User.objects.all(), CourseSpace.objects.filter(pk=space.pk)
        )
        if r.status == "graded"
    ]
    people = {
        u.pk: u.full_name
        for u in User.objects.filter(pk__in={r.student_id for r in graded})
    }
    classes = selectors.class_names_of(list(people))
    graded.sort(key=lambda r: (people.get(r.student_id, ""), r.graded_at, r.key))
    return [
        (
            people.get(r.student_id, ""),
            classes.get(r.student_id, ""),
            clock.local_date(r.graded_at).strftime("%d.%m.%Y"),
            r.mark if r.mark is not None else r.grade,
            r.topic,
            r.title,
            r.review_plain,
        )
        for r in graded
    ]


@login_required
def export(request, pk: int, fmt: str):
    space = policies.access_space(request.user, pk)
    require(
        policies.is_space_teacher(request.user, space)
        or policies.oversees_spaces(request.user)
    )
    rows = _export_rows(space)
    stem = f"grades-{space.pk}"
    if fmt == "csv":
        return attachment(
            csv_bytes(EXPORT_HEADER, rows), f"{stem}.csv", "text/csv; charset=utf-8"
        )
    return attachment(
        xlsx_bytes(EXPORT_HEADER, rows, title="Оценки"), f"{stem}.xlsx", XLSX_TYPE
    )
