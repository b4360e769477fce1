"""Progress of a long loop: a line of how far it is at most every few seconds where a person watches, nothing
otherwise, and the loop's items handed out unchanged."""

from __future__ import annotations

import pyarrow as pa
import pytest

from chipscreen import progress
from chipscreen.names.index import NameIndex


def test_a_ticker_counts_what_it_handed_out(capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHIPSCREEN_PROGRESS", "1")
    items = list(progress.Ticker("names read", 10, every=0.0).over(range(10), check_every=4))
    assert items == list(range(10))
    assert capsys.readouterr().err.splitlines() == [
        "chipscreen: names read: 0 of 10 (0 %)", "chipscreen: names read: 4 of 10 (40 %)",
        "chipscreen: names read: 8 of 10 (80 %)"]


def test_a_ticker_waits_between_lines_and_is_silent_where_nobody_watches(capsys: pytest.CaptureFixture[str],
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHIPSCREEN_PROGRESS", "1")
    assert list(progress.Ticker("names read", 3, every=3600.0).over("abc", check_every=1)) == ["a", "b", "c"]
    monkeypatch.setenv("CHIPSCREEN_PROGRESS", "0")
    assert list(progress.Ticker("names read", 3, every=0.0).over("abc", check_every=1)) == ["a", "b", "c"]
    assert capsys.readouterr().err == ""


def test_the_names_index_build_reports_the_names_read(capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHIPSCREEN_PROGRESS", "1")
    monkeypatch.setattr(progress, "TICK_SECONDS", 0.0)
    names = pa.table({"entity_id": ["e1", "e2"], "list_code": ["PARTIES", "PARTIES"],
                      "name": ["Golden Star Union Ltd", "Pacific Photon GmbH"]})
    index = NameIndex.from_tables(names)
    assert len(index) == 2
    assert "chipscreen: names index: names read: 0 of 2 (0 %)" in capsys.readouterr().err
