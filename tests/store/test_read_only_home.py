"""Issue 14 item 14: on a read-only ``CHIPSCREEN_HOME`` every read command works and every write says why it
cannot. The commands meet the file modes even when the tests run as root (``procs``)."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from procs import LISTS, Command, start

from chipscreen.names import Screener
from chipscreen.store import Store

TX = {"id": "t1", "date": "2024-01-10", "kind": "export", "item": "nvidia-h100-sxm5", "quantity": 1, "from": "US",
      "to": "CN", "parties": [{"role": "end_user", "name": "IFLYTEK", "country": "CN"}]}


def _freeze(path: Path) -> None:
    """Read-only for everyone: folders r-x, files r--."""
    for p in [path, *path.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)


@pytest.fixture
def read_only_home(home: Path, tmp_path: Path) -> Iterator[Path]:
    """A read-only home with the bundled store and its warm name index (as a user's earlier run left it)."""
    with Store(home, read_only=True) as store:
        Screener(store).screen("IFLYTEK CO LTD")
    (tmp_path / "tx.json").write_text(json.dumps(TX), encoding="utf-8")
    _freeze(home)
    yield home
    for p in [home, *home.rglob("*")]:
        p.chmod(p.stat().st_mode | stat.S_IWUSR)


def _run(argv: list[str], home: Path, logs: Path, name: str) -> Command:
    cmd = start(argv, home, logs, name, unprivileged=True)
    cmd.wait(180)
    assert "Traceback" not in cmd.stderr, cmd.stderr
    return cmd


def test_read_commands_work_on_a_read_only_home(read_only_home: Path, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    before = sorted(p.name for p in read_only_home.rglob("*"))
    show = _run(["lists", "show", "--json"], read_only_home, logs, "show")
    assert show.process.exitcode == 0 and json.loads(show.stdout)["snapshot"].startswith("s")
    screen = _run(["screen", "IFLYTEK CO LTD", "--json"], read_only_home, logs, "screen")
    assert screen.process.exitcode == 1 and json.loads(screen.stdout)["matches"][0]["name"] == "IFLYTEK"
    check = _run(["check", str(tmp_path / "tx.json"), "--json"], read_only_home, logs, "check")
    assert check.process.exitcode == 1 and json.loads(check.stdout)["license_required"] is True
    owner = _run(["ownership", "show", "IFLYTEK", "--json"], read_only_home, logs, "ownership")
    assert owner.process.exitcode in (0, 1) and json.loads(owner.stdout)
    assert sorted(p.name for p in read_only_home.rglob("*")) == before


@pytest.mark.parametrize("argv", [
    ["lists", "load", str(LISTS / "bis_meu.json"), "--retrieved", "2026-08-01"],
    ["ownership", "load", str(Path(__file__).resolve().parents[2] / "data" / "scenarios" / "ownership.csv")],
], ids=["lists-load", "ownership-load"])
def test_writes_on_a_read_only_home_say_why_they_cannot(read_only_home: Path, tmp_path: Path,
                                                        argv: list[str]) -> None:
    cmd = _run(argv, read_only_home, tmp_path / "logs", "write")
    message = " ".join(cmd.stderr.split())
    assert cmd.process.exitcode == 2
    assert f"{read_only_home}: cannot write the store here (Permission denied)" in message
    assert "Read commands (lists show, screen, check) still work" in message
