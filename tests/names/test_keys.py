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
