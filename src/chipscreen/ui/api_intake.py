"""The API's findings become cases too: after a successful ``POST /match/...`` or ``POST /check`` has been
answered, its matches and its decisions that need a licence or carry a flag are filed in the review queue
(the same intake as the desk's pages: ``chipscreen.review.intake``). It reads the request and the answer as
they pass and changes neither; a failure to file is logged, never the client's.

The answers are read, and their cases written in batches, by one background thread with its own read-only
store: reading each answer's entries and committing its cases on the event loop held every other request
behind them (a /match p99 of 826 ms against 62 ms without filing, on 2 cores). The queue page waits for what
is pending first, so an analyst sees every finding answered before the page."""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chipscreen.bounded import LRU, bounded
from chipscreen.errors import ChipscreenError
from chipscreen.model import Decision, Transaction
from chipscreen.names import Match
from chipscreen.review import CaseInput, CaseStore, decision_inputs, entry_hashes, match_inputs, party_key
from chipscreen.store import Store

log = logging.getLogger("chipscreen.ui")


class ApiIntake:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope.get("method") != "POST" or not (path.startswith("/match/") or path == "/check"):
            await self.app(scope, receive, send)
            return
        request_body: list[bytes] = []
        answer: dict[str, Any] = {"status": 0, "body": []}

        async def tap_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                request_body.append(message.get("body", b""))
            return message

        async def tap_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body":
                answer["body"].append(message.get("body", b""))
            await send(message)

        await self.app(scope, tap_receive, tap_send)
        if answer["status"] == 200:
            app_state = scope["app"].state
            snapshot = app_state.service.view().snapshot.id  # the snapshot that answered, read as it answered
            app_state.api_filing.submit(Answer(path, b"".join(request_body), b"".join(answer["body"]), snapshot))


@dataclass(frozen=True)
class Answer:
    """One API answer to file: what was asked, what was answered, and under which snapshot."""

    path: str
    request: bytes
    answer: bytes
    snapshot: str


class BackgroundFiling:
    """One daemon thread that reads the submitted answers and files their cases, as many as are waiting in
    one commit. It reads list entries through its own read-only store (a DuckDB connection serves one
    thread), refreshed when an answer names a snapshot it has not seen."""

    BATCH = 500

    def __init__(self, cases: CaseStore, home: Path) -> None:
        self.cases = cases
        self.home = home
        self.store: Store | None = None
        self.known: set[str] = set()
        self.filed: LRU[tuple[str, str, str], bool] = bounded("review.filed_cases")
        self.pending: queue.Queue[Answer] = queue.Queue()
        threading.Thread(target=self._run, name="chipscreen-api-filing", daemon=True).start()

    def submit(self, answer: Answer) -> None:
        self.pending.put(answer)

    def flush(self) -> None:
        """Wait until everything submitted so far is filed."""
        self.pending.join()

    def _run(self) -> None:
        while True:
            batch = [self.pending.get()]
            while len(batch) < self.BATCH:
                try:
                    batch.append(self.pending.get_nowait())
                except queue.Empty:
                    break
            try:
                inputs = self.unfiled(c for a in batch for c in self.case_inputs(a))
                self.cases.file(inputs.values())
                self.filed.update(dict.fromkeys(inputs, True))  # only once filed: a failed batch is tried again
            except Exception as exc:  # a failure to file is logged, never the client's
                log.warning("%d answers' cases could not be filed: %r", len(batch), exc)
            finally:
                for _ in batch:
                    self.pending.task_done()

    def case_inputs(self, a: Answer) -> list[CaseInput]:
        try:
            asked, got = json.loads(a.request), json.loads(a.answer)
            if a.path == "/check":
                return check_inputs(asked, got)
            return match_inputs_of(self.store_with(a.snapshot), a.snapshot, asked, got)
        except (ChipscreenError, ValueError, KeyError, TypeError, AttributeError, ValidationError) as exc:
            log.warning("the cases of %s could not be read: %r", a.path, exc)
            return []

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


def check_inputs(asked: dict[str, Any], got: dict[str, Any]) -> list[CaseInput]:
    out: list[CaseInput] = []
    for qid, resp in got.get("responses", {}).items():
        if resp.get("status") == 200 and qid in asked.get("queries", {}):
            tx = Transaction.model_validate(asked["queries"][qid])
            out.extend(decision_inputs(tx, Decision.model_validate(resp["decision"]), source="api/check"))
    return out


def match_inputs_of(store: Store, snapshot: str, asked: dict[str, Any], got: dict[str, Any]) -> list[CaseInput]:
    out: list[CaseInput] = []
    for qid, resp in got.get("responses", {}).items():
        props = asked.get("queries", {}).get(qid, {}).get("properties", {})
        names, countries = as_list(props.get("name")), as_list(props.get("country"))
        if not names or not resp.get("results"):
            continue
        matches = [as_match(r) for r in resp["results"]]
        hashes = entry_hashes(store, snapshot, [m.entity_id for m in matches])
        country = countries[0].upper() if countries else None
        out.extend(match_inputs(names[0], country, matches, hashes, source="api/match", snapshot=snapshot))
    return out


def as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value else [])


def as_match(row: dict[str, Any]) -> Match:
    """A result of yente's /match read back as the screener's match it was made from."""
    name_match = row.get("explanations", {}).get("name_match", {})
    datasets = row.get("datasets") or ["?"]
    return Match(entity_id=str(row["id"]), name=str(row.get("caption", "")),
                 matched_name=str(name_match.get("candidate", row.get("caption", ""))), list=str(datasets[0]).upper(),
                 score=float(row["score"]), hit=bool(row.get("match")), explanation=name_match.get("breakdown", {}))
