"""What a reading derives once from its tokens, for every candidate it is compared with."""

from __future__ import annotations

import pytest

from chipscreen.names.normalize import normalize_name
from chipscreen.names.tokens import NormalizedName, Token, named


def test_derived_fields() -> None:
    zte = NormalizedName("ZTE Corp", (Token("zte", "zte", "distinctive", 1.0),), ("Corp",))
    assert zte.acronym_word == "zte" and zte.org_like and zte.legal_words == frozenset({"corp"})
    person = NormalizedName("Li Wei", (Token("li", "li", "distinctive", 1.0), Token("wei", "wei", "distinctive", 1.0)))
    assert person.acronym_word is None and not person.org_like and person.total_weight == 2.0
    sa = NormalizedName("Acme SA", (Token("acme", "acme", "distinctive", 1.0),), ("SA",))
    assert not sa.org_like  # a two-letter form is also a particle of people's names
    han = NormalizedName("华为", (Token("hua", "hua", "distinctive", 1.0, "Han"),))
    assert han.cjk_chars == ("华", "为") and han.only_cjk


def test_named_keeps_each_legal_form_once_and_collects_numbers() -> None:
    n = named("Fund 4 Ltd Ltd", [Token("fund", "fund", "generic", 0.3), Token("4", "4", "number", 1.0)],
              ["Ltd", "Ltd"], (), "default")
    assert n.legal_forms == ("Ltd",) and n.numbers == frozenset({"4"}) and n.has_distinctive


@pytest.mark.parametrize(("name", "org_like"), [
    ("Nordvik Finland A/S", True),       # a slash between the letters: a legal form
    ("Mendez Sweden, AB", True),         # last, after a comma that follows two words
    ("Smith, AB", False),                # a surname and initials
    ("Lee, S.A.", False),
    ("Ab Cd", False),
])
def test_a_two_letter_legal_form_marks_an_organisation_only_when_written_as_one(name: str, org_like: bool) -> None:
    assert normalize_name(name)[0].org_like is org_like
