"""The public command surface: every command, argument and option of ``chipscreen``, and the exit status
of ``check`` and ``screen`` through the installed entry point. A change here is a change users see."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from chipscreen.cli import app
from chipscreen.paths import data_dir

runner = CliRunner()

# command -> its arguments (upper case) and options, in the order --help lists them
SURFACE: dict[str, list[str]] = {
    "demo": ["--home"],
    "screen": ["NAME", "--country", "--date", "--snapshot", "--list", "--id", "--limit", "--ignore-cleared", "--home",
               "--json"],
    "screen-file": ["FILE", "--out", "--name-column", "--country-column", "--date", "--snapshot", "--list",
                    "--workers", "--restart", "--queue/--no-queue", "--home", "--engine"],
    "classify": ["ITEM", "--date", "--rulebook", "--spec", "--json"],
    "check": ["SOURCE", "--rulebook", "--snapshot", "--home", "--json", "--engine", "--out"],
    "replay": ["SOURCE", "--rulebook", "--vs", "--out", "--snapshot", "--home", "--json"],
    "serve": ["--host", "--port", "--no-auth", "--log-level", "--workers", "--home"],
    "lists load": ["FILES", "--format", "--retrieved", "--skip-bad-rows", "--replace", "--list", "--accept-shrink",
                   "--wait", "--home", "--json"],
    "lists show": ["SNAPSHOT", "--home", "--json"],
    "lists diff": ["OLD", "NEW", "--list", "--datasets", "--limit", "--home", "--json"],
    "lists update": ["--source", "--mirror", "--accept-shrink", "--wait", "--home", "--json"],
    "lists changes": ["--since", "--limit", "--home", "--json"],
    "ownership load": ["FILE", "--format", "--wait", "--home", "--json"],
    "ownership show": ["NAME", "--date", "--affiliates-rule/--no-affiliates-rule", "--home", "--json"],
    "rules show": ["--date", "--rulebook", "--json"],
    "rules list": ["--json"],
    "catalog list": ["--json"],
    "catalog show": ["ITEM_ID", "--json"],
    "keys create": ["NAME", "--scope", "--rate", "--home", "--json"],
    "keys list": ["--home", "--json"],
    "keys revoke": ["KEY_ID", "--home"],
    "audit verify": ["--home", "--json"],
    "audit export": ["--since", "--home"],
    "store verify": ["--home", "--json"],
    "store restore": ["BACKUP", "--wait", "--home", "--json"],
    "monitor add": ["FILE", "--home", "--json"],
    "monitor add-transactions": ["FILE", "--home", "--json"],
    "monitor run": ["--out", "--date", "--queue/--no-queue", "--home", "--json", "--engine", "--workers"],
    "users add": ["NAME", "--role", "--password-stdin", "--home", "--json"],
    "users list": ["--home", "--json"],
    "users password": ["NAME", "--password-stdin", "--home"],
    "users disable": ["NAME", "--home"],
}
GROUPS = ["lists", "ownership", "rules", "catalog", "keys", "audit", "store"]
GROUPS += ["monitor", "users"]


def _walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, list[str]]]:
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name, sub in subcommands.items():
            yield from _walk(sub, (*path, name))
        return
    params = []
    for p in command.params:
        if p.param_type_name == "option":
            params.append("/".join([*p.opts, *p.secondary_opts]))
        else:
            params.append(p.name.upper())
    yield " ".join(path), params


def test_the_commands_and_their_options_are_the_published_ones() -> None:
    assert list(_walk(typer.main.get_command(app))) == list(SURFACE.items())


@pytest.mark.parametrize("command", ["", *GROUPS, *SURFACE])
def test_every_help_lists_its_commands_and_options(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    if command in SURFACE:
        for flag in SURFACE[command]:
            if flag.startswith("--"):
                assert flag.split("/")[0] in result.output
    else:
        below = [c.removeprefix(f"{command} ").split()[0] for c in SURFACE if c.startswith(command)]
        assert all(name in result.output for name in below)


def _chipscreen(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``chipscreen`` script (``python -m chipscreen`` where no script is installed)."""
    script = Path(sys.executable).with_name("chipscreen")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "chipscreen"]
    env = {"CHIPSCREEN_HOME": str(home), "PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


def test_check_and_screen_exit_statuses_through_the_entry_point(bundled_home: Path, tmp_path: Path) -> None:
    tx = tmp_path / "tx.json"
    tx.write_text((data_dir() / "scenarios" / "three_routes.jsonl").read_text().splitlines()[3])  # lease to iFlytek
    found = _chipscreen("check", str(tx), "--json", home=bundled_home)
    assert found.returncode == 1, found.stderr
    assert '"license_required": true' in found.stdout
    bad = _chipscreen("check", str(tmp_path / "missing.jsonl"), home=bundled_home)
    assert bad.returncode == 2 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr
    hit = _chipscreen("screen", "HUAWEI TECH CO LTD", "--country", "CN", "--json", home=bundled_home)
    assert hit.returncode == 1 and '"hit": true' in hit.stdout
    clear = _chipscreen("screen", "Acme Widgets GmbH", home=bundled_home)
    assert clear.returncode == 0, clear.stderr
    bad_date = _chipscreen("screen", "Huawei", "--date", "yesterday", home=bundled_home)
    assert bad_date.returncode == 2 and "not an ISO date" in bad_date.stderr and "Traceback" not in bad_date.stderr
