"""``screen --ignore-cleared`` and ``screen-file --queue`` read and feed the review desk's memory: a pair an
analyst cleared stays out of later screening until the entry's content changes."""

from __future__ import annotations

import json
from pathlib import Path

from chipscreen.names import Screener
from chipscreen.review import CaseStore, UserStore, entry_hashes, match_inputs
from chipscreen.store import Store

NAME = "Sense Time"


def clear_first_match(store: Store, home: Path) -> str:
    """File the screening's matches and clear the first as a false positive, as the desk would."""
    snap = store.snapshot().id
    matches = Screener(store, snapshot=snap).screen(NAME, country="CN").matches
    hashes = entry_hashes(store, snap, [m.entity_id for m in matches])
    cases = CaseStore(home)
    filed = cases.file(match_inputs(NAME, "CN", matches, hashes, source="test", snapshot=snap))
    first = next(c for c in filed if c.entry_id == matches[0].entity_id)
    cases.dispose(first.id, "ana", "false_positive", "a different SenseTime company")
    return first.entry_id


def forget_cases(home: Path) -> None:
    """The session's shared home is left as it was found."""
    for f in home.glob("review.sqlite*"):
        f.unlink()


def test_ignore_cleared_leaves_out_the_cleared_pair_and_says_why(run_cli, bundled_store: Store,  # type: ignore[no-untyped-def]
                                                                 bundled_home: Path) -> None:
    try:
        cleared_id = clear_first_match(bundled_store, bundled_home)
        _, plain, _ = run_cli("screen", NAME, "--country", "CN", "--home", str(bundled_home), "--json")
        _, ignoring, err = run_cli("screen", NAME, "--country", "china", "--ignore-cleared", "--home",
                                   str(bundled_home), "--json")
    finally:
        forget_cases(bundled_home)
    assert cleared_id in [m["entity_id"] for m in json.loads(plain)["matches"]]
    assert cleared_id not in [m["entity_id"] for m in json.loads(ignoring)["matches"]]
    assert "cleared by ana on" in err and "a different SenseTime company" in err


def test_screen_file_queue_files_each_match_once(run_cli, bundled_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "names.csv"
    src.write_text(f"name,country\n{NAME},CN\n{NAME},CN\nAcme Plumbing Supplies,US\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    try:
        code, _, err = run_cli("screen-file", str(src), "--out", str(out), "--country-column", "country", "--queue",
                               "--home", str(bundled_home))
        cases, total = CaseStore(bundled_home).queue()
    finally:
        forget_cases(bundled_home)
    assert code == 1, err
    assert total > 0 and f"{total:,} new case(s)" in err
    assert {c.party_name for c in cases} == {NAME} and all(c.source == "screen-file" for c in cases)
    assert len({c.entry_id for c in cases}) == total  # the repeated row filed nothing new


def test_a_home_with_a_desk_files_screen_file_matches_unless_told_not_to(  # type: ignore[no-untyped-def]
    run_cli, bundled_home: Path, tmp_path: Path
) -> None:
    src = tmp_path / "names.csv"
    src.write_text(f"name,country\n{NAME},CN\n", encoding="utf-8")
    desk = bundled_home / "desk.sqlite"
    try:
        code, _, err = run_cli("screen-file", str(src), "--out", str(tmp_path / "a.jsonl"), "--country-column",
                               "country", "--home", str(bundled_home))
        without_desk = CaseStore(bundled_home).queue()[1]
        UserStore(bundled_home).close()  # what `chipscreen serve` and `users add` make
        run_cli("screen-file", str(src), "--out", str(tmp_path / "b.jsonl"), "--country-column", "country",
                "--no-queue", "--home", str(bundled_home))
        refused = CaseStore(bundled_home).queue()[1]
        code, _, err = run_cli("screen-file", str(src), "--out", str(tmp_path / "c.jsonl"), "--country-column",
                               "country", "--home", str(bundled_home))
        with_desk = CaseStore(bundled_home).queue()[1]
    finally:
        forget_cases(bundled_home)
        for f in bundled_home.glob("desk.sqlite*"):
            f.unlink()
    assert not desk.exists()
    assert (without_desk, refused) == (0, 0)
    assert code == 1 and with_desk > 0 and f"{with_desk:,} new case(s)" in err
