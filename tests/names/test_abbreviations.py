"""An abbreviation that stands for several words ("AI", "IC", "R&D", "CAS") is read with the words written
out, as a further reading of the query that says so; a word that only looks like one is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipscreen.errors import DataError
from chipscreen.names import abbreviations
from chipscreen.names.abbreviations import expand_abbreviations
from chipscreen.names.screener import Screener
from chipscreen.names.tails import normalize_query


@pytest.mark.parametrize(("query", "written_out"), [
    ("Beijing Academy of AI", "Beijing Academy of artificial intelligence"),
    ("Fujian Jinhua IC Co Ltd", "Fujian Jinhua integrated circuit Co Ltd"),
    ("Shanghai IC R&D Center", "Shanghai integrated circuit research and development Center"),
    ("Institute of Physics CAS", "Institute of Physics Chinese Academy of Sciences"),
    ("PLA Air Force Engineering Univ", "People's Liberation Army Air Force Engineering Univ"),
])
def test_a_multi_word_abbreviation_is_written_out(query: str, written_out: str) -> None:
    got = expand_abbreviations(query)
    assert got is not None and got.text == written_out


@pytest.mark.parametrize("query", [
    "Ai Weiwei",  # a Chinese given name, not the capitals "AI"
    "AIRBUS SE", "Taichung Precision", "Casio Computer Co Ltd", "Pic Co", "Huawei Technologies",
    "PLA", "R&D",  # an acronym alone stays an acronym: the scorer holds those in the review band
])
def test_a_word_that_only_contains_or_resembles_one_is_left_alone(query: str) -> None:
    assert expand_abbreviations(query) is None


def test_the_written_out_reading_is_added_and_named() -> None:
    readings = normalize_query("Beijing Academy of AI")
    assert readings[0].reading == "default"
    extra = [r for r in readings if r.reading == "abbreviations written out"]
    assert extra and [t.text for t in extra[0].tokens][-2:] == ["artificial", "intelligent"]
    assert "abbreviations written out: AI = artificial intelligence" in extra[0].notes


@pytest.mark.parametrize(("query", "listed"), [
    ("Beijing Academy of AI", "Beijing Academy of Artificial Intelligence"),
    ("Fujian Jinhua IC Co Ltd", "Fujian Jinhua Integrated Circuit Company, Ltd."),
    ("Shanghai Integrated Circuit R&D Center", "Shanghai Integrated Circuit Research and Development Center"),
    ("National Time Service Center CAS", "Chinese Academy of Sciences, National Time Service Center"),
    ("NRC Kurchatov Institute", "National Research Center Kurchatov Institute"),
    # one-word shortenings of the same documents, from abbreviations.yml
    ("Tianjin Navigation Instrument Research Institute",
     "China State Shipbuilding Corporation, Limited (CSSC) 707th Research Institute"),
    ("Pegasus Gen Trdg FZC", "Pegasus General Trading FZC"),
])
def test_the_listed_party_is_the_top_hit_through_the_written_out_words(screener: Screener, query: str,
                                                                       listed: str) -> None:
    result = screener.screen(query, all_dates=True)
    top = result.matches[0]
    assert top.hit and top.name == listed, [(m.name, m.score) for m in result.matches[:3]]
    if expand_abbreviations(query) is not None:
        assert any("abbreviations written out" in n for n in top.explanation["query_normalised"])


def test_a_malformed_table_is_reported_with_file_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / abbreviations.PHRASES_FILE).write_text("phrases:\n  AI: ''\n", encoding="utf-8")
    monkeypatch.setattr(abbreviations, "names_data_dir", lambda: tmp_path)
    monkeypatch.setattr(abbreviations, "load_table", lambda name: __import__("yaml").safe_load(
        (tmp_path / name).read_text(encoding="utf-8")))
    abbreviations._table.cache_clear()
    try:
        with pytest.raises(DataError, match=r"phrases\.AI"):
            expand_abbreviations("Beijing Academy of AI")
    finally:
        abbreviations._table.cache_clear()
