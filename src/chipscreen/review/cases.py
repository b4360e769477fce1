"""The review queue and its memory, in their own SQLite file under the home (``review.sqlite``).

A case is one party against one list entry (or one transaction's decision), identified by the party, the
entry and the entry's *content* hash: filing the same triple again files nothing (deduplicated), so a
closed case is also the memory of its disposition: the same party against the same entry content shows
"cleared by X on D" and stays out of the queue. When the entry's content changes in a later snapshot, the
triple is new, and the case re-opens (pointing at the disposition it re-opens).

A false positive closes its case at once; a true match or an escalation waits for a reviewer who is not
the analyst who disposed of it (four eyes), as ``data/ui/desk.yml`` says. That reviewer may instead send
the disposition back with a comment: the case opens again, and the disposition it had is kept with the
reviewer's reason (``case_returns``), so nothing an analyst recorded is lost."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chipscreen.countries import to_iso2
from chipscreen.errors import ChipscreenError, InputError, NotFoundError
from chipscreen.review.accounts import now, stamp
from chipscreen.review.settings import DeskSettings, desk_settings
from chipscreen.review.sqlite import Db
from chipscreen.text import fold_words

COLUMNS = ("id", "party_key", "party_name", "party_country", "entry_id", "list_code", "entry_name", "entry_hash",
           "kind", "source", "score", "snapshot", "detail", "status", "disposition", "comment", "disposed_by",
           "disposed_at", "approved_by", "approved_at", "created_at", "reopens")
DDL = (
    """CREATE TABLE IF NOT EXISTS cases (
  id INTEGER PRIMARY KEY, party_key TEXT NOT NULL, party_name TEXT NOT NULL, party_country TEXT,
  entry_id TEXT NOT NULL, list_code TEXT NOT NULL, entry_name TEXT NOT NULL, entry_hash TEXT NOT NULL,
  kind TEXT NOT NULL, source TEXT NOT NULL, score REAL, snapshot TEXT, detail TEXT NOT NULL,
  status TEXT NOT NULL, disposition TEXT, comment TEXT, disposed_by TEXT, disposed_at TEXT,
  approved_by TEXT, approved_at TEXT, created_at TEXT NOT NULL, reopens INTEGER,
  UNIQUE (party_key, entry_id, entry_hash))""",
    "CREATE INDEX IF NOT EXISTS cases_status ON cases (status, id)",
    "CREATE INDEX IF NOT EXISTS cases_pair ON cases (party_key, entry_id)",
    """CREATE TABLE IF NOT EXISTS case_returns (
  case_id INTEGER NOT NULL, returned_by TEXT NOT NULL, returned_at TEXT NOT NULL, comment TEXT NOT NULL,
  disposition TEXT NOT NULL, disposed_by TEXT NOT NULL, disposed_at TEXT NOT NULL,
  disposition_comment TEXT NOT NULL)""",
)
OPEN_STATES = ("open", "pending")
MAX_COMMENT = 4000
VERBS = {"false_positive": "cleared", "true_match": "confirmed as a true match", "escalate": "escalated"}


class CaseRefused(ChipscreenError):
    """A step the case's state or the four-eyes rule does not allow (shown to the user as it is)."""


def party_key(name: str, country: str | None) -> str:
    """One key per party as screened: its folded name and its country as ISO-2 ("China" and "cn" are "CN"),
    so the desk, the API and the CLI remember the same party the same way."""
    text = (country or "").strip()
    code = text.upper() if len(text) == 2 and text.isalpha() else (to_iso2(text) or text.upper())
    return f"{fold_words(name)}|{code}"


@dataclass(frozen=True)
class CaseInput:
    """What a screening or a decision files: the party, the entry it was matched to and that entry's content."""

    party_name: str
    party_country: str | None
    entry_id: str
    list_code: str
    entry_name: str
    entry_hash: str
    kind: str  # "match" | "transaction"
    source: str  # where it came from: ui/screen, api/match, screen-file, ui/check, api/check
    score: float | None = None
    snapshot: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Case(CaseInput):
    """A filed case: what was filed, and what the desk has done with it since."""

    id: int
    party_key: str
    status: str  # open | pending (a disposition waits for approval) | closed
    disposition: str | None
    comment: str | None
    disposed_by: str | None
    disposed_at: str | None
    approved_by: str | None
    approved_at: str | None
    created_at: str
    reopens: int | None  # the closed case of the same pair whose entry content has since changed

    @property
    def cleared_note(self) -> str:
        """How a remembered disposition is shown beside a later screening of the same pair."""
        verb = VERBS.get(self.disposition or "", self.disposition or "")
        who = f"{verb} by {self.disposed_by} on {(self.disposed_at or '')[:10]}"
        if self.approved_by:
            who += f", approved by {self.approved_by} on {(self.approved_at or '')[:10]}"
        elif self.status == "pending":
            who += ", awaiting a reviewer's approval"
        return f"{who}: {self.comment}"


