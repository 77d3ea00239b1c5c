"""The compliance report's page (R14): the administration only, 404 for others."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from umka.compliance import policies, report
from umka.core.access import require


@require_GET
@login_required
def compliance_report(request):
    """Every requirement, its rules and its tests; `?format=json` for the data."""
    require(policies.can_read_compliance(request.user))
    built = report.build()
    if request.GET.get("format") == "json":
        return JsonResponse(
            report.as_json(built), json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "compliance/report.html", report.context(built))
