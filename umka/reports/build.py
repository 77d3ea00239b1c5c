"""A report: every registered section computed over one scope, with its chart."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from umka.core import clock
from umka.reports import registry
from umka.reports.chart import Chart, bar_chart
from umka.reports.periods import Period


@dataclass
class SectionReport:
    code: str
    title: str
    result: registry.Result
    chart: Chart


@dataclass
class Report:
    period: Period
    scope: registry.Scope
    sections: list[SectionReport]

    @property
    def title(self) -> str:
        return _("Report for %(first)s – %(last)s") % {
            "first": self.period.first.strftime("%d.%m.%Y"),
            "last": self.period.last.strftime("%d.%m.%Y"),
        }

    def filters_text(self) -> str:
        parts = []
        if self.scope.staff is not None:
            parts.append(_("staff member: %(name)s") % {"name": self.scope.staff})
        if self.scope.subject is not None:
            parts.append(_("department: %(name)s") % {"name": self.scope.subject})
        if self.scope.school_class is not None:
            parts.append(_("class: %(name)s") % {"name": self.scope.school_class})
        return "; ".join(parts)


def report_build(
    period: Period, *, staff=None, subject=None, school_class=None, codes=None
) -> Report:
    """Compute the sections (all, or those in `codes`) over `period` on the
    school's clock."""
    zone = clock.zone()
    start, end = period.bounds(zone)
    scope = registry.Scope(
        start=start,
        end=end,
        now=clock.now(),
        zone=zone,
        staff=staff,
        subject=subject,
        school_class=school_class,
    )
    sections = []
    for section in registry.sections():
        if codes is not None and section.code not in codes:
            continue
        result = section.compute(scope)
        sections.append(
            SectionReport(
                code=section.code,
                title=str(section.title),
                result=result,
                chart=bar_chart(result.figures),
            )
        )
    return Report(period=period, scope=scope, sections=sections)