@dataclass(frozen=True)
class CaseReturn:
    """A pending disposition a reviewer sent back, and why."""

    case_id: int
    returned_by: str
    returned_at: str
    comment: str
    disposition: str
    disposed_by: str
    disposed_at: str
    disposition_comment: str


def _case(row: tuple[Any, ...]) -> Case:
    values = dict(zip(COLUMNS, row, strict=True))
    values["detail"] = json.loads(values["detail"])
    return Case(**values)


class CaseStore:
    """The cases of one home. Thread-safe; each change is one committed SQLite transaction."""

    def __init__(self, home: Path, settings: DeskSettings | None = None) -> None:
        self.settings = settings or desk_settings()
        self._db = Db(home, "review.sqlite", DDL)
        self.path, self._con, self._lock = self._db.path, self._db.con, self._db.lock

    def close(self) -> None:
        self._db.close()

    def file(self, inputs: Iterable[CaseInput]) -> list[Case]:
        """File cases; the ones already known (same party, entry and content) are not filed again. Returns
        the cases newly filed."""
        new_ids: list[int] = []
        with self._lock:
            con = self._con
            con.execute("BEGIN IMMEDIATE")
            try:
                for c in inputs:
                    new_ids.extend(self._insert(c))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return [self.get(i) for i in new_ids]

    def _insert(self, c: CaseInput) -> list[int]:
        key = party_key(c.party_name, c.party_country)
        prior = self._con.execute("SELECT id FROM cases WHERE party_key = ? AND entry_id = ? AND status = 'closed' "
                                  "AND entry_hash != ? ORDER BY id DESC LIMIT 1", (key, c.entry_id, c.entry_hash)
                                  ).fetchone()
        cur = self._con.execute(
            "INSERT OR IGNORE INTO cases (party_key, party_name, party_country, entry_id, list_code, entry_name, "
            "entry_hash, kind, source, score, snapshot, detail, status, created_at, reopens) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
            (key, c.party_name, c.party_country, c.entry_id, c.list_code, c.entry_name, c.entry_hash, c.kind,
             c.source, c.score, c.snapshot, json.dumps(c.detail, default=str, ensure_ascii=False), stamp(now()),
             prior[0] if prior else None))
        return [int(cur.lastrowid)] if cur.rowcount and cur.lastrowid is not None else []

    def get(self, case_id: int) -> Case:
        with self._lock:
            row = self._con.execute(f"SELECT {', '.join(COLUMNS)} FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no case {case_id}")
        return _case(row)

    def queue(self, page: int = 1, size: int | None = None) -> tuple[list[Case], int]:
        """One page of the open and pending cases (oldest first) and how many there are in all."""
        size = size or self.settings.page_size
        offset = max(page - 1, 0) * size
        with self._lock:
            total = int(self._con.execute("SELECT count(*) FROM cases WHERE status IN ('open', 'pending')"
                                          ).fetchone()[0])
            rows = self._con.execute(f"SELECT {', '.join(COLUMNS)} FROM cases WHERE status IN ('open', 'pending') "
                                     "ORDER BY id LIMIT ? OFFSET ?", (size, offset)).fetchall()
        return [_case(r) for r in rows], total

    def lookup(self, name: str, country: str | None, entries: Mapping[str, str]) -> dict[str, Case]:
        """The case (in any state) of this party against each of these entries (entry id -> content hash)."""
        if not entries:
            return {}
        key = party_key(name, country)
        marks = ", ".join("?" for _ in entries)
        with self._lock:
            rows = self._con.execute(f"SELECT {', '.join(COLUMNS)} FROM cases WHERE party_key = ? AND "
                                     f"entry_id IN ({marks}) ORDER BY id", (key, *entries)).fetchall()
        found = (_case(r) for r in rows)
        return {c.entry_id: c for c in found if entries.get(c.entry_id) == c.entry_hash}

    def remembered(self, name: str, country: str | None, entries: Mapping[str, str]) -> dict[str, Case]:
        """The closed cases of this party against exactly this entry content, by entry id: what an earlier
        analyst (and reviewer) decided."""
        return {eid: c for eid, c in self.lookup(name, country, entries).items() if c.status == "closed"}

    def cleared(self, name: str, country: str | None, entries: Mapping[str, str]) -> dict[str, Case]:
        """The remembered dispositions that keep an entry out of later screening (false positives)."""
        rules = self.settings.dispositions
        return {eid: c for eid, c in self.remembered(name, country, entries).items()
                if c.disposition in rules and rules[c.disposition].suppresses}

    def dispose(self, case_id: int, user: str, disposition: str, comment: str) -> Case:
        """An analyst's disposition; a false positive closes the case, the others wait for approval."""
        rule = self.settings.dispositions.get(disposition)
        if rule is None:
            raise InputError(f"disposition: {disposition!r}: one of {', '.join(self.settings.dispositions)}")
        comment = _comment(comment)
        status = "pending" if rule.needs_approval else "closed"
        self._step(case_id, "open", "UPDATE cases SET status = ?, disposition = ?, comment = ?, disposed_by = ?, "
                   "disposed_at = ? WHERE id = ? AND status = 'open'",
                   (status, disposition, comment, user, stamp(now()), case_id))
        return self.get(case_id)

    def approve(self, case_id: int, user: str) -> Case:
        """A reviewer's approval of someone else's disposition (four eyes)."""
        case = self.get(case_id)
        if case.disposed_by == user:
            raise CaseRefused(f"case {case_id}: {user} disposed of it and cannot also approve it (four eyes)")
        self._step(case_id, "pending", "UPDATE cases SET status = 'closed', approved_by = ?, approved_at = ? "
                   "WHERE id = ? AND status = 'pending'", (user, stamp(now()), case_id))
        return self.get(case_id)

    def send_back(self, case_id: int, user: str, comment: str) -> Case:
        """A reviewer's refusal of someone else's pending disposition (four eyes): the case opens again for a
        new disposition; the one sent back is kept with the reviewer's comment."""
        comment = _comment(comment, "sending a disposition back needs a comment saying why")
        case = self.get(case_id)
        if case.disposed_by == user:
            raise CaseRefused(f"case {case_id}: {user} disposed of it and cannot also send it back (four eyes)")
        with self._lock:
            con = self._con
            con.execute("BEGIN IMMEDIATE")
            try:
                changed = con.execute(  # only the disposition the reviewer saw
                    "UPDATE cases SET status = 'open', disposition = NULL, comment = NULL, disposed_by = NULL, "
                    "disposed_at = NULL WHERE id = ? AND status = 'pending' AND disposed_by = ? AND disposed_at = ?",
                    (case_id, case.disposed_by, case.disposed_at)).rowcount
                if changed:
                    con.execute("INSERT INTO case_returns VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                (case_id, user, stamp(now()), comment, case.disposition, case.disposed_by,
                                 case.disposed_at, case.comment))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        if not changed:
            raise CaseRefused(f"case {case_id} is {self.get(case_id).status}, not the pending disposition "
                              f"{case.disposed_by} made: nothing was changed")
        return self.get(case_id)

    def returns(self, case_id: int) -> list[CaseReturn]:
        """The dispositions of a case reviewers sent back, oldest first."""
        with self._lock:
            rows = self._con.execute("SELECT * FROM case_returns WHERE case_id = ? ORDER BY rowid",
                                     (case_id,)).fetchall()
        return [CaseReturn(*r) for r in rows]

    def _step(self, case_id: int, expected: str, sql: str, args: tuple[Any, ...]) -> None:
        with self._lock:
            changed = self._con.execute(sql, args).rowcount
        if not changed:
            state = self.get(case_id).status
            raise CaseRefused(f"case {case_id} is {state}, not {expected}: nothing was changed")


def _comment(text: str, missing: str = "a disposition needs a comment saying why") -> str:
    text = (text or "").strip()
    if not text:
        raise InputError(f"comment: {missing}")
    if len(text) > MAX_COMMENT:
        raise InputError(f"comment: at most {MAX_COMMENT} characters")
    return text
