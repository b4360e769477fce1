"""Names in Chinese characters: segmentation, pinyin, trade names and Japanese / Korean readings."""

from __future__ import annotations

from chipscreen.names.han import cjk_person_readings, han_tokens, pinyin, segment
from chipscreen.names.lexicon import tables
from chipscreen.names.normalize import normalize_name


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
