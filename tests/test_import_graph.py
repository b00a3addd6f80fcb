"""The import graph of generator/: no cycles between files or between rooms, and no upward imports.

Every import counts, also the ones inside functions and under TYPE_CHECKING: a lazy import hides
a cycle from Python, not from a reader. docs/architecture.md draws the floors listed here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

# Lowest first. A room may import rooms on its own floor or below, never above. The top-level
# files of generator/ are rooms of their own (generator.errors, ...).
FLOORS: tuple[tuple[str, ...], ...] = (
    (
        "generator.errors",
        "generator.jsonenc",
        "generator.addresses",
        "generator.codehost",
        "generator.validate",
        "generator.paths",
        "generator.program",
        "generator.runner",
        "generator.processes",
        "generator.cdkload",
        "generator.secrets",
        "generator.usercode",
        "generator.cdknames",
        "generator.cdktypes",
        "generator.enginevenv",
    ),
    ("generator.environment", "generator.cdk", "generator.facts"),
    ("generator.diagram", "generator.github", "generator.localaws", "generator.hcl"),
    ("generator.render",),
    ("generator.plan", "generator.changes"),
    ("generator.terraform", "generator.review", "generator.scaffold"),
    ("generator.commands",),
    ("generator.cli",),
)


def modules(root: Path, top: str = "generator") -> dict[str, Path]:
    found = {}
    for path in sorted((root / top).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imported(node: ast.AST, package: str) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parent = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join(parent + ([base] if base else []))
        yield base
        yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph(root: Path, top: str = "generator") -> dict[str, set[str]]:
    """module -> the modules of `top` it imports (the bare `top` package does not count)."""
    known = modules(root, top)
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _imported(node, package):
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target and target not in (name, top):
                    targets.add(target)
        graph[name] = targets
    return graph


def room(module: str) -> str:
    """generator.review.cost.rules -> generator.review; generator.errors -> generator.errors."""
    return ".".join(module.split(".")[:2])


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def rooms_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for source, targets in graph.items():
        out.setdefault(room(source), set()).update(room(t) for t in targets if room(t) != room(source))
    return out


def floor_of(name: str) -> int:
    for number, rooms in enumerate(FLOORS):
        if name in rooms:
            return number
    raise AssertionError(f"{name} is on no floor: add it to FLOORS here and to docs/architecture.md")


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{source} -> {target}"
        for source, targets in graph.items()
        for target in targets
        if floor_of(room(target)) > floor_of(room(source))
    )


def test_no_file_imports_one_that_imports_it_back() -> None:
    assert cycles(import_graph(ROOT)) == []


def test_no_module_of_the_library_imports_one_that_imports_it_back() -> None:
    assert cycles(import_graph(ROOT, "modules")) == []


def test_no_room_imports_one_that_imports_it_back() -> None:
    assert cycles(rooms_graph(import_graph(ROOT))) == []


def test_every_room_is_on_a_floor_and_imports_only_downward() -> None:
    assert upward_imports(import_graph(ROOT)) == []


def test_the_checker_sees_lazy_and_type_checking_imports(tmp_path: Path) -> None:
    package = tmp_path / "generator"
    (package / "a").mkdir(parents=True)
    (package / "b").mkdir()
    for folder in (package, package / "a", package / "b"):
        (folder / "__init__.py").write_text("")
    (package / "a" / "x.py").write_text("def f() -> None:\n    from generator.b import y\n")
    (package / "b" / "y.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..a.x import f\n"
    )
    graph = import_graph(tmp_path)
    assert "generator.b.y" in graph["generator.a.x"] and graph["generator.b.y"] == {"generator.a.x"}
    assert cycles(graph) == [["generator.a.x", "generator.b.y"]]
    assert upward_imports({"generator.render.x": {"generator.plan.y"}}) == ["generator.render.x -> generator.plan.y"]
    assert cycles(rooms_graph(graph)) == [["generator.a", "generator.b"]]


def _imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def test_tests_share_helpers_through_support_only() -> None:
    """A test module imports tests.support and tests.conftest, never another test module."""
    offenders = sorted(
        f"{path.name}: {name}"
        for path in (ROOT / "tests").glob("*.py")
        for name in _imports_of(path)
        if name.startswith("tests.test_")
    )
    assert offenders == []


def test_scripts_and_benchmarks_import_no_tests() -> None:
    files = [*(ROOT / "scripts").glob("*.py"), *(ROOT / "benchmarks").glob("*.py")]
    offenders = sorted(
        f"{path.parent.name}/{path.name}: {name}"
        for path in files
        for name in _imports_of(path)
        if name == "tests" or name.startswith("tests.")
    )
    assert offenders == []
