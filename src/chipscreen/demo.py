"""What ``chipscreen demo`` computes on the bundled real data, stage by stage, without printing anything:
list snapshot -> name screening -> ownership and transaction decisions -> replay under other rulebooks.

``chipscreen.cli.demo`` shows each stage; the functions here are the same calls a user would make.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from chipscreen.decide.engine import Decider
from chipscreen.decide.overlays import overlays
from chipscreen.decide.replay import ReplayReport, replay
from chipscreen.decide.report import replay_html
from chipscreen.model import Decision, Transaction
from chipscreen.names.screener import Match, Screener
from chipscreen.ownership.load import LoadSummary
from chipscreen.ownership.load import load as load_ownership
from chipscreen.paths import data_dir
from chipscreen.rules import list_rulebooks, rulebook_for
from chipscreen.store import SnapshotInfo, Store
from chipscreen.transactions import read_transactions

# names as they appear on orders and sign-ups, with the country given (None: not given)
DEMO_NAMES = (
    ("HUAWEI TECH CO LTD", "CN"),
    ("Beijing SenseTime Tech Dev", "CN"),
    ("科大讯飞股份有限公司", "CN"),
    ("Moore Threads", "CN"),
    ("SUGON", "CN"),
    ("Shanghai Biren Technology", None),
    ("Acme Robotics GmbH", "DE"),
)
# AI-chip firms on the Entity List, by the start of their listed name
AI_CHIP_FIRMS = (
    "IFLYTEK",
    "Beijing Sensetime",
    "Sugon",
    "Shanghai Biren Intelligent",
    "Moore Thread Intelligent Technology (Beijing)",
    "Huawei Technologies Co., Ltd.",
    "Beijing Zhipu Huazhang",
)
SCENARIOS = "scenarios"
# the rulebook the replay starts from: the first advanced-computing rule
REPLAY_BASE = "2022-10-07"
REPORT_NAME = "replay-report.html"


@dataclass(frozen=True)
class ListedFirm:
    """An Entity List entry with the date the Federal Register listed it and its first citation."""

    name: str
    country: str
    listed: str
    footnotes: str
    first_citation: str


@dataclass(frozen=True)
class ScreenedName:
    query: str
    hit: bool
    best: Match | None


def latest_snapshot(store: Store) -> tuple[SnapshotInfo, dict[str, int]]:
    snap = store.latest_snapshot()
    assert snap is not None  # the bundled lists are loaded when the store is opened
    return snap, store.counts(snap)


def listed_ai_chip_firms(store: Store, snap: SnapshotInfo) -> list[ListedFirm]:
    firms = []
    for e in store.entries(snap, lists=["EL"]):
        if any(e.party.name.startswith(w) for w in AI_CHIP_FIRMS):
            dated = sorted((c.date, c.text) for c in e.listing.federal_register if c.date)
            firms.append(
                ListedFirm(
                    e.party.name,
                    e.party.country or "",
                    str(e.listing.start_date or "?"),
                    ",".join(map(str, e.listing.footnotes)) or "-",
                    dated[0][1] if dated else "",
                )
            )
    return firms


def screen_demo_names(store: Store) -> list[ScreenedName]:
    """Each demo name screened; among equal scores the best match is on a list that carries a licence
    requirement (Entity List, MEU), the list a reviewer must see."""
    screener = Screener(store)
    licence_lists = {code for code, spec in overlays().lists.items() if spec.reason}
    out = []
    for name, country in DEMO_NAMES:
        res = screener.screen(name, country=country)
        best = max(res.matches, key=lambda m: (m.score, m.list in licence_lists), default=None)
        out.append(ScreenedName(name, res.hit, best))
    return out


def scenario_folder() -> Path:
    return data_dir() / SCENARIOS


def load_scenario_ownership(store: Store) -> LoadSummary:
    return load_ownership(store, scenario_folder() / "ownership.csv")


def scenario_transactions() -> list[Transaction]:
    records = read_transactions(scenario_folder() / "three_routes.jsonl")
    return [r.transaction for r in records if r.transaction is not None]


def decide_all(store: Store, txs: list[Transaction]) -> list[Decision]:
    """Each transaction under the rules in force on its own date."""
    decider = Decider(store)
    return [decider.decide(tx) for tx in txs]


def replay_scenarios(store: Store, txs: list[Transaction]) -> list[ReplayReport]:
    """The 2022 rules against the rulebook in force today and against each proposal."""
    old = next(rb for rb in list_rulebooks() if rb.id.startswith(REPLAY_BASE))
    current = rulebook_for(dt.date.today())
    proposals = [rb for rb in list_rulebooks() if rb.is_proposal]
    return [replay(txs, old.id, b.id, store=store) for b in [current, *proposals]]


def write_replay_report(reports: list[ReplayReport], out_dir: Path | None = None) -> Path:
    out_dir = out_dir or Path("out")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / REPORT_NAME
    path.write_text(
        replay_html(reports, title="Three routes replayed: 2022 rules vs later rulebooks"), encoding="utf-8"
    )
    return path
