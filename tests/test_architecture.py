"""The package's shape, as docs/architecture.md promises it: small modules with one job each, modules that talk
through public names only, and imports that run one way (sources -> store -> engines -> decide -> cli).

Every import counts, including those inside functions and under ``TYPE_CHECKING``: a cycle hidden in a function
is still a cycle a maintainer has to keep in their head."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "chipscreen"
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60


@dataclass(frozen=True)
class Import:
    importer: str
    module: str  # the module named in the statement
    names: tuple[str, ...]  # the names taken from it (empty for ``import x``)
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def imports_of(name: str, path: Path) -> Iterator[Import]:
    is_package = path.name == "__init__.py"
    base = name.split(".") if is_package else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - (node.level - 1)]
                module = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            yield Import(name, module, tuple(a.name for a in node.names), node.lineno)


ALL_IMPORTS = [imp for name, path in MODULES.items() for imp in imports_of(name, path)]


def is_private(word: str) -> bool:
    return word.startswith("_") and not word.startswith("__")


def targets(imp: Import) -> list[str]:
    """The modules of this package an import statement loads (a submodule when it names one)."""
    if not imp.module.startswith(PACKAGE):
        return []
    if not imp.names:
        return [imp.module] if imp.module in MODULES else []
    found = []
    for n in imp.names:
        sub = f"{imp.module}.{n}"
        found.append(sub if sub in MODULES else imp.module)
    return [t for t in found if t in MODULES]


def import_graph() -> dict[str, set[str]]:
    """Module -> modules it imports; a package's ``__init__`` re-exporting its own submodules is not an edge."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for imp in ALL_IMPORTS:
        for target in targets(imp):
            if target == imp.importer or target.startswith(imp.importer + "."):
                continue
            graph[imp.importer].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
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


def test_no_module_is_over_the_size_limit() -> None:
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    assert {n: s for n, s in sizes.items() if s > MAX_MODULE_LINES} == {}


def test_no_function_is_over_the_size_limit() -> None:
    long = {}
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{name}.{node.name}:{node.lineno}"] = length
    assert long == {}


def test_no_module_imports_another_modules_private_names() -> None:
    private = [
        f"{imp.importer}:{imp.line} imports {', '.join(imp.names) or imp.module} from {imp.module}"
        for imp in ALL_IMPORTS
        if imp.module != "__future__"
        and (any(is_private(part) for part in imp.module.split(".")) or any(is_private(n) for n in imp.names))
    ]
    assert private == []


def test_there_is_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The guard above can fail: a two-module loop and a three-module loop are both reported."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": set()}
    assert sorted(cycles(graph)) == [["a", "b"], ["c", "d", "e"]]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from chipscreen.names.index import _gather\n", True),
        ("def f():\n    from rigour._core import x\n", True),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from chipscreen.x import _Y\n", True),
        ("from chipscreen.names.index import NameIndex\n", False),
    ],
)
def test_private_imports_are_seen_wherever_they_are_written(tmp_path: Path, source: str, expected: bool) -> None:
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    found = [
        imp
        for imp in imports_of("probe", path)
        if any(is_private(p) for p in imp.module.split(".")) or any(is_private(n) for n in imp.names)
    ]
    assert bool(found) is expected


def test_engines_do_not_import_the_command_line() -> None:
    """The CLI is a shell over the library: nothing outside it may depend on it."""
    offenders = [
        f"{imp.importer}:{imp.line}"
        for imp in ALL_IMPORTS
        if not imp.importer.startswith(f"{PACKAGE}.cli") and imp.importer != f"{PACKAGE}.__main__"
        and any(t == f"{PACKAGE}.cli" or t.startswith(f"{PACKAGE}.cli.") for t in targets(imp))
    ]
    assert offenders == []
