"""The import pages, one set for every kind: list, upload, a job's progress and
report, templates, one-time passwords. Who may see what is the kinds' rule
(policies.py); everything else answers 404 (R3, R9, R13)."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from umka.core.errors import DomainError
from umka.imports import policies, registry, samples, selectors, services
from umka.imports.forms import ImportUploadForm
from umka.imports.progress import progress_get

ERRORS_PER_PAGE = 100
JOBS_PER_PAGE = 25


def _csv_safe(value: str) -> str:
    """Excel must not take a cell for a formula («=…», «+7 916…»)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@login_required
@require_GET
def job_list(request):
    """The jobs the user may see; `?kind=` narrows it to one kind."""
    policies.require_imports(request.user)
    key = request.GET.get("kind")
    kind = policies.access_kind(request.user, key) if key else None
    page = Paginator(
        selectors.jobs_for_list(request.user, kind.key if kind else None),
        JOBS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(request, "imports/job_list.html", {"page": page, "kind": kind})


def _kinds_help(kinds: list[registry.Kind]) -> list[dict]:
    return [
        {
            "kind": kind,
            "columns": kind.columns,
            "titles": [c.title for c in kind.offered_columns],
            "examples": samples.example_rows(kind),
        }
        for kind in kinds
    ]


@login_required
def upload(request):
    kinds = policies.require_imports(request.user)
    # A kind asked for by name must be the user's (as if it did not exist).
    asked = request.POST.get("kind") or request.GET.get("kind")
    chosen = policies.access_kind(request.user, asked) if asked else kinds[0]
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.import_job_create(
                    actor=request.user,
                    kind=form.chosen_kind.key,
                    file_name=upload.name,
                    data=upload.read(),
                    year=form.cleaned_data.get("year"),
                    options=form.options(),
                    dry_run=form.cleaned_data["dry_run"],
                    request=request,
                )
            except DomainError as error:
                form.add_error(None, error)
            else:
                return redirect("imports:detail", pk=job.pk)
    else:
        form = ImportUploadForm(initial={"kind": chosen.key}, kinds=kinds)
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "chosen": chosen,
            "kinds": _kinds_help(kinds),
            "max_mb": services.max_file_bytes() >> 20,
        },
    )


@login_required
@require_GET
def job_detail(request, pk: int):
    job = policies.access_job(request.user, pk)
    context = {
        "job": job,
        "kind": registry.get(job.kind),
        "progress": None if job.is_finished else progress_get(job.pk),
        "may_see_passwords": policies.can_view_credentials(request.user, job),
    }
    if job.errors:
        context["errors_page"] = Paginator(
            selectors.error_rows(job), ERRORS_PER_PAGE
        ).get_page(request.GET.get("page"))
    if job.changes:
        context["changes"] = selectors.change_rows(job)
    return render(request, "imports/job_detail.html", context)


@login_required
@require_GET
def job_progress(request, pk: int):
    """The progress bar alone, polled by htmx every second while the job runs."""
    job = policies.access_job(request.user, pk)
    if job.is_finished:
        # The whole page changes (summary or report): let htmx reload it.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(
        request,
        "imports/_progress.html",
        # oob: the status badge at the top of the page follows the job too.
        {"job": job, "progress": progress_get(job.pk), "oob": True},
    )


@login_required
@require_GET
def job_report(request, pk: int):
    """Every error of a rejected file as CSV (Excel-friendly: «;», UTF-8 with BOM)."""
    job = policies.access_job(request.user, pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Row"), _("Column"), _("Value"), _("Problem")])
    for error in selectors.error_rows(job):
        writer.writerow(
            [
                error["row"] or "",
                error["column"],
                _csv_safe(error["value"]),
                error["text"],
            ]
        )
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"import-{job.pk}-errors.csv"
    )
    return response


@never_cache
@login_required
@require_GET
def credentials(request, pk: int):
    """The printable list of one-time passwords (A4), for the uploader only."""
    job = policies.access_credentials(request.user, pk)
    if (
        job.has_credentials
        and job.credentials_expire_at
        and job.credentials_expire_at <= timezone.now()
    ):
        job = services.import_credentials_erase(actor=None, job=job, reason="expired")
    if job.has_credentials:
        services.import_credentials_viewed(actor=request.user, job=job, request=request)
    slips = selectors.credential_slips(job)
    return render(
        request,
        "imports/credentials.html",
        {
            "job": job,
            "slips": slips,
            "login_url": request.build_absolute_uri(reverse("accounts:login")),
        },
    )


@require_POST
@login_required
def credentials_erase(request, pk: int):
    job = policies.access_credentials(request.user, pk)
    services.import_credentials_erase(actor=request.user, job=job, request=request)
    messages.success(request, _("The one-time passwords have been erased."))
    return redirect("imports:detail", pk=job.pk)


@login_required
@require_GET
def template_file(request, kind: str, fmt: str):
    spec = policies.access_kind(request.user, kind)
    if fmt == "csv":
        body, content_type = samples.template_csv(spec), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = samples.template_xlsx(spec)
        content_type = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"umka-{spec.key}.{fmt}"
    )
    return response
