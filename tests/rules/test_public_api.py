"""The rules package's error type and the fixed code sets the data is checked against agree with the tables the
code evaluates with (its exports are pinned in tests/test_public_surface.py)."""

from __future__ import annotations

from typing import get_args

import chipscreen.rules as rules
from chipscreen.model import ItemKind, ReviewPolicy
from chipscreen.rules import expr, rulebook_schema


def test_rulebook_error_is_a_data_error() -> None:
    from chipscreen.errors import DataError

    assert issubclass(rules.RulebookError, DataError)


def test_code_sets_agree_with_the_evaluation_tables() -> None:
    assert set(get_args(expr.Op)) == set(expr.OPS)
    assert set(get_args(expr.Param)) == set(expr.PARAMS)
    assert get_args(ReviewPolicy) == rulebook_schema.REVIEW_POLICIES
    assert get_args(ItemKind) == rulebook_schema.ITEM_KINDS


def test_every_paragraph_the_data_uses_is_a_known_code() -> None:
    known = set(rulebook_schema.PARAGRAPHS)
    for rb in rules.list_rulebooks():
        for kind in rb.classification.values():
            assert {p.paragraph for p in kind.paragraphs} <= known
            assert set(kind.from_contained) <= known
        for r in rb.requirements:
            assert r.paragraphs <= known
