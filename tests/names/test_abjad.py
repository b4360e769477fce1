"""The Arabic/Hebrew spelling matcher: which Latin spellings a consonant-and-long-vowel word allows."""

from __future__ import annotations

import pytest

from chipscreen.names.abjad import is_abjad_spelling


@pytest.mark.parametrize(("abjad", "latin", "expected"), [
    ("mhmd", "mohamed", True),  # short vowels are not written
    ("mhmd", "muhamad", True),  # (the caller writes doubled letters once: "Muhammad")
    ("jlyly", "jalili", True),  # a long vowel (ي) is written in every spelling
    ("jlyly", "ghul", False),
    ("khld", "khaled", True),  # a digraph is one letter, with its own spellings
    ("khld", "haled", True),
    ("fatmh", "fatima", True),  # a final h (ة) may be silent, or written a / ah / e
    ("fatmh", "fatimah", True),
    ("thna", "son", False),  # a final alif is a long vowel every spelling writes
    ("sna", "sana", True),
    ("ab", "abu", False),  # fewer than two letters besides alif: too little to tell
])
def test_spellings(abjad: str, latin: str, expected: bool) -> None:
    assert is_abjad_spelling(abjad, latin) is expected


def test_the_compiled_expression_accepts_what_the_scan_accepts() -> None:
    """A word met often is matched by a compiled expression instead of the scan: the answers stay the same."""
    words = ["mhmd", "jlyly", "khld", "fatmh", "thna", "ysf", "abdallh", "qasm"]
    spellings = ["mohamed", "muhamad", "jalili", "ghul", "khaled", "fatima", "son", "yusuf", "yousef",
                 "abdallah", "abdulla", "qasim", "kassem", "kasim", "x", ""]
    first = {(w, s): is_abjad_spelling(w, s) for w in words for s in spellings}
    for _ in range(100):
        for w in words:
            is_abjad_spelling(w, "m")
    assert {(w, s): is_abjad_spelling(w, s) for w in words for s in spellings} == first
    assert sum(first.values()) >= 8
