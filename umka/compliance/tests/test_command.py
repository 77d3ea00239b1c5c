"""`manage.py compliance_report` (R14): every requirement listed, a requirement
without a test fails the command, the three formats say the same."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from umka.compliance.markers import TEST_GLOBS

pytestmark = pytest.mark.requirement("R14")

ROOT = Path(__file__).resolve().parents[3]
IDS = [f"R{n}" for n in range(1, 15)]


def copy_of_the_tests(tmp_path: Path, without: str | None = None) -> Path:
    """The project's test files under `tmp_path`; `without` drops that requirement
    from every marker (the marker stays, with its other IDs)."""
    for pattern in TEST_GLOBS:
        for path in ROOT.glob(pattern):
            if ".venv" in path.parts:
                continue
            target = tmp_path / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            text = path.read_text(encoding="utf-8")
            if without:
                text = re.sub(
                    r"requirement\(([^)]*)\)",
                    lambda m: m[0].replace(f'"{without}"', '"-"'),
                    text,
                )
            target.write_text(text, encoding="utf-8")
    return tmp_path


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("compliance_report", *args, stdout=out)
    return out.getvalue()


def test_the_report_lists_every_requirement_with_its_rules_and_tests():
    text = run()

    for rid in IDS:
        assert re.search(rf"^{rid} · ", text, flags=re.M), rid
    assert "umka.consultations.planning.held.occurrence_mark_held" in text
    assert (
        "umka/compliance/tests/test_command.py::"
        "test_the_report_lists_every_requirement_with_its_rules_and_tests" in text
    )


def test_a_requirement_whose_markers_are_all_removed_fails_the_command(tmp_path):
    root = copy_of_the_tests(tmp_path / "whole")
    assert "R10 · " in run("--root", str(root))  # every requirement proved: no error

    root = copy_of_the_tests(tmp_path / "without", without="R10")
    with pytest.raises(CommandError, match="R10"):
        run("--root", str(root))


def test_the_command_exits_non_zero_for_the_shell_and_ci(tmp_path):
    root = copy_of_the_tests(tmp_path, without="R12")

    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "compliance_report", "--root", str(root)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode != 0
    assert "R12" in done.stderr
    assert "R11 · " in done.stdout


def test_json_gives_each_requirement_its_tests_and_their_last_result(tmp_path):
    r12_test = (
        "umka/consultations/planning/tests/test_planning.py::"
        "test_attestation_consultation_is_held_only_with_all_three_items_done"
    )
    report = tmp_path / "junit.xml"
    report.write_text(
        '<testsuites><testsuite><testcase classname="umka.consultations.planning.'
        'tests.test_planning" name="test_attestation_consultation_is_held_only_'
        'with_all_three_items_done"><failure message="x"/></testcase>'
        "</testsuite></testsuites>"
    )

    data = json.loads(run("--format=json", "--junit", str(report)))

    assert [r["id"] for r in data["requirements"]] == IDS
    assert data["unproved"] == []
    assert data["failed"] == ["R12"]
    r12 = data["requirements"][11]
    assert r12["clause"] == "3.8 / 3.14"
    assert {"id": r12_test, "result": "failed"} in r12["tests"]
    assert r12["enforced_by"][0]["message"].startswith("Аттестационная")


def test_html_is_a_document_with_a_row_per_requirement():
    html = run("--format=html")

    assert html.startswith("<!doctype html>")
    assert "<script" not in html
    for rid in IDS:
        assert f'<tr id="{rid}">' in html


@pytest.fixture(autouse=True)
def _no_leftovers(tmp_path):
    yield
    shutil.rmtree(tmp_path, ignore_errors=True)
