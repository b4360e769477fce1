"""Word keys shared by the index and the scorer."""

from __future__ import annotations

from chipscreen.names import keys
from chipscreen.names.keys import acronym_of, identifier_key, joined_keys, name_keys, token_keys
from chipscreen.names.normalize import normalize_name
from chipscreen.names.tokens import Token


def test_identifier_key_keeps_letters_and_digits_in_upper_case() -> None:
    assert identifier_key("91440300-ma5f 3x") == "91440300MA5F3X"
    assert identifier_key("5493 00QW") == identifier_key("549300qw")


def test_acronym_of_a_name_and_its_legal_form() -> None:
    (name,) = normalize_name("Semiconductor Manufacturing International Corporation")
    assert acronym_of(name) == "smic"


def test_a_word_is_filed_under_itself_first_and_a_query_uses_fewer_keys() -> None:
    tok = Token("zelenskyy", "zelenskyy", "distinctive", 1.0)
    filed = token_keys(tok)
    looked_up = token_keys(tok, query=True)
    assert filed[0] == looked_up[0] == keys.WORD + "zelenskyy"
    assert {k[:2] for k in filed} >= {keys.DELETION, keys.TWO_DELETIONS, keys.PREFIX, keys.SUFFIX,
                                      keys.METAPHONE, keys.SKELETON, keys.KOREAN_FOLD}
    assert keys.TWO_DELETIONS + "zlenskyy" in filed and keys.TWO_DELETIONS + "zlenskyy" in looked_up
    assert not any(k.startswith(keys.SKELETON) for k in looked_up)  # a Latin query word needs no skeleton


def test_an_arabic_query_word_looks_up_its_skeleton_only() -> None:
    tok = Token("mhmd", "محمد", "distinctive", 1.0, "Arabic")
    assert token_keys(tok, query=True) == [keys.WORD + "mhmd", keys.SKELETON + "mhmd"]


def test_runs_and_acronyms_are_filed() -> None:
    assert joined_keys("huawei", False, {"Latin"})[0] == keys.WORD + "huawei"
    (name,) = normalize_name("People's Liberation Army")
    assert keys.ACRONYM + "pla" in name_keys(name)


def test_a_query_plan_keys_each_indexed_word_and_each_run_of_two_and_three_words() -> None:
    (name,) = normalize_name("Hua Wei Zhilian Technologies")
    plan = keys.query_key_plan(name)
    assert len(plan.words) == len(name.tokens)
    for tok, word_keys in zip(name.tokens, plan.words, strict=True):
        assert bool(word_keys) == (tok.role in keys.INDEXED_ROLES)
        assert not word_keys or word_keys[0] == keys.WORD + tok.text
    runs = {(s, size): k for s, size, k in plan.runs}
    assert runs[(0, 2)][0] == keys.WORD + "huawei"  # the run itself first: "Hua Wei" finds "Huawei"
    assert (0, 3) in runs and plan.acronym is None and plan.generic == ()
    assert plan.keys() == keys.query_keys(name)


def test_an_all_descriptive_query_plans_its_descriptive_words_only() -> None:
    (name,) = normalize_name("National Electronics Technology")
    plan = keys.query_key_plan(name)
    assert plan.words == () and plan.runs == ()
    assert set(plan.generic) == {keys.GENERIC + t.text for t in name.tokens if t.role in ("generic", "place")}
    assert len(plan.generic) >= 2
    assert keys.query_keys(name) == set(plan.generic)


def test_a_one_word_query_is_also_looked_up_as_an_acronym() -> None:
    (name,) = normalize_name("SMIC")
    assert keys.query_key_plan(name).acronym == keys.ACRONYM + "smic"


def test_a_run_that_joins_to_a_generic_word_reaches_a_name_of_generic_words_only() -> None:
    # "Micro-electronics" is read as "micro" (distinctive) + "electronic"; the listed name, all generic
    # words, is filed under its g: words only, which the joined run must therefore look up too
    (listed,) = normalize_name("United Microelectronics Center Co., Ltd.")
    (query,) = normalize_name("United Micro-electronics Centre Co Ltd")
    assert keys.query_keys(query) & name_keys(listed) == {keys.GENERIC + "microelectronic"}
