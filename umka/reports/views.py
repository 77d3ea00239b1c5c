"""The administration's reports (R13): the report page with a chart and a table per
section, its XLSX and PDF, the dashboard «Требует внимания» and the monthly report's
settings. Everyone but the director, deputy heads and administrator gets 404."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from umka.audit.services import record
from umka.core import clock
from umka.core.access import require
from umka.core.spreadsheets import XLSX_TYPE, attachment
from umka.reports import audit_actions, registry
from umka.reports.build import report_build
from umka.reports.exports import pdf_bytes, xlsx_bytes
from umka.reports.forms import MonthlySettingForm, ReportForm, default_period
from umka.reports.policies import can_view_reports
from umka.reports.services import monthly_setting, monthly_setting_save


def _report(request):
    form = ReportForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        report = report_build(
            form.chosen_period(),
            staff=data.get("staff"),
            subject=data.get("subject"),
            school_class=data.get("school_class"),
        )
    else:
        report = report_build(default_period()) if not request.GET else None
    return form, report


def _export_query(report) -> str:
    query = {
        "period": "dates",
        "first": report.period.first.isoformat(),
        "last": report.period.last.isoformat(),
    }
    for name, value in (
        ("staff", report.scope.staff),
        ("subject", report.scope.subject),
        ("school_class", report.scope.school_class),
    ):
        if value is not None:
            query[name] = value.pk
    return urlencode(query)


@login_required
@require_GET
def index(request):
    require(can_view_reports(request.user))
    form, report = _report(request)
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "report": report,
            "export_query": _export_query(report) if report else "",
        },
    )


def _export(request, kind: str):
    require(can_view_reports(request.user))
    form, report = _report(request)
    if report is None:
        return render(
            request,
            "reports/index.html",
            {"form": form, "report": None, "export_query": ""},
            status=400,
        )
    stamp = f"{report.period.first:%Y%m%d}-{report.period.last:%Y%m%d}"
    with transaction.atomic():
        record(
            actor=request.user,
            action=audit_actions.EXPORTED,
            changes={
                "format": kind,
                "period": [str(report.period.first), str(report.period.last)],
                "filters": report.filters_text(),
            },
            request=request,
        )
    if kind == "xlsx":
        return attachment(xlsx_bytes(report), f"umka-report-{stamp}.xlsx", XLSX_TYPE)
    return attachment(pdf_bytes(report), f"umka-report-{stamp}.pdf", "application/pdf")


@login_required
@require_GET
def export_xlsx(request):
    return _export(request, "xlsx")


@login_required
@require_GET
def export_pdf(request):
    return _export(request, "pdf")


@login_required
@require_GET
def attention(request):
    """«Требует внимания»: what is overdue right now, each line a link to act on."""
    require(can_view_reports(request.user))
    lines = registry.attention(clock.now())
    return render(request, "reports/attention.html", {"lines": lines})


@login_required
@require_http_methods(["GET", "POST"])
def monthly(request):
    require(can_view_reports(request.user))
    setting = monthly_setting()
    form = MonthlySettingForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        monthly_setting_save(
            actor=request.user,
            enabled=form.cleaned_data["enabled"],
            day=form.cleaned_data["day"],
            hour=form.cleaned_data["hour"],
            request=request,
        )
        from django.contrib import messages

        messages.success(request, _("The monthly report's settings are saved."))
        return redirect("reports:monthly")
    return render(request, "reports/monthly.html", {"form": form})
