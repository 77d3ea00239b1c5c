from pathlib import Path

import pytest

from umka.compliance.markers import collect

pytestmark = pytest.mark.requirement("R14")

SAMPLE = """
import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R2")]


@pytest.mark.requirement("R7", "R13")
@pytest.mark.parametrize("x", [1, 2])
def test_function(x):
    pass


async def test_async_inherits_the_module_mark():
    pass


def helper_is_not_a_test():
    pass


@pytest.mark.requirement("R11")
class TestClass:
    pytestmark = pytest.mark.requirement("R12")

    def test_method(self):
        pass
"""


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_markers_of_functions_classes_and_pytestmark_are_collected(tmp_path):
    write(tmp_path, "umka/app/tests/test_sample.py", SAMPLE)
    write(tmp_path, "e2e/test_browser.py", SAMPLE.replace('"R2"', '"R4"'))
    write(tmp_path, "umka/app/helpers.py", SAMPLE.replace('"R2"', '"R9"'))

    tests = collect(tmp_path)

    sample = "umka/app/tests/test_sample.py"
    assert tests["R2"] == [
        f"{sample}::TestClass::test_method",
        f"{sample}::test_async_inherits_the_module_mark",
        f"{sample}::test_function",
    ]
    assert (
        tests["R7"]
        == tests["R13"]
        == [
            "e2e/test_browser.py::test_function",
            f"{sample}::test_function",
        ]
    )
    assert (
        tests["R11"]
        == tests["R12"]
        == [
            "e2e/test_browser.py::TestClass::test_method",
            f"{sample}::TestClass::test_method",
        ]
    )
    assert "R9" not in tests  # not a test file
    assert len(tests["R4"]) == 3


def test_a_file_without_markers_proves_nothing(tmp_path):
    write(tmp_path, "umka/app/tests/test_plain.py", "def test_plain():\n    pass\n")

    assert collect(tmp_path) == {}


def test_the_projects_own_markers_are_found():
    tests = collect(Path(__file__).resolve().parents[3])

    assert (
        "umka/compliance/tests/test_markers.py::test_the_projects_own_markers_are_found"
        in tests["R14"]
    )


#: Tests of the machinery, not of the product: they prove no clause.
INFRASTRUCTURE = (
    "umka/demo/tests/",
    "umka/rooms/tests/test_janus_admin.py",
    "umka/rooms/tests/test_janus_pool.py",
    "e2e/test_livenet.py",
)


def test_demo_and_infrastructure_tests_prove_no_clause():
    tests = collect(Path(__file__).resolve().parents[3])

    claiming = sorted(
        node_id
        for node_ids in tests.values()
        for node_id in node_ids
        if node_id.startswith(INFRASTRUCTURE) or "/test_demo" in node_id
    )
    assert claiming == []
