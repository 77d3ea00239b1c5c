"""The house's structure: apps import each other in one direction only.

Reads every product module's imports (tests and migrations aside) and fails on a
cycle between apps, naming the imports that close it, so a newcomer can find any
rule by its folder and no app needs another that needs it back.
"""

import ast
from collections import defaultdict
from pathlib import Path

UMKA = Path(__file__).resolve().parents[2]


def _product_modules():
    for path in sorted(UMKA.rglob("*.py")):
        parts = path.relative_to(UMKA).parts
        if "tests" in parts or "migrations" in parts or len(parts) < 2:
            continue
        yield parts[0], path


def app_imports() -> dict[str, dict[str, list[str]]]:
    """app -> other app -> the places that import it."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for app, path in _product_modules():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "umka" and len(parts) > 1 and parts[1] != app:
                    where = f"{path.relative_to(UMKA.parent)}:{node.lineno}"
                    graph[app][parts[1]].append(where)
    return graph


def cycles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        on_stack.add(app)
        for other in graph.get(app, {}):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in on_stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for app in sorted(set(graph) | {o for deps in graph.values() for o in deps}):
        if app not in index:
            visit(app)
    return found


def test_the_graph_is_read():
    graph = app_imports()
    assert "school" in graph["bookings"]
    assert "core" in graph["school"]


def test_no_import_cycle_between_apps():
    graph = app_imports()
    explained = [
        {
            "apps": group,
            "imports": {
                f"{a} -> {b}": graph[a][b][:3]
                for a in group
                for b in group
                if b in graph.get(a, {})
            },
        }
        for group in cycles(graph)
    ]
    assert explained == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}, "d": {}}) == [
        ["a", "b", "c"]
    ]
    assert cycles({"a": {"b": []}, "b": {}}) == []


def test_core_imports_no_app():
    assert sorted(app_imports().get("core", {})) == []


def test_demo_and_harness_tests_claim_no_clause():
    """Only tests of the product itself prove a clause of the regulation: the demo
    generator's tests and the browser harness's carry no `requirement` marker."""
    root = UMKA.parent
    suspects = [
        *root.glob("umka/demo/tests/*.py"),
        *root.glob("umka/*/tests/test_demo*.py"),
        root / "e2e" / "test_livenet.py",
    ]
    claiming = [
        str(path.relative_to(root))
        for path in suspects
        if path.exists() and "mark.requirement(" in path.read_text()
    ]
    assert claiming == []


#: Longest product module (tests and migrations aside): past it, a file holds two
#: things and is split where its halves differ.
MODULE_MAX_LINES = 600


def test_no_product_module_is_over_600_lines():
    long = {
        str(path.relative_to(UMKA.parent)): n
        for _app, path in _product_modules()
        if (n := len(path.read_text().splitlines())) > MODULE_MAX_LINES
    }
    assert long == {}


def test_one_test_clock():
    """Tests move time only through the test clock (core/tests/clock.py): no other
    Clock class and no hand-made patch of timezone.now."""
    root = UMKA.parent
    hand_made = [
        str(path.relative_to(root))
        for path in [*root.glob("umka/**/tests/*.py"), *root.glob("e2e/*.py")]
        if path.name not in {"clock.py", "test_architecture.py"}
        and (
            'setattr(timezone, "now"' in path.read_text()
            or "class Clock" in path.read_text()
        )
    ]
    assert hand_made == []
