"""The store methods the engines call are on ``Store`` (its exports are pinned in tests/test_public_surface.py)."""

from __future__ import annotations

import chipscreen.store as store


def test_the_store_methods_engines_call_are_on_store() -> None:
    for method in (
        "transaction",
        "latest_snapshot",
        "snapshots",
        "snapshot",
        "dataset",
        "datasets",
        "resolve_dataset",
        "load",
        "names_table",
        "identifiers_table",
        "relations_table",
        "entries",
        "listing_facts",
        "counts",
        "diff",
        "diff_datasets",
    ):
        assert callable(getattr(store.Store, method)), method
