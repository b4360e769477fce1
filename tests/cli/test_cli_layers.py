"""The CLI sits on top: no engine imports it, and inside ``chipscreen.cli`` imports go one way only,
shared modules <- command modules <- the package. Imports inside functions and under TYPE_CHECKING count."""

from __future__ import annotations

import ast
from pathlib import Path

import chipscreen

SRC = Path(chipscreen.__file__).parent
SHARED = {"app", "options", "output", "render"}
# helpers of one command that import no command module
SHARED |= {"resume", "screen_rows"}
COMMANDS = {"lists", "screen", "ownership", "rules", "check", "demo", "serve", "keys", "audit", "store"}
COMMANDS |= {"monitor", "users"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every chipscreen module the file imports, anywhere in it (``from chipscreen.cli import render``
    counts as importing ``chipscreen.cli.render``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in found if m.startswith("chipscreen")}


def _cli_modules_imported(path: Path) -> set[str]:
    return {m.split(".")[2] for m in _imports(path) if m.startswith("chipscreen.cli.")}


def test_no_module_outside_the_cli_imports_it() -> None:
    offenders = [
        _module_name(p)
        for p in SRC.rglob("*.py")
        if not _module_name(p).startswith("chipscreen.cli")
        and any(m == "chipscreen.cli" or m.startswith("chipscreen.cli.") for m in _imports(p))
    ]
    assert offenders == ["chipscreen.__main__"]


def test_cli_imports_go_one_way() -> None:
    cli = SRC / "cli"
    assert {p.stem for p in cli.glob("*.py")} == SHARED | COMMANDS | {"__init__"}
    for name in SHARED:
        assert not _cli_modules_imported(cli / f"{name}.py") & (COMMANDS | {"__init__"}), name
    for name in COMMANDS:
        assert _cli_modules_imported(cli / f"{name}.py") <= SHARED, name


def test_the_engines_have_no_cli_modules() -> None:
    assert sorted(p.relative_to(SRC).as_posix() for p in SRC.rglob("cli.py")) == []
