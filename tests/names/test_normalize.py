"""Each normalisation step on real list spellings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chipscreen.names.normalize import MAX_NAME_CHARS, normalize_name


def texts(name: str) -> list[str]:
    return [t.text for t in normalize_name(name)[0].tokens]


def roles(name: str) -> dict[str, str]:
    return {t.text: t.role for t in normalize_name(name)[0].tokens}


def test_legal_forms_removed_in_latin_and_han() -> None:
    assert texts("Huawei Technologies Co., Ltd.") == ["huawei", "technology"]
    assert texts("HUAWEI TECH CO LTD") == ["huawei", "technology"]
    assert texts("OOO Gazprom") == ["gazprom"]
    assert "有限公司" in normalize_name("华为技术有限公司")[0].legal_forms
    assert "股份有限公司" in normalize_name("科大讯飞股份有限公司")[0].legal_forms


def test_standalone_corp_words_are_legal_forms() -> None:
    assert texts("11420 CORP") == ["11420"]
    assert texts("Semiconductor Manufacturing International Corporation") == [
        "semiconductor", "manufacturing", "international"]


def test_trade_abbreviations_expand() -> None:
    assert texts("Beijing SenseTime Tech Dev") == ["beijing", "sensetime", "technology", "development"]
    assert texts("ACME SCI & TECH GRP HLDGS") == ["acme", "science", "and", "technology", "group", "holding"]
    assert texts("NATL UNIV OF DEFENSE TECHNOL") == ["national", "university", "of", "defense", "technology"]
    assert texts("SEMICON MFG INTL") == ["semiconductor", "manufacturing", "international"]


def test_roles_and_weights() -> None:
    r = roles("Beijing Zhipu Huazhang Technology Co., Ltd.")
    assert r == {"beijing": "place", "zhipu": "distinctive", "huazhang": "distinctive", "technology": "generic"}
    toks = {t.text: t.weight for t in normalize_name("Shenzhen Huawei Technologies")[0].tokens}
    assert toks["huawei"] > toks["shenzhen"] > 0
    assert toks["huawei"] > toks["technology"]


def test_punctuation_and_spacing() -> None:
    assert texts("HUAWEI-TECH") == ["huawei", "technology"]
    assert texts("Gui'an New District") == ["guian", "new", "district"]
    assert texts("Huawei Technologies (Hong Kong)")[-1] == "HK"


def test_unicode_folding_and_control_characters() -> None:
    assert texts("ＨＵＡＷＥＩ") == ["huawei"]
    assert texts("Hua\u200bwei\x00 Tech\x07") == ["huawei", "technology"]
    assert "control characters removed" in normalize_name("Huawei\x00")[0].notes
    assert texts("Владимир Путин") == ["vladimir", "putin"]


def test_mixed_scripts() -> None:
    # the characters read "hua wei": the same name written twice, counted once
    assert texts("华为 Huawei Технологии") == ["huawei", "tehnologii"]


def test_empty_and_symbol_only_names_have_no_tokens() -> None:
    assert normalize_name("")[0].tokens == ()
    assert normalize_name("   ")[0].tokens == ()
    assert normalize_name("!!! ---")[0].tokens == ()


def test_very_long_names_are_cut() -> None:
    n = normalize_name("ACME " * 2000)[0]
    assert f"cut to {MAX_NAME_CHARS} characters" in n.notes
    assert len(n.tokens) <= MAX_NAME_CHARS // 5 + 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_normalize_never_raises(text: str) -> None:
    for reading in normalize_name(text):
        for tok in reading.tokens:
            assert tok.text and tok.weight > 0


def test_a_glued_legal_form_is_split_off() -> None:
    n = normalize_name("SiemensAG")[0]
    assert [t.text for t in n.tokens] == ["siemens"] and "legal form written onto the name split off" in n.notes


def test_dots_written_for_spaces_separate_words() -> None:
    assert texts("Shanghai.Langqing.Electronic.Technology.Co") == ["shanghai", "langqing", "electronic", "technology"]
    assert texts("Acme S.R.L.") == ["acme"]
