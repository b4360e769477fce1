"""An entry's content hash: the same for the same listed facts whatever file they came from, different
when a fact changes (so a remembered disposition holds, or the case re-opens)."""

from __future__ import annotations

from chipscreen.review import entry_hash, entry_hashes
from chipscreen.store import Store


def test_the_hash_follows_the_content_not_the_source_file(bundled_store: Store) -> None:
    snap = bundled_store.snapshot().id
    entry = bundled_store.entries(snap, lists=["EL"])[0]
    same = type(entry)(entry.party, entry.listing.model_copy(update={"source": "a-newer-file.json"}),
                       "another-dataset")
    changed = type(entry)(entry.party, entry.listing.model_copy(update={"remarks": "amended"}), entry.dataset_id)
    assert entry_hash([entry]) == entry_hash([same])
    assert entry_hash([entry]) != entry_hash([changed])


def test_hashes_are_read_for_the_entities_asked(bundled_store: Store) -> None:
    snap = bundled_store.snapshot().id
    ids = [e.party.id for e in bundled_store.entries(snap, lists=["EL"])[:3]]
    got = entry_hashes(bundled_store, snap, ids)
    assert set(got) == set(ids) and all(len(h) == 64 for h in got.values())
