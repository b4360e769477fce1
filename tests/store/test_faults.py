"""Issue 14's fault test: ``kill -9`` at random points of ``lists load`` and ``ownership load``. After every kill
the store opens, holds the last good snapshot (the one before the load, or the load's complete result), reads
in full, and the next command works."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

from procs import LISTS, Command, start

from chipscreen.store import Store
from chipscreen.store.backup import check
from chipscreen.store.files import STORE_FILE, work_path

MEU = LISTS / "bis_meu.json"
LIST_RUNS, OWNERSHIP_RUNS = 12, 8  # 20 kills in all
State = tuple[str | None, int, tuple[int, ...]]


def _list_state(home: Path) -> State:
    """The latest snapshot, how many there are, and its entry counts."""
    with Store(home, read_only=True) as store:
        snap = store.snapshot()
        return snap.id, len(store.snapshots()), tuple(sorted(store.counts(snap).values()))


def _ownership_state(home: Path) -> State:
    with Store(home, read_only=True) as store:
        row = store.con.execute("SELECT (SELECT count(*) FROM own_datasets), (SELECT count(*) FROM own_edges)"
                                ).fetchone()
        return None, int(row[0]), (int(row[1]),) if row else (0,)


def _timed_run(cmd: Command, live: Path) -> tuple[float, float]:
    """A load run to its end: how long it took, and how long its work file existed (its write phase)."""
    t0, seen, gone = time.monotonic(), None, None
    while cmd.process.is_alive():
        exists = work_path(live).exists()
        now = time.monotonic()
        if exists and seen is None:
            seen = now
        if not exists and seen is not None and gone is None:
            gone = now
        time.sleep(0.005)
    assert cmd.wait(5) == 0, cmd.stderr
    end = time.monotonic()
    return end - t0, ((gone or end) - seen) if seen is not None else 0.05


def _kill_at(cmd: Command, live: Path, rng: random.Random, run: int, total: float, write: float) -> None:
    """Kill at a random moment of the run; every other run at a random moment of its write phase."""
    if run % 2:
        deadline = time.monotonic() + 60
        while not work_path(live).exists() and cmd.process.is_alive() and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, write))
    else:
        time.sleep(rng.uniform(0, total))
    cmd.process.kill()  # SIGKILL, unless the run has already ended (and been reaped)
    cmd.process.join(30)


def _kill_runs(home: Path, logs: Path, argv: Callable[[int], list[str]], state: Callable[[Path], State],
               runs: int, grows: Callable[[State, State], bool]) -> int:
    """Run ``argv(i)`` ``runs`` times, killing each; check the store after each kill. Returns the number of
    kills that left the load's result (the rest left the state before it)."""
    live = home / STORE_FILE
    rng = random.Random(14)
    total, write = _timed_run(start(argv(0), home, logs, "full"), live)
    committed = 0
    for run in range(1, runs + 1):
        before = state(home)
        _kill_at(start(argv(run), home, logs, f"run{run}"), live, rng, run, total, write)
        after = state(home)
        assert after == before or grows(before, after), (run, before, after)
        committed += after != before
        assert check(live).ok  # DuckDB reads every block: no torn write
    return committed


def _next_commands_work(home: Path, logs: Path, argv: list[str]) -> None:
    for cmd in (start(argv, home, logs, "next"), start(["lists", "show", "--json"], home, logs, "show")):
        assert cmd.wait(120) == 0, cmd.stderr
        assert "Traceback" not in cmd.stderr


def test_kill_9_during_lists_load_keeps_the_last_good_snapshot(home: Path, tmp_path: Path) -> None:
    def argv(run: int) -> list[str]:
        return ["lists", "load", str(MEU), "--retrieved", f"2027-01-{run + 1:02d}"]

    def grows(before: State, after: State) -> bool:  # one more snapshot, the same lists and counts
        return after[1] == before[1] + 1 and after[2] == before[2]

    _kill_runs(home, tmp_path / "logs", argv, _list_state, LIST_RUNS, grows)
    _next_commands_work(home, tmp_path / "logs", argv(LIST_RUNS + 1))


def test_kill_9_during_ownership_load_keeps_the_last_good_data(home: Path, tmp_path: Path) -> None:
    edges = 200

    def argv(run: int) -> list[str]:
        path = tmp_path / f"own-{run}.csv"
        rows = [f"HUAWEI TECHNOLOGIES CO LTD,Huawei Subsidiary {run}-{i},100,," for i in range(edges)]
        path.write_text("owner,owned,percent,start,end\n" + "\n".join(rows) + "\n", encoding="utf-8")
        return ["ownership", "load", str(path)]

    def grows(before: State, after: State) -> bool:  # one more dataset with all of its edges
        return after[1] == before[1] + 1 and after[2][0] == before[2][0] + edges

    _kill_runs(home, tmp_path / "logs", argv, _ownership_state, OWNERSHIP_RUNS, grows)
    _next_commands_work(home, tmp_path / "logs", argv(OWNERSHIP_RUNS + 1))


def test_a_file_size_limit_during_a_load_fails_cleanly(home: Path, tmp_path: Path) -> None:
    """``ulimit -f`` (or a full disk) while the copy is written: exit 2 with one line, nothing changed, no work
    file left behind."""
    live = home / STORE_FILE
    before = _list_state(home)
    cmd = start(["lists", "load", str(LISTS / "bis_entity_list.json"), "--retrieved", "2027-03-01"], home,
                tmp_path / "logs", "limited", max_file=live.stat().st_size + (64 << 10))
    assert cmd.wait(120) == 2
    message = " ".join(cmd.stderr.split())
    assert "Traceback" not in cmd.stderr and "the store was left as it was" in message, cmd.stderr
    assert _list_state(home) == before and not work_path(live).exists()
