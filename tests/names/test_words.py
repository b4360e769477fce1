"""One word -> one token: roles, weights, digits read as letters, legal-form words dropped."""

from __future__ import annotations

from chipscreen.names.lexicon import tables
from chipscreen.names.normalize import normalize_name
from chipscreen.names.words import make_token, role_of, word_token


def roles(name: str) -> dict[str, str]:
    return {t.text: t.role for t in normalize_name(name)[0].tokens}


def test_patronymics_of_russian_ukrainian_and_turkic_names() -> None:
    assert roles("Sergey Viktorovich LAVROV")["viktorovich"] == "patronymic"
    assert roles("Volodymyr Oleksandrovych Zelenskyy")["oleksandrovych"] == "patronymic"
    assert roles("Yuliia Oleksandrivna Svyrydenko")["oleksandrivna"] == "patronymic"
    assert roles("Ilham Heydar oglu Aliyev")["oglu"] != "patronymic"  # too short to be read from its ending
    assert roles("Ivan Petrov")["petrov"] == "distinctive"


def test_digits_standing_for_letters() -> None:
    tok, notes = word_token("sech1n", "Latin", False, tables(), False)
    assert tok is not None and tok.text == "sechin"
    assert notes == ("digits read as letters 'sech1n' -> 'sechin'",)
    ordinal, _ = word_token("21st", "Latin", False, tables(), False)
    assert ordinal is not None and ordinal.text == "21"


def test_legal_words_are_dropped_unless_accented() -> None:
    notes: list[str] = []
    assert make_token("ltd", "Latin", False, tables(), notes) is None
    sa = make_token("sa", "Latin", False, tables(), notes, accented=True)
    assert sa is not None and sa.role == "distinctive"


def test_initials_and_stop_words() -> None:
    t = tables()
    initial = make_token("j", "Latin", False, t, [])
    assert initial is not None and initial.role == "initial" and initial.weight == tables().weights["initial"] == 0.5
    assert role_of("de", t, "Latin") == "stop"
    assert role_of("de", t, "Arabic") == "distinctive"  # a syllable of a transliterated name
