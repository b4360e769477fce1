"""Issue 14 item 13: readers keep answering from the last snapshot while one process writes; a second writer
waits for the first (saying so) or stops with exit 2 and one line, never DuckDB's "Could not set lock"."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from procs import LISTS, Command, start

from chipscreen.names import Screener
from chipscreen.store import Store
from chipscreen.store.lock import writer_lock

EL, MEU = LISTS / "bis_entity_list.json", LISTS / "bis_meu.json"


def _clean(cmd: Command) -> None:
    assert "Traceback" not in cmd.stderr and "Could not set lock" not in cmd.stderr, cmd.stderr


def _datasets(home: Path) -> dict[str, str]:
    """List code -> retrieved date of the dataset the latest snapshot takes it from."""
    with Store(home, read_only=True) as store:
        snap = store.snapshot()
        return {code: str(store.dataset(did).retrieved) for code, did in snap.lists.items()}


def test_four_readers_screen_while_two_loads_run(home: Path, tmp_path: Path) -> None:
    with Store(home, read_only=True) as store:  # the readers start warm: the name index is cached
        Screener(store).screen("IFLYTEK CO LTD")
    logs = tmp_path / "logs"
    loads = [
        start(["lists", "load", str(EL), "--retrieved", "2026-08-01"], home, logs, "load-el"),
        start(["lists", "load", str(MEU), "--retrieved", "2026-08-02"], home, logs, "load-meu"),
    ]
    readers = []
    for i in range(4):
        readers.append(start(["screen", "IFLYTEK CO LTD", "--json"], home, logs, f"screen-{i}"))
        time.sleep(0.3)
    codes = [c.wait(180) for c in loads + readers]
    for cmd in loads + readers:
        _clean(cmd)
    assert codes == [0, 0, 1, 1, 1, 1]  # both loads done; every reader found the listed party (exit 1)
    for reader in readers:
        assert json.loads(reader.stdout)["matches"][0]["name"] == "IFLYTEK"
    got = _datasets(home)
    assert (got["EL"], got["MEU"]) == ("2026-08-01", "2026-08-02")  # neither load lost the other's list


def test_a_second_writer_waits_with_a_message_then_loads(home: Path, tmp_path: Path) -> None:
    with writer_lock(home, wait=0, poll=0.05):  # another writer holds the store
        load = start(["lists", "load", str(MEU), "--retrieved", "2026-08-03", "--wait", "60"], home, tmp_path, "w")
        show = start(["lists", "show", "--json"], home, tmp_path, "show")
        assert show.wait(60) == 0  # a reader does not wait for the writer
        deadline = time.monotonic() + 60
        while "waiting up to 60 s for pid" not in load.stderr and time.monotonic() < deadline:
            time.sleep(0.1)
        assert load.process.is_alive() and "waiting up to 60 s for pid" in load.stderr
    assert load.wait(120) == 0
    _clean(load)
    assert _datasets(home)["MEU"] == "2026-08-03"


@pytest.mark.parametrize("argv", [
    ["lists", "load", str(MEU), "--retrieved", "2026-08-04"],
    ["ownership", "load", str(Path(__file__).resolve().parents[2] / "data" / "scenarios" / "ownership.csv")],
], ids=["lists-load", "ownership-load"])
def test_a_writer_that_cannot_wait_stops_with_one_line(home: Path, tmp_path: Path, argv: list[str]) -> None:
    before = _datasets(home)
    with writer_lock(home, wait=0, poll=0.05):
        t0 = time.monotonic()
        load = start([*argv, "--wait", "1"], home, tmp_path, "w")
        assert load.wait(60) == 2
        assert time.monotonic() - t0 < 30
    _clean(load)
    message = " ".join(load.stderr.split())
    assert "the store is being written by pid" in message and "gave up after 1 s" in message
    assert "Nothing was changed" in message
    assert _datasets(home) == before
