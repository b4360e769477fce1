"""Spelling folds: consonant skeletons and the romanisations of Korean."""

from __future__ import annotations

from chipscreen.names.folding import korean_fold, skeleton


def test_skeleton_for_abjad_scripts() -> None:
    assert skeleton("mohamed") == skeleton("muhammad") == skeleton("mhmd")


def test_korean_romanisations_fold_together() -> None:
    assert korean_fold("gimjeongeun") == korean_fold("kimjongun")
    assert korean_fold("lee") == korean_fold("yi") == korean_fold("i")
