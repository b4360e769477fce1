"""What other packages import from ``chipscreen.store`` stays importable from there after the split."""

from __future__ import annotations

import chipscreen.store as store

EXPORTED = {
    "SCHEMA_VERSION",
    "DatasetInfo",
    "DiffRow",
    "ListedEntry",
    "LoadResult",
    "SnapshotInfo",
    "SnapshotRef",
    "Store",
    "default_home",
}


def test_the_store_package_exports_its_public_names() -> None:
    assert set(store.__all__) == EXPORTED
    for name in EXPORTED:
        assert getattr(store, name) is not None


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
