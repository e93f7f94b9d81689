"""The Python side imports only downward: no circle among x.py, tools/,
tests/ and bench/, no sys.path edits, project imports at module top, and
tools/ reaches into tests/ and bench/ only from tools/testing.py."""

import ast
import unittest
from pathlib import Path

from tools.paths import ROOT

PACKAGES = ("tools", "tests", "bench")
#: The one tools module that dispatches to the runners in tests/ and bench/.
STAGE_DRIVER = "tools.testing"


def project_modules() -> dict[str, Path]:
    """{dotted module name: file} for x.py and the three packages."""
    modules = {"x": ROOT / "x.py"}
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*.py")):
            name = package if path.stem == "__init__" else \
                f"{package}.{path.stem}"
            modules[name] = path
    return modules


def imported(node: ast.AST, modules: dict[str, Path]) -> list[str]:
    """The project modules an import statement names."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        names = [f"{node.module}.{alias.name}" for alias in node.names]
        names = [name if name in modules else node.module for name in names]
    else:
        return []
    return [name for name in names if name in modules]


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), str(path))
        graph[name] = {target for node in ast.walk(tree)
                       for target in imported(node, modules)
                       if target != name and target not in PACKAGES}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports, as a path that ends where it starts."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


class ImportGraphTest(unittest.TestCase):
    def test_the_cycle_finder_finds_a_cycle(self):
        self.assertEqual(find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}),
                         ["a", "b", "c", "a"])
        self.assertIsNone(find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}))

    def test_no_import_circle(self):
        self.assertIsNone(find_cycle(import_graph()))

    def test_tools_reach_tests_and_bench_only_from_the_stage_driver(self):
        for name, targets in import_graph().items():
            if name.startswith("tools") and name != STAGE_DRIVER:
                upward = sorted(t for t in targets
                                if t.startswith(("tests", "bench")))
                self.assertEqual(upward, [], name)

    def test_nothing_imports_x_py_or_the_stage_driver(self):
        for name, targets in import_graph().items():
            self.assertNotIn("x", targets, name)
            if name != "x" and not name.startswith("tests.test_"):
                self.assertNotIn(STAGE_DRIVER, targets, name)


class ImportStyleTest(unittest.TestCase):
    def test_no_module_touches_sys_path(self):
        for name, path in project_modules().items():
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                self.assertFalse(
                    isinstance(node, ast.Attribute) and node.attr == "path"
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "sys", f"{name}, line "
                    f"{getattr(node, 'lineno', '?')}")

    def test_project_imports_are_at_module_top(self):
        modules = project_modules()
        for name, path in modules.items():
            tree = ast.parse(path.read_text(), str(path))
            top = set(map(id, tree.body))
            for node in ast.walk(tree):
                if imported(node, modules):
                    self.assertIn(id(node), top,
                                  f"{name}, line {node.lineno}")


if __name__ == "__main__":
    unittest.main()
