"""``lists update``: fetch the official sources, and load what changed as one new snapshot, or nothing.

The order is what makes it safe: every source is fetched (conditionally) into a temporary folder, every
changed file is parsed and validated, and only then does one store write load them all and record the
sources' new validators; the shrink guard runs inside that write. Anything failing before or inside it
leaves the store file as it was (the write goes to a copy, published only when complete), and the
previous snapshot stays readable either way. A source whose server answers 304, or sends the very bytes
loaded last time under a new ETag, is not parsed at all.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from chipscreen.errors import ChipscreenError, InputError
from chipscreen.sources import parse_file
from chipscreen.sources.base import ParsedDataset, is_format
from chipscreen.store import LoadResult, Store
from chipscreen.store.update_state import SourceState, read_states, write_states
from chipscreen.updates.catalog import HttpSettings, Source
from chipscreen.updates.fetch import Fetched, fetch

Status = Literal["unchanged", "same content", "loaded"]
DOWNLOADS = "downloads"
"""Folder under the store's home keeping each loaded download (the dataset's recorded path)."""


@dataclass(frozen=True)
class SourceOutcome:
    source: str
    url: str
    status: Status
    size: int = 0
    sha256: str | None = None
    attempts: int = 1
    lists: tuple[str, ...] = ()


@dataclass
class UpdateResult:
    previous: str | None
    outcomes: list[SourceOutcome] = field(default_factory=list)
    load: LoadResult | None = None

    @property
    def snapshot(self) -> str | None:
        """The new snapshot's id, when the update made one."""
        return self.load.snapshot.id if self.load else None


def _parse(src: Source, got: Fetched, today: dt.date) -> ParsedDataset:
    if not is_format(src.format):
        raise ChipscreenError(f"source {src.name}: no reader for format {src.format!r} in this chipscreen; "
                              "nothing was loaded")
    assert got.path is not None
    try:
        return parse_file(got.path, fmt=src.format, retrieved=today)
    except InputError as exc:
        raise InputError(f"source {src.name} ({got.url}): the download is not a valid {src.format} file; "
                         f"nothing was loaded: {exc.args[0]}", exc.problems) from None


def _state(src: Source, got: Fetched, now: dt.datetime, snapshot: str | None) -> SourceState:
    return SourceState(src.name, got.url, got.etag, got.last_modified, got.sha256, got.size, now, snapshot)


def update(store: Store, sources: Sequence[Source], settings: HttpSettings, *, mirror: str | None = None,
           accept_shrink: bool = False, today: dt.date | None = None,
           sleep: Callable[[float], None] = time.sleep) -> UpdateResult:
    """Bring ``sources`` up to date in ``store`` (see the module docstring)."""
    states = read_states(store)
    result = UpdateResult(previous=(snap.id if (snap := store.latest_snapshot()) else None))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    store.home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=store.home, prefix="update-") as tmp:
        fetched: list[tuple[Source, Fetched]] = []
        for src in sources:
            url = src.location(mirror)
            prev = states.get(src.name)
            known = prev if prev is not None and prev.url == url else None
            (Path(tmp) / src.name).mkdir()
            got = fetch(url, Path(tmp) / src.name / src.file, settings, sleep=sleep,
                        etag=known.etag if known else None, last_modified=known.last_modified if known else None)
            fetched.append((src, got))
        changed = [(s, g) for s, g in fetched if g.changed and not (s.name in states and states[s.name].sha256
                                                                    == g.sha256)]
        parsed = [_parse(s, g, today or now.date()) for s, g in changed]
        for (s, g), p in zip(changed, parsed, strict=True):
            p.path = str(_kept_path(store, s, g))
        if not any(g.changed for _, g in fetched):
            return _outcomes(result, fetched, changed)
        with store.writing():
            if parsed:
                note = "lists update " + " ".join(s.name for s, _ in changed)
                result.load = store.load(parsed, note=note, accept_shrink=accept_shrink)
            write_states(store, [_state(s, g, now, result.snapshot or (states[s.name].snapshot_id
                                                                        if s.name in states else None))
                                 for s, g in fetched if g.changed])
        for s, g in changed:
            _keep(store, s, g)
    return _outcomes(result, fetched, changed)


def _outcomes(result: UpdateResult, fetched: list[tuple[Source, Fetched]],
              changed: list[tuple[Source, Fetched]]) -> UpdateResult:
    for s, g in fetched:
        status: Status = "unchanged" if not g.changed else ("loaded" if (s, g) in changed else "same content")
        result.outcomes.append(SourceOutcome(s.name, g.url, status, g.size, g.sha256, g.attempts, s.lists))
    return result


def _kept_path(store: Store, src: Source, got: Fetched) -> Path:
    assert got.sha256 is not None
    return store.home / DOWNLOADS / src.name / f"{got.sha256[:16]}-{src.file}"


def _keep(store: Store, src: Source, got: Fetched) -> None:
    """Move a loaded download where its dataset says it is (the file a later audit re-reads)."""
    assert got.path is not None
    target = _kept_path(store, src, got)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(got.path, target)
