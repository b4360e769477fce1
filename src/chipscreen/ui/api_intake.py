"""The API's findings become cases too: once a ``POST /match/...`` or ``POST /check`` is answered and audited,
its matches and its decisions that need a licence or carry a flag are filed in the review queue (the same
intake as the desk's pages: ``chipscreen.review.intake``). A failure to file is logged, never the client's.

The cases are written in batches by one background thread: reading each answer's entries and committing its
cases on the event loop held every other request behind them (a /match p99 of 826 ms against 62 ms without
filing, on 2 cores). The routes hand the thread what they answered (``MatchFindings``: each query's properties
and the screener's matches its result rows were made from, scored as answered, never read back from the rows;
``CheckFindings``: each transaction and its decision), and a view carries the content hashes of its snapshot's
entries, made when it was built: parsing each answer back from its JSON and asking the store for its entries, in
a thread that shares the interpreter with the requests, doubled /match's CPU per request. The queue page waits
for what is pending first, so an analyst sees every finding answered before the page."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request

from chipscreen.bounded import LRU, bounded
from chipscreen.errors import ChipscreenError
from chipscreen.model import Decision, Transaction
from chipscreen.names import Match
from chipscreen.review import CaseInput, CaseStore, decision_inputs, entry_hashes, match_inputs, party_key
from chipscreen.service.state import View
from chipscreen.store import Store

log = logging.getLogger("chipscreen.ui")
ENTRY_HASH = "entry_hash"  # the view's fact (``View.facts``) that holds each entity's content hash
Answered = list[tuple[Mapping[str, Any], list[Match]]]


@dataclass(frozen=True)
class CheckAnswer:
    """One /check answer to file: each transaction read and its decision."""

    decided: list[tuple[Transaction, Decision]]


@dataclass(frozen=True)
class MatchAnswer:
    """One /match answer to file: each query's properties and results, the snapshot that answered and its
    entities' content hashes (None: the view was built without them, and the store is asked)."""

    answered: Answered
    snapshot: str
    hashes: Mapping[str, str] | None


