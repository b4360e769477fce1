"""Items a user ships beyond the catalog's chips (issue 13, items 10-12): a server with a chip the catalog
does not know, a computer with no accelerator, an item that carries its own ECCN, and the .z paragraphs
(docs/export-controls.md §2.4; 88 FR 73458)."""

from __future__ import annotations

from rules_helpers import d

from chipscreen.model import Item
from chipscreen.rules import classify

BEFORE_2023 = d("2023-11-16")
R2023 = d("2023-11-17")

NEW_CHIP = {"id": "new-accel", "kind": "ic", "datacenter": True, "dense_tops": {"fp16": 1000}, "die_area_mm2": 800}


def test_an_inline_ic_inside_contains_is_classified_like_a_catalog_one() -> None:
    server = Item.model_validate(
        {"id": "new-server", "kind": "system", "datacenter": True, "contains": {"item": NEW_CHIP, "count": 8}}
    )
    res = classify(server, R2023)
    assert res.paragraph == "4A090.a"
    assert res.contained is not None and res.contained.item == "new-accel" and res.contained.tpp == 16000
    assert res.contained_count == 8


def test_an_inline_ic_below_the_thresholds_leaves_the_server_outside_4a090() -> None:
    small = {**NEW_CHIP, "dense_tops": {"fp16": 50}}
    server = Item.model_validate({"id": "s", "kind": "system", "contains": {"item": small, "count": 2}})
    assert classify(server, R2023).status == "not_controlled"
