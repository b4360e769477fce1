"""``lists update`` against a real local HTTP server serving the recorded CSL files: what changes the store,
and what must leave it byte-for-byte as it was."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from publishing import Publisher

from chipscreen.errors import InputError
from chipscreen.store import Store
from chipscreen.store.guard import ShrinkRefusedError
from chipscreen.updates import FetchError, HttpSettings, read_catalog, update

FAST = HttpSettings(timeout_seconds=1.0, attempts=2, backoff_seconds=0.01, user_agent="chipscreen-test")


def csl_rows(shared: Path) -> list[list[str]]:
    with (shared / "csl" / "csl_sample_2019.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def sha(store: Store) -> str:
    return hashlib.sha256(store.path.read_bytes()).hexdigest()


def run(store: Store, pub: Publisher, *, accept_shrink: bool = False):  # type: ignore[no-untyped-def]
    return update(store, [read_catalog().sources["csl-csv"]], FAST, mirror=pub.base, accept_shrink=accept_shrink,
                  sleep=lambda s: None)


@pytest.fixture
def loaded(tmp_path: Path, shared: Path, publisher: Publisher) -> Store:
    """A store that has loaded the recorded CSL once through ``update``."""
    publisher.publish("/consolidated.csv", as_csv(csl_rows(shared)))
    store = Store(tmp_path / "home")
    first = run(store, publisher)
    assert first.snapshot is not None and [o.status for o in first.outcomes] == ["loaded"]
    return store


def test_an_unchanged_source_is_asked_conditionally_and_nothing_is_written(loaded: Store, publisher: Publisher
                                                                          ) -> None:
    before = sha(loaded)
    again = run(loaded, publisher)
    assert [o.status for o in again.outcomes] == ["unchanged"]
    assert again.snapshot is None
    assert publisher.requests[-1] == ("/consolidated.csv", publisher.files["/consolidated.csv"].etag)
    assert sha(loaded) == before


def test_a_changed_source_becomes_a_new_snapshot_and_the_old_one_stays_readable(
        loaded: Store, shared: Path, publisher: Publisher) -> None:
    old = loaded.snapshot()
    rows = csl_rows(shared)
    name = rows[0].index("name")
    rows[5][name] = rows[5][name] + " TRADING"
    sdn = [i for i, r in enumerate(rows) if "(SDN)" in r[0]]
    assert len(sdn) > 20  # one SDN entry delisted is an update, not a shrink
    del rows[sdn[-1]]
    publisher.publish("/consolidated.csv", as_csv(rows))
    got = run(loaded, publisher)
    assert got.previous == old.id and got.snapshot not in (None, old.id)
    kinds = {r.change for r in loaded.diff(old, got.snapshot)}
    assert kinds == {"removed", "changed"}
    assert loaded.counts(old) == loaded.counts(old.id)  # the previous snapshot still answers
    assert Path(got.load.datasets[0].path).is_file()  # the download is kept where the dataset says


def test_the_same_bytes_under_a_new_etag_are_not_loaded_again(loaded: Store, publisher: Publisher) -> None:
    snap = loaded.snapshot().id
    publisher.publish("/consolidated.csv", publisher.files["/consolidated.csv"].body)
    got = run(loaded, publisher)
    assert [o.status for o in got.outcomes] == ["same content"] and loaded.snapshot().id == snap
    assert run(loaded, publisher).outcomes[0].status == "unchanged"  # the new ETag was remembered


@pytest.mark.parametrize(("mode", "message"), [
    ("truncate", "truncated body"),
    ("500", "HTTP 500"),
    ("slow", "timed out"),
])
def test_a_failed_download_is_retried_then_refused_leaving_the_store_as_it_was(
        loaded: Store, shared: Path, publisher: Publisher, mode: str, message: str) -> None:
    before = sha(loaded)
    publisher.publish("/consolidated.csv", as_csv(csl_rows(shared)[:-1]), mode=mode, delay=2.5)  # type: ignore[arg-type]
    asked = len(publisher.requests)
    with pytest.raises(FetchError, match=message) as err:
        run(loaded, publisher)
    assert "failed after 2 attempt(s)" in str(err.value)
    assert len(publisher.requests) - asked == FAST.attempts
    assert sha(loaded) == before


def test_a_shrunken_list_is_refused_unless_accepted(loaded: Store, shared: Path, publisher: Publisher) -> None:
    before, snap = sha(loaded), loaded.snapshot().id
    rows = csl_rows(shared)
    publisher.publish("/consolidated.csv", as_csv(rows[: len(rows) // 2]))
    with pytest.raises(ShrinkRefusedError, match="would go from"):
        run(loaded, publisher)
    assert sha(loaded) == before and loaded.snapshot().id == snap
    accepted = run(loaded, publisher, accept_shrink=True)
    assert accepted.snapshot not in (None, snap)


def test_a_download_that_is_not_the_format_is_refused_naming_the_source(loaded: Store, publisher: Publisher
                                                                       ) -> None:
    before = sha(loaded)
    publisher.publish("/consolidated.csv", b"<html><body>Service unavailable</body></html>\n")
    with pytest.raises(InputError, match=r"source csl-csv \(http://127\.0\.0\.1:\d+/consolidated\.csv\)"):
        run(loaded, publisher)
    assert sha(loaded) == before


def test_the_csl_json_download_loads_like_the_csv(tmp_path: Path, shared: Path, publisher: Publisher) -> None:
    header, *rows = csl_rows(shared)
    import json

    doc = {"results": [dict(zip(header, r, strict=True)) for r in rows]}
    publisher.publish("/consolidated.json", json.dumps(doc).encode())
    store = Store(tmp_path / "home")
    got = update(store, [read_catalog().sources["csl-json"]], FAST, mirror=publisher.base, sleep=lambda s: None)
    assert got.snapshot is not None
    assert store.counts() == {c: n for c, n in store.counts().items() if n} and sum(store.counts().values()) > 90
