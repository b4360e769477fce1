"""A command imports only what it needs (issue 14 item 19: a warm ``chipscreen screen`` answers within a
second): the web service and the decision engine are not imported to screen one name."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

PROBE = ("import sys; sys.argv = ['chipscreen', *sys.argv[1:]]; import chipscreen.cli as c\n"
         "try:\n    c.main()\nexcept SystemExit:\n    pass\n"
         "print('LOADED', *sorted(m for m in sys.modules if m in {'fastapi', 'uvicorn', 'chipscreen.decide.engine',"
         " 'chipscreen.cli.serve', 'chipscreen.cli.screen', 'chipscreen.cli.check'}))")


def _loaded(*args: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True).stdout
    return set(out.rpartition("LOADED")[2].split())


def test_screen_imports_neither_the_service_nor_the_decision_engine() -> None:
    assert _loaded("screen", "--help") == {"chipscreen.cli.screen"}


def test_check_imports_the_decision_engine_but_not_the_service() -> None:
    assert _loaded("check", "--help") == {"chipscreen.cli.check", "chipscreen.decide.engine"}


def test_help_and_the_app_attribute_have_every_command_in_order() -> None:
    assert {"chipscreen.cli.serve", "chipscreen.cli.screen", "chipscreen.cli.check"} <= _loaded("--help")
    from chipscreen.cli import app

    listed = CliRunner().invoke(app, ["--help"]).output
    names = ["lists", "demo", "screen", "ownership", "rules", "check", "serve", "keys", "audit", "store"]
    positions = [listed.find(f" {n} ") for n in names]
    assert -1 not in positions
