"""Hanyu Pinyin of a Chinese registered name reads as what its words mean, joined or split."""

from __future__ import annotations

import pytest

from chipscreen.names.normalize import normalize_name
from chipscreen.names.pinyin import pinyin_table
from chipscreen.names.score import compare_names
from chipscreen.names.thresholds import thresholds


@pytest.mark.parametrize(("written", "words", "legal"), [
    ("Yuncong Keji Jituan Gufen Youxian Gongsi", ["yuncong", "technology", "group"], "Gufen Youxian Gongsi"),
    ("KUANG SHI KE JI YOU XIAN GONG SI", ["kuang", "shi", "technology"], "you xian gong si"),
    ("Changjiang Cunchu Keji YouxianGongsi", ["changjiang", "cunchu", "technology"], "youxiangongsi"),
])
def test_pinyin_words_and_legal_forms_read_as_their_meaning(written: str, words: list[str], legal: str) -> None:
    got = normalize_name(written)[0]
    assert [t.text for t in got.tokens] == words
    assert legal.casefold() in [f.casefold() for f in got.legal_forms]
    assert any(n.startswith("Pinyin") for n in got.notes)


@pytest.mark.parametrize(("pinyin", "registered"), [
    ("Shenzhen Dajiang Chuangxin Keji Youxian Gongsi", "深圳市大疆创新科技有限公司"),
    ("Yuncong Keji Jituan Gufen Youxian Gongsi", "云从科技集团股份有限公司"),
    ("Kuangshi Keji Youxian Gongsi", "旷视科技有限公司"),
])
def test_the_pinyin_of_a_registered_name_hits_the_chinese_name(pinyin: str, registered: str) -> None:
    assert compare_names(pinyin, registered).score >= thresholds().hit


def test_every_pinyin_key_is_lower_case_letters() -> None:
    assert all(k.isalpha() and k.islower() for k in pinyin_table())


@pytest.mark.parametrize("written", ["华为 Huawei", "Huawei 华为", "Huawei Hua Wei", "Hua Wei Huawei"])
def test_a_name_written_twice_side_by_side_is_one_name(written: str) -> None:
    got = normalize_name(written)[0]
    assert [t.text for t in got.tokens] == ["huawei"]
    assert any("written again" in n for n in got.notes)
    assert compare_names(written, "Huawei Technologies Co., Ltd.").score >= thresholds().hit


def test_a_persons_repeated_short_syllables_stay() -> None:
    assert [t.text for t in normalize_name("Li Li")[0].tokens] == ["li", "li"]
