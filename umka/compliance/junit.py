"""The last test run's results (R14), read from the JUnit XML report that
`make test` writes (`reports/junit.xml`, pytest's `--junitxml`)."""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree  # noqa: S405 — our own test run's report, not input

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


@dataclass(frozen=True)
class Run:
    results: dict[
        str, str
    ]  # dotted test name (no parameters) → passed / failed / skipped
    finished: dt.datetime | None  # when the report file was written


def dotted(node_id: str) -> str:
    """`umka/a/tests/test_b.py::TestC::test_d` → `umka.a.tests.test_b.TestC.test_d`,
    the name JUnit XML gives the same test (classname + name)."""
    path, _, rest = node_id.partition("::")
    module = path.removesuffix(".py").replace("/", ".")
    return ".".join([module, *rest.split("::")]) if rest else module


def _outcome(case: ElementTree.Element) -> str:
    if case.find("failure") is not None or case.find("error") is not None:
        return FAILED
    if case.find("skipped") is not None:
        return SKIPPED
    return PASSED


def read(path: Path) -> Run | None:
    """The run in `path`, or None when there is no report (no run yet)."""
    if not path.is_file():
        return None
    try:
        tree = ElementTree.parse(path)  # noqa: S314
    except ElementTree.ParseError:
        return None
    outcomes: dict[str, set[str]] = {}
    for case in tree.iter("testcase"):
        name = re.sub(r"\[.*\]$", "", case.get("name", ""), flags=re.S)
        key = f"{case.get('classname', '')}.{name}"
        outcomes.setdefault(key, set()).add(_outcome(case))
    results = {}
    for key, seen in outcomes.items():
        # A parametrised test passed only if every case did; one failure fails it.
        if FAILED in seen:
            results[key] = FAILED
        elif PASSED in seen:
            results[key] = PASSED
        else:
            results[key] = SKIPPED
    finished = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
    return Run(results, finished)
