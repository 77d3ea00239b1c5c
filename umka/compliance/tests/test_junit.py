import pytest

from umka.compliance import junit

pytestmark = pytest.mark.requirement("R14")

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="umka.app.tests.test_a" name="test_ok" time="0.1"/>
<testcase classname="umka.app.tests.test_a" name="test_param[1]" time="0.1"/>
<testcase classname="umka.app.tests.test_a" name="test_param[2]" time="0.1">
  <failure message="assert 1 == 2">trace</failure></testcase>
<testcase classname="umka.app.tests.test_a.TestC" name="test_m" time="0.1">
  <skipped message="no chromium"/></testcase>
<testcase classname="e2e.test_b" name="test_error" time="0.1">
  <error message="fixture">trace</error></testcase>
</testsuite></testsuites>
"""


def test_each_test_gets_its_last_result(tmp_path):
    path = tmp_path / "junit.xml"
    path.write_text(REPORT)

    run = junit.read(path)

    assert run.results == {
        "umka.app.tests.test_a.test_ok": "passed",
        "umka.app.tests.test_a.test_param": "failed",  # one case failed
        "umka.app.tests.test_a.TestC.test_m": "skipped",
        "e2e.test_b.test_error": "failed",
    }
    assert run.finished is not None


def test_node_ids_and_junit_names_agree():
    assert (
        junit.dotted("umka/app/tests/test_a.py::TestC::test_m")
        == "umka.app.tests.test_a.TestC.test_m"
    )
    assert junit.dotted("e2e/test_b.py::test_error") == "e2e.test_b.test_error"


def test_no_report_or_a_broken_one_means_no_results(tmp_path):
    assert junit.read(tmp_path / "missing.xml") is None
    broken = tmp_path / "broken.xml"
    broken.write_text("<testsuites><testcase")
    assert junit.read(broken) is None
