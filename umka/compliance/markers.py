"""Which tests prove which requirement (R14): the `requirement` markers, read from
the test files' syntax trees (`ast`), so nothing is imported or run.

A marker counts on a test function or method (`@pytest.mark.requirement("R7")`), on a
test class (every test in it), and in a module's or a class's `pytestmark` (a single
mark or a list of them). Each test is named by its pytest node id, without
parameters: `umka/bookings/tests/test_services.py::test_booking_create_refuses_slot`.
"""

import ast
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

#: Where the tests of the product live, relative to the project's root.
TEST_GLOBS = ("umka/**/tests/test_*.py", "e2e/test_*.py")


def _requirement_ids(node: ast.expr) -> list[str]:
    """IDs of `pytest.mark.requirement(...)` (or `mark.requirement(...)`) in `node`:
    a call, or a list / tuple of marks."""
    if isinstance(node, ast.List | ast.Tuple):
        return [rid for item in node.elts for rid in _requirement_ids(item)]
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "requirement"
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "mark"
    ):
        return []
    return [
        arg.value
        for arg in node.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    ]


def _pytestmark(body: Iterable[ast.stmt]) -> list[str]:
    ids = []
    for statement in body:
        if (
            isinstance(statement, ast.Assign)
            and any(
                isinstance(target, ast.Name) and target.id == "pytestmark"
                for target in statement.targets
            )
            or (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and statement.target.id == "pytestmark"
                and statement.value is not None
            )
        ):
            ids += _requirement_ids(statement.value)
    return ids


def _decorated(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
    return [rid for dec in node.decorator_list for rid in _requirement_ids(dec)]


def _tests_in(body, prefix: str, inherited: list[str]):
    """(node id, requirement IDs) of every test function in `body`."""
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name.startswith("test"):
                yield f"{prefix}::{node.name}", inherited + _decorated(node)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            ids = inherited + _decorated(node) + _pytestmark(node.body)
            yield from _tests_in(node.body, f"{prefix}::{node.name}", ids)


def markers_in(path: Path, root: Path) -> dict[str, list[str]]:
    """Node id → requirement IDs of every marked test in one file."""
    return _parsed(
        str(path), path.relative_to(root).as_posix(), path.stat().st_mtime_ns
    )


@lru_cache(maxsize=4096)
def _parsed(path: str, prefix: str, _mtime_ns: int) -> dict[str, list[str]]:
    """A file read once per version (the page rebuilds the report on each visit)."""
    source = Path(path).read_text(encoding="utf-8")
    tree = ast.parse(source, filename=path)
    return {
        node_id: sorted(set(ids), key=_order)
        for node_id, ids in _tests_in(tree.body, prefix, _pytestmark(tree.body))
        if ids
    }


def _order(rid: str) -> tuple[int, str]:
    digits = rid[1:]
    return (int(digits), rid) if digits.isdigit() else (10_000, rid)


def collect(root: Path) -> dict[str, list[str]]:
    """Requirement ID → the node ids of the tests that carry its marker, sorted."""
    tests: dict[str, set[str]] = defaultdict(set)
    for pattern in TEST_GLOBS:
        for path in sorted(root.glob(pattern)):
            if ".venv" in path.parts:
                continue
            for node_id, ids in markers_in(path, root).items():
                for rid in ids:
                    tests[rid].add(node_id)
    return {rid: sorted(node_ids) for rid, node_ids in tests.items()}
