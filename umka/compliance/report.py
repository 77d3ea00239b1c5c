"""The compliance report (R14): for every requirement, its clause, what the system
enforces and the tests that prove it, with the last run's result of each test.

`build()` gathers it; the page (`views.report`) and `manage.py compliance_report`
render the same `Report` (text, HTML, JSON).
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from umka.compliance import junit, markers, regulation
from umka.compliance.enforcement import RULES, Rule


def default_junit_path(root: Path) -> Path:
    return root / "reports" / "junit.xml"


@dataclass(frozen=True)
class Test:
    node_id: str
    result: str  # passed / failed / skipped, or "" when the last run did not include it


@dataclass(frozen=True)
class Row:
    requirement: regulation.Requirement
    rules: tuple[Rule, ...]
    tests: tuple[Test, ...]
    must_be_proved: bool

    @property
    def counts(self) -> dict[str, int]:
        counts = {junit.PASSED: 0, junit.FAILED: 0, junit.SKIPPED: 0, "": 0}
        for test in self.tests:
            counts[test.result] += 1
        return counts

    @property
    def unproved(self) -> bool:
        return self.must_be_proved and not self.tests


@dataclass(frozen=True)
class Report:
    rows: tuple[Row, ...]
    run_finished: dt.datetime | None  # None: no JUnit report to read

    @property
    def unproved(self) -> list[str]:
        """Requirements R1–R13 that no test proves."""
        return [row.requirement.id for row in self.rows if row.unproved]

    @property
    def failed(self) -> list[str]:
        return [row.requirement.id for row in self.rows if row.counts[junit.FAILED]]


def build(root: Path | None = None, junit_path: Path | None = None) -> Report:
    """The report over the tests under `root` (the project by default)."""
    root = Path(root or settings.BASE_DIR)
    run = junit.read(junit_path or default_junit_path(root))
    results = run.results if run else {}
    tests = markers.collect(root)
    rows = tuple(
        Row(
            requirement=req,
            rules=RULES.get(req.id, ()),
            tests=tuple(
                Test(node_id, results.get(junit.dotted(node_id), ""))
                for node_id in tests.get(req.id, [])
            ),
            must_be_proved=req.id in regulation.PROVED,
        )
        for req in regulation.requirements()
    )
    return Report(rows, run.finished if run else None)


def _message(rule: Rule) -> str:
    return _(rule.message) if rule.message else ""  # noqa: INT001 - the product's msgid


def as_json(report: Report) -> dict:
    return {
        "run_finished": report.run_finished.isoformat()
        if report.run_finished
        else None,
        "unproved": report.unproved,
        "failed": report.failed,
        "requirements": [
            {
                "id": row.requirement.id,
                "clause": row.requirement.clause,
                "clause_text": row.requirement.text,
                "says": row.requirement.says,
                "must": row.requirement.must,
                "enforced_by": [
                    {"function": rule.function, "message": _message(rule)}
                    for rule in row.rules
                ],
                "tests": [{"id": t.node_id, "result": t.result} for t in row.tests],
                "counts": row.counts,
            }
            for row in report.rows
        ],
    }


RESULT_LABELS = {
    junit.PASSED: gettext_lazy("passed"),
    junit.FAILED: gettext_lazy("FAILED"),
    junit.SKIPPED: gettext_lazy("skipped"),
    "": gettext_lazy("not run"),
}


def as_text(report: Report) -> str:
    lines = [
        _("Compliance report: the regulation's clauses, their rules and their tests"),
        (
            _("Last test run: %(when)s") % {"when": report.run_finished.isoformat()}
            if report.run_finished
            else _("No test run report (reports/junit.xml): results are not shown.")
        ),
        "",
    ]
    for row in report.rows:
        req = row.requirement
        clause_word, must_word, enforced_word = _("clause"), _("Must"), _("Enforced by")
        lines.append(f"{req.id} · {clause_word} {req.clause}")
        if req.text:
            lines += [f"  {line}" for line in req.text.splitlines()]
        lines.append(f"  {must_word}: {req.must}")
        for rule in row.rules:
            message = _message(rule)
            lines.append(
                f"  {enforced_word}: {rule.function}"
                + (f" — «{message}»" if message else "")
            )
        if row.tests:
            lines.append(
                "  "
                + _("Tests: %(count)s") % {"count": len(row.tests)}
                + " ("
                + ", ".join(
                    f"{RESULT_LABELS[key]} {n}" for key, n in row.counts.items() if n
                )
                + ")"
            )
            lines += [
                f"    [{RESULT_LABELS[test.result]}] {test.node_id}"
                for test in row.tests
            ]
        else:
            lines.append("  " + _("NO TEST proves this requirement."))
        lines.append("")
    if report.unproved:
        lines.append(
            _("Requirements without a test: %(ids)s")
            % {"ids": ", ".join(report.unproved)}
        )
    return "\n".join(lines)


def context(report: Report) -> dict:
    """What the page and the HTML document render: the JSON's rows, each test
    with its result's label."""
    rows = as_json(report)["requirements"]
    for row in rows:
        for test in row["tests"]:
            test["label"] = RESULT_LABELS[test["result"]]
    return {"report": report, "rows": rows}


def as_html(report: Report) -> str:
    """A standalone HTML document (for an inspector: no sign-in, no scripts)."""
    return render_to_string("compliance/document.html", context(report))
