"""The help ledger page (R13): one student's help in a period, printable, and
exported as XLSX or PDF."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from umka.audit.services import record
from umka.core import clock
from umka.core.spreadsheets import XLSX_TYPE, attachment, xlsx_bytes
from umka.ledger import policies, selectors
from umka.ledger.audit_actions import EXPORTED
from umka.ledger.export_pdf import ledger_pdf
from umka.ledger.forms import PeriodForm

EXPORTS = ("xlsx", "pdf")


def _header() -> list[str]:
    return [_("Date"), _("Kind of help"), _("What"), _("Who helped"), _("Outcome")]


@login_required
def ledger(request, pk: int):
    student = policies.access_student(request.user, pk)
    start, end = selectors.default_period(clock.today())
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    entries = selectors.ledger(student, start, end)
    export = request.GET.get("export")
    if export in EXPORTS and not form.errors:
        return _export(request, student, start, end, entries, export)
    return render(
        request,
        "ledger/ledger.html",
        {
            "student": student,
            "form": form,
            "start": start,
            "end": end,
            "entries": entries,
            "query": f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
        },
    )


def _export(request, student, start, end, entries, export):
    title = _("Help ledger: %(student)s") % {"student": student}
    period = _("From %(start)s to %(end)s") % {
        "start": f"{start:%d.%m.%Y}",
        "end": f"{end:%d.%m.%Y}",
    }
    rows = selectors.rows(entries)
    name = f"ledger-{student.pk}-{start:%Y%m%d}-{end:%Y%m%d}.{export}"
    record(
        actor=request.user,
        action=EXPORTED,
        target=student,
        changes={"format": export, "start": str(start), "end": str(end)},
        request=request,
    )
    if export == "xlsx":
        content = xlsx_bytes(_header(), rows, title=_("Help ledger"))
        return attachment(content, name, XLSX_TYPE)
    content = ledger_pdf(title, period, _header(), rows)
    return attachment(content, name, "application/pdf")
