"""Pages of the library: the list with search and filters, a material, writing
and changing one, publication, versions, the file, who opened it. Every page
fetches through the policies (one 404 for missing and forbidden)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from umka.core import clock
from umka.core.access import get_visible_or_404, require
from umka.core.errors import DomainError
from umka.materials import files, openings, policies, selectors, services, serving
from umka.materials.forms import MaterialForm, PublishForm
from umka.materials.models import Material, MaterialFile
from umka.materials.program import program_page

#: The fields of the form the services take as they are.
FORM_FIELDS = services.FIELDS


@login_required
def index(request):
    user = request.user
    require(policies.can_open_library(user))
    filters = selectors.parse_filters(request.GET)
    page = Paginator(selectors.library(user, filters), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "materials/index.html",
        {
            "page": page,
            "filters": filters,
            "options": selectors.filter_options(user, filters),
            "kinds": Material.Kind.choices,
            "purposes": Material.Purpose.choices,
            "may_create": policies.can_create(user),
            "usage": files.usage() if policies.can_see_quota(user) else None,
            "now": clock.now(),
        },
    )


def _initial(request) -> dict:
    initial = {"kind": "file", "audience": "classes", "purpose": "learning"}
    for name in ("space", "program_part", "subject", "kind", "purpose", "consultation"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    if request.GET.get("class"):
        initial["classes"] = [request.GET["class"]]
    return initial


def _values(form) -> dict:
    return {name: form.cleaned_data[name] for name in FORM_FIELDS}


def _text_warning(request, material: Material) -> None:
    if (
        material.file_id
        and material.file.text_status == MaterialFile.TextStatus.UNREADABLE
    ):
        messages.warning(
            request,
            _(
                "The file is saved, but its text could not be read: search will "
                "find it by its title and description only."
            ),
        )


@login_required
def new(request):
    require(policies.can_create(request.user))
    form = MaterialForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial=_initial(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            material = services.material_create(
                actor=request.user,
                classes=form.cleaned_data["classes"],
                upload=form.cleaned_data["upload"],
                request=request,
                **_values(form),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The material is saved as a draft."))
            _text_warning(request, material)
            return redirect("materials:detail", material.pk)
    return render(request, "materials/form.html", {"form": form, "material": None})


@login_required
def edit(request, pk: int):
    material = policies.access_material_to_edit(request.user, pk)
    initial = {
        name: getattr(material, f"{name}_id", None) or getattr(material, name)
        for name in FORM_FIELDS
        if name not in ("subject", "program_part", "space", "consultation")
    }
    initial.update(
        consultation=material.consultation_id,
        subject=material.subject_id,
        program_part=material.program_part_id,
        space=material.space_id,
        classes=list(material.classes.values_list("pk", flat=True)),
    )
    form = MaterialForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    # A class chosen by someone else (e.g. the administration) stays choosable.
    form.fields["classes"].queryset = (
        form.fields["classes"].queryset | material.classes.all()
    ).distinct()
    if request.method == "POST" and form.is_valid():
        try:
            material = services.material_update(
                actor=request.user,
                material=material,
                classes=form.cleaned_data["classes"],
                upload=form.cleaned_data["upload"],
                note=form.cleaned_data["note"],
                request=request,
                **_values(form),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The material is saved."))
            _text_warning(request, material)
            return redirect("materials:detail", material.pk)
    return render(request, "materials/form.html", {"form": form, "material": material})


@login_required
def detail(request, pk: int):
    user = request.user
    material = policies.access_material(user, pk)
    openings.opening_record(person=user, material=material)
    may_edit = policies.can_edit(user, material)
    return render(
        request,
        "materials/detail.html",
        {
            "material": material,
            "classes": list(material.classes.order_by("grade", "letter")),
            "may_edit": may_edit,
            "may_see_openings": policies.can_see_openings(user, material),
            "publish_form": PublishForm() if may_edit else None,
            "now": clock.now(),
        },
    )


@login_required
@require_POST
def publish(request, pk: int):
    material = policies.access_material_to_edit(request.user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid date and time."))
        return redirect("materials:detail", material.pk)
    try:
        services.material_publish(
            actor=request.user, material=material, at=form.moment(), request=request
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if material.is_scheduled(clock.now()):
            messages.success(request, _("The publication is scheduled."))
        else:
            messages.success(request, _("The material is published."))
    return redirect("materials:detail", material.pk)


@login_required
@require_POST
def withdraw(request, pk: int):
    material = policies.access_material_to_edit(request.user, pk)
    try:
        services.material_withdraw(
            actor=request.user, material=material, request=request
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The material is back in drafts."))
    return redirect("materials:detail", material.pk)


@login_required
@require_POST
def delete(request, pk: int):
    material = policies.access_material_to_edit(request.user, pk)
    services.material_delete(actor=request.user, material=material, request=request)
    messages.success(request, _("The material is deleted."))
    return redirect("materials:index")


@login_required
def versions(request, pk: int):
    material = policies.access_material_to_edit(request.user, pk)
    return render(
        request,
        "materials/versions.html",
        {
            "material": material,
            "versions": list(
                material.versions.select_related("changed_by", "file").order_by(
                    "-number"
                )
            ),
        },
    )


@login_required
def version(request, pk: int, number: int):
    material = policies.access_material_to_edit(request.user, pk)
    old = get_visible_or_404(
        material.versions.select_related("changed_by", "file"), number=number
    )
    return render(
        request, "materials/version.html", {"material": material, "version": old}
    )


@login_required
@require_POST
def restore(request, pk: int, number: int):
    material = policies.access_material_to_edit(request.user, pk)
    old = get_visible_or_404(material.versions.all(), number=number)
    services.material_restore(
        actor=request.user, material=material, version=old, request=request
    )
    messages.success(
        request, _("Version %(number)s is current again.") % {"number": number}
    )
    return redirect("materials:detail", material.pk)


def _serve(request, stored: MaterialFile, *, inline: bool):
    return serving.serve(
        request,
        stored.file.name,
        size=stored.size,
        name=stored.name,
        inline=inline,
        etag=f'"{stored.key}"',
    )


@login_required
def file(request, pk: int):
    """The material's file, after the policy (a copied link answers 404 in
    another account); `?inline=1` shows a PDF, an image or a video in place."""
    material = policies.access_material(request.user, pk)
    require(material.file_id is not None)
    range_header = request.headers.get("Range", "")
    if request.method == "GET" and range_header in ("", "bytes=0-"):
        openings.opening_record(person=request.user, material=material)
    return _serve(request, material.file, inline=request.GET.get("inline") == "1")


@login_required
def version_file(request, pk: int, number: int):
    material = policies.access_material_to_edit(request.user, pk)
    old = get_visible_or_404(
        material.versions.select_related("file").exclude(file=None), number=number
    )
    return _serve(request, old.file, inline=False)


@login_required
def thumbnail(request, pk: int):
    material = policies.access_material(request.user, pk)
    require(material.file_id is not None and bool(material.file.thumbnail))
    stored = material.file
    return serving.serve(
        request,
        stored.thumbnail.name,
        size=stored.thumbnail.size,
        name=f"{stored.name.rsplit('.', 1)[0]}.png",
        inline=True,
        etag=f'"{stored.key}-1"',
    )


@login_required
def opened(request, pk: int):
    material = policies.access_openings(request.user, pk)
    rows = openings.audience_with_openings(material)
    return render(
        request,
        "materials/openings.html",
        {
            "material": material,
            "rows": rows,
            "opened": sum(1 for r in rows if r["opening"]),
        },
    )


@login_required
def program(request, class_pk: int, subject_pk: int):
    """The program and the process of a subject in a class (R2), printable."""
    school_class, subject = policies.access_program(request.user, class_pk, subject_pk)
    return render(
        request,
        "materials/program.html",
        {"page": program_page(request.user, school_class, subject)},
    )