class BackgroundFiling:
    """One daemon thread that files the submitted answers' cases, as many as are waiting in one commit. It reads
    list entries (when a view lacks their hashes) through its own read-only store (a DuckDB connection serves
    one thread), refreshed when an answer names a snapshot it has not seen.

    Submitting wakes nobody: the thread looks every ``PERIOD`` seconds, or at once when a page waits for it.
    Waking it per answer made the event loop hand the interpreter lock to it at every request (an eighth of
    /match's samples were spent in the queue's notify)."""

    BATCH = 500
    PERIOD = 0.25  # seconds an answer may wait to be filed; the queue page does not wait for the period

    def __init__(self, cases: CaseStore, home: Path) -> None:
        self.cases = cases
        self.home = home
        self.store: Store | None = None
        self.known: set[str] = set()
        self.filed: LRU[tuple[str, str, str], bool] = bounded("review.filed_cases")
        self.pending: deque[CheckAnswer | MatchAnswer | threading.Event] = deque()  # events mark where a flush waits
        self._wake = threading.Event()
        threading.Thread(target=self._run, name="chipscreen-api-filing", daemon=True).start()

    def submit(self, answer: CheckAnswer | MatchAnswer) -> None:
        self.pending.append(answer)  # one atomic append, no lock to hand over

    def match_answered(self, view: View, answered: Answered) -> None:
        """``MatchFindings``: queue the answer as it is; the thread makes its cases."""
        self.submit(MatchAnswer(answered, view.snapshot.id, view.facts.get(ENTRY_HASH)))

    def check_answered(self, _view: View, decided: list[tuple[Transaction, Decision]]) -> None:
        """``CheckFindings``: queue the decisions; the thread makes the cases of those that need review."""
        self.submit(CheckAnswer(decided))

    def flush(self) -> None:
        """Wait until everything submitted so far is filed."""
        done = threading.Event()
        self.pending.append(done)
        self._wake.set()
        done.wait()

    def _run(self) -> None:
        while True:
            self._wake.wait(self.PERIOD)
            self._wake.clear()
            while self.pending:
                self._file(self._take())

    def _take(self) -> list[CheckAnswer | MatchAnswer | threading.Event]:
        batch: list[CheckAnswer | MatchAnswer | threading.Event] = []
        while self.pending and len(batch) < self.BATCH:
            batch.append(self.pending.popleft())
        return batch

    def _file(self, batch: list[CheckAnswer | MatchAnswer | threading.Event]) -> None:
        answers = [a for a in batch if not isinstance(a, threading.Event)]
        try:
            inputs = self.unfiled(c for a in answers for c in self.case_inputs(a))
            if inputs:
                self.cases.file(inputs.values())
                self.filed.update(dict.fromkeys(inputs, True))  # only once filed: a failed batch is tried again
        except Exception as exc:  # a failure to file is logged, never the client's
            log.warning("%d answers' cases could not be filed: %r", len(answers), exc)
        finally:
            for a in batch:
                if isinstance(a, threading.Event):
                    a.set()

    def case_inputs(self, a: CheckAnswer | MatchAnswer) -> list[CaseInput]:
        try:
            if isinstance(a, MatchAnswer):
                return match_inputs_of(a.answered, a.snapshot, self.hashes_of(a))
            return [c for tx, d in a.decided for c in decision_inputs(tx, d, source="api/check")]
        except (ChipscreenError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("the cases of %s could not be read: %r", "/match" if isinstance(a, MatchAnswer) else "/check",
                        exc)
            return []

    def hashes_of(self, a: MatchAnswer) -> Callable[[Sequence[str]], Mapping[str, str]]:
        """Content hashes of entity ids: the view's, else read from the store (an id it lacks is not filed)."""
        known = a.hashes
        if known is not None:
            return lambda ids: {eid: known[eid] for eid in ids if eid in known}
        return lambda ids: entry_hashes(self.store_with(a.snapshot), a.snapshot, ids)

    def unfiled(self, inputs: Iterable[CaseInput]) -> dict[tuple[str, str, str], CaseInput]:
        """The inputs this process has not filed yet, by case key: a case is one per party, entry and entry
        content, and the same customer is asked about again and again; each SQLite call the thread makes also
        hands the interpreter lock back and forth with the requests in flight."""
        out: dict[tuple[str, str, str], CaseInput] = {}
        for c in inputs:
            key = (party_key(c.party_name, c.party_country), c.entry_id, c.entry_hash)
            if self.filed.get(key) is None:
                out.setdefault(key, c)
        return out

    def store_with(self, snapshot: str) -> Store:
        if self.store is None:
            self.store = Store(self.home, read_only=True)
        if snapshot not in self.known:
            self.store.refresh()
            self.known = {s.id for s in self.store.snapshots()}
        return self.store


def flush_api_filing(request: Request) -> None:
    """Before a page reads the queue: the API answers already given are in it."""
    filing: BackgroundFiling | None = getattr(request.app.state, "api_filing", None)
    if filing is not None:
        filing.flush()


def match_inputs_of(answered: Answered, snapshot: str, hashes_of: Callable[[Sequence[str]], Mapping[str, str]]
                    ) -> list[CaseInput]:
    """The cases of one /match answer: each result of a query with a name, filed under its first name and
    country."""
    out: list[CaseInput] = []
    for props, matches in answered:
        names, countries = as_list(props.get("name")), as_list(props.get("country"))
        if not names or not matches:
            continue
        hashes = hashes_of([m.entity_id for m in matches])
        country = countries[0].upper() if countries else None
        out.extend(match_inputs(names[0], country, matches, hashes, source="api/match", snapshot=snapshot))
    return out


def as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value else [])
