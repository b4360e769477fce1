"""Names in Chinese characters: segmentation, pinyin, trade names and Japanese / Korean readings."""

from __future__ import annotations

import pytest

from chipscreen.names.han import cjk_person_readings, han_tokens, pinyin, segment, simplified
from chipscreen.names.lexicon import tables
from chipscreen.names.normalize import normalize_name
from chipscreen.names.screener import Screener


def texts(name: str) -> list[str]:
    return [t.text for t in normalize_name(name)[0].tokens]


def test_han_reads_as_pinyin_with_org_words_translated() -> None:
    assert texts("华为技术有限公司") == ["hua", "wei", "technology"]
    assert texts("北京智谱华章科技有限公司") == ["beijing", "zhi", "pu", "hua", "zhang", "technology"]


def test_han_trade_name_gives_a_second_reading() -> None:
    readings = normalize_name("科大讯飞股份有限公司")
    assert [r.reading for r in readings] == ["default", "trade-name"]
    assert [t.text for t in readings[1].tokens] == ["iflytek"]
    assert [t.text for t in normalize_name("中科曙光")[1].tokens] == ["sugon"]


def test_pinyin_is_memoised_per_run() -> None:
    assert pinyin("华为") == ("hua", "wei")
    before = pinyin.cache_info().hits
    pinyin("华为")
    assert pinyin.cache_info().hits == before + 1


def test_han_legal_forms_go_longest_first() -> None:
    legal: list[str] = []
    default, trade = han_tokens("科大讯飞股份有限公司", tables(), [], legal)
    assert legal == ["股份有限公司"]  # not 有限公司 or 公司 inside it
    assert [t.text for t in trade] == ["iflytek"]
    assert [t.script for t in default] == ["Han"] * len(default)


def test_organisation_names_get_no_person_readings() -> None:
    assert cjk_person_readings("华为技术有限公司有限公司", "华为技术有限公司有限公司", tables()) == []
    assert cjk_person_readings("王 小 明", "王 小 明", tables()) == []  # spaced: a Chinese listing


def test_a_known_word_straddling_two_others_does_not_leave_a_stray_character() -> None:
    """From the left, 龙芯中科技术 cuts 龙芯中 / 科技 / 术; from the right, 龙芯中科 / 技术: the cut with fewer
    unknown runs wins, and a plain name keeps its left-to-right cut."""
    vocab = tables().han_vocab
    assert segment("龙芯中科技术", vocab) == [("龙芯中科", False), ("技术", True)]
    want = [("杭州", True), ("海康威视", True), ("数字", True), ("技术", True)]
    assert segment("杭州海康威视数字技术", vocab) == want


@pytest.mark.parametrize(("traditional", "simple"), [
    ("華為技術有限公司", "华为技术有限公司"), ("中芯國際集成電路製造有限公司", "中芯国际集成电路制造有限公司"),
    ("华为技术", "华为技术"),  # already simplified: unchanged
])
def test_traditional_characters_are_read_as_simplified(traditional: str, simple: str) -> None:
    assert simplified(traditional) == simple


@pytest.mark.parametrize(("query", "entry"), [
    ("華為技術有限公司", "Huawei Technologies Co., Ltd."),
    ("杭州海康威視數字技術股份有限公司", "Hangzhou Hikvision Digital Technology Co., Ltd."),
])
def test_a_registered_name_written_in_traditional_characters_finds_its_entry(screener: Screener, query: str,
                                                                             entry: str) -> None:
    result = screener.screen(query, all_dates=True)
    assert result.matches[0].hit and result.matches[0].name == entry, [(m.name, m.score) for m in result.matches]
