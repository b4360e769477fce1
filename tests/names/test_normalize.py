"""Each normalisation step on real list spellings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chipscreen.names.normalize import MAX_NAME_CHARS, normalize_name, skeleton


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


def test_patronymics_of_russian_ukrainian_and_turkic_names() -> None:
    assert roles("Sergey Viktorovich LAVROV")["viktorovich"] == "patronymic"
    assert roles("Volodymyr Oleksandrovych Zelenskyy")["oleksandrovych"] == "patronymic"
    assert roles("Yuliia Oleksandrivna Svyrydenko")["oleksandrivna"] == "patronymic"
    assert roles("Ilham Heydar oglu Aliyev")["oglu"] != "patronymic"  # too short to be read from its ending
    assert roles("Ivan Petrov")["petrov"] == "distinctive"


def test_punctuation_and_spacing() -> None:
    assert texts("HUAWEI-TECH") == ["huawei", "technology"]
    assert texts("Gui'an New District") == ["guian", "new", "district"]
    assert texts("Huawei Technologies (Hong Kong)")[-1] == "HK"


def test_a_country_in_an_organisation_name_has_one_spelling() -> None:
    # "U.S.", "USA" and "United States" are one country; the ISO code in capitals equals no other word
    assert texts("U.S. Department of State")[0] == texts("United States Department of State")[0] == "US"
    assert texts("Huawei Technologies USA Inc.")[-1] == "US"
    assert texts("Mendez Norge A/S") == texts("Mendez Norway AS") == ["mendez", "NO"]
    # cities keep their names, and "Global" is a word, not rigour's pseudo-territory
    assert texts("Beijing SenseTime Tech Dev")[0] == "beijing"
    assert roles("Bowne Global Solutions Inc")["global"] == "generic"


def test_roman_numerals_in_organisation_names_are_numbers() -> None:
    assert texts("Bowne Global Solutions II, Inc.")[-1] == "2"
    assert texts("KKR Asian Fund IV L.P.")[-1] == "4"
    assert texts("Citigroup Capital Trust I")[-1] == "1"
    # a syllable that spells a numeral is a number only at the end of the name, and never in a person's
    assert texts("Xi Dian Technology Co")[0] == "xi"
    assert texts("Xi Jinping") == ["xi", "jinping"]


def test_arabic_compounds_have_one_spelling() -> None:
    # abd + the article: the UN and OFAC spelling, the common one, the one-word ones
    assert texts("ABD AL-RAHMAN") == texts("Abdul Rahman") == texts("Abd ar-Rahman") == ["abdul", "rahman"]
    assert texts("ʿAbd al-ʿAziz") == ["abdul", "aziz"]
    assert texts("Abdurrahman Wahid") == ["abdulrahman", "wahid"]
    assert texts("Abderrahmane") == ["abdulrahmane"]
    assert texts("Abdallah") == texts("Abd-Allah") == texts("Abdullah") == ["abdullah"]
    assert texts("Abdessalam") == texts("Abdussalam") == ["abdulsalam"]
    # the article + din: apart, as one word, fused to the name
    assert texts("Saif al-Din") == texts("Saif ad-Din") == texts("Saif-ud-Din") == ["saif", "uddin"]
    assert texts("Seif Eddine") == ["seif", "uddin"]
    assert texts("Shamseddine") == texts("Shamsuddin") == ["shamsuddin"]
    # the article's consonant must be the next word's first letter, and a name is not cut open
    assert texts("Abdon Pamich") == ["abdon", "pamich"]
    assert texts("Abd Ar Smith") == ["abd", "ar", "smith"]
    assert texts("Geraldine Smith") == ["geraldine", "smith"]
    assert texts("Aladdin Corp") == ["aladdin"]
    assert texts("Abdoulaye Wade") == ["abdoulaye", "wade"]


def test_han_reads_as_pinyin_with_org_words_translated() -> None:
    assert texts("华为技术有限公司") == ["hua", "wei", "technology"]
    assert texts("北京智谱华章科技有限公司") == ["beijing", "zhi", "pu", "hua", "zhang", "technology"]


def test_han_trade_name_gives_a_second_reading() -> None:
    readings = normalize_name("科大讯飞股份有限公司")
    assert [r.reading for r in readings] == ["default", "trade-name"]
    assert [t.text for t in readings[1].tokens] == ["iflytek"]
    assert [t.text for t in normalize_name("中科曙光")[1].tokens] == ["sugon"]


def test_unicode_folding_and_control_characters() -> None:
    assert texts("ＨＵＡＷＥＩ") == ["huawei"]
    assert texts("Hua\u200bwei\x00 Tech\x07") == ["huawei", "technology"]
    assert "control characters removed" in normalize_name("Huawei\x00")[0].notes
    assert texts("Владимир Путин") == ["vladimir", "putin"]


def test_mixed_scripts() -> None:
    assert texts("华为 Huawei Технологии") == ["hua", "wei", "huawei", "tehnologii"]


def test_empty_and_symbol_only_names_have_no_tokens() -> None:
    assert normalize_name("")[0].tokens == ()
    assert normalize_name("   ")[0].tokens == ()
    assert normalize_name("!!! ---")[0].tokens == ()


def test_very_long_names_are_cut() -> None:
    n = normalize_name("ACME " * 2000)[0]
    assert f"cut to {MAX_NAME_CHARS} characters" in n.notes
    assert len(n.tokens) <= MAX_NAME_CHARS // 5 + 1


def test_skeleton_for_abjad_scripts() -> None:
    assert skeleton("mohamed") == skeleton("muhammad") == skeleton("mhmd")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_normalize_never_raises(text: str) -> None:
    for reading in normalize_name(text):
        for tok in reading.tokens:
            assert tok.text and tok.weight > 0
