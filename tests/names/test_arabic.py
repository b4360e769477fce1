"""Arabic compound names: one spelling whichever romanisation wrote them."""

from __future__ import annotations

from chipscreen.names.arabic import arabic_compounds
from chipscreen.names.normalize import normalize_name


def texts(name: str) -> list[str]:
    return [t.text for t in normalize_name(name)[0].tokens]


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


def test_a_respelt_compound_is_noted() -> None:
    notes: list[str] = []
    assert arabic_compounds("abdurrahman", notes) == "abdulrahman"
    assert notes == ["Arabic compound spelt one way: 'abdurrahman' -> 'abdulrahman'"]
    untouched: list[str] = []
    assert arabic_compounds("john smith", untouched) == "john smith"
    assert untouched == []
