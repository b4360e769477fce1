"""Replay: the same history decided under rulebook A and rulebook B, and what changes.

The analyst's question is "which gap would this rule close, and what would it have stopped?": every
transaction whose outcome differs is listed with the reasons B adds or drops, and the totals say how many
transactions and units each circumvention route (the flags raised under A) would have caught.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from chipscreen.bundled import open_store
from chipscreen.decide.engine import Decider
from chipscreen.decide.overlays import overlays
from chipscreen.decide.parties import PartyResolver
from chipscreen.model import ROUTE_CODES, Decision, RouteCode, Transaction
from chipscreen.rules import load_rulebook
from chipscreen.store import Store

Change = Literal["newly_required", "no_longer_required", "reasons_changed"]


@dataclass
class ReplayChange:
    id: str
    date: str
    kind: str
    item: str
    quantity: int
    parties: list[str]
    change: Change
    a_license_required: bool
    b_license_required: bool
    reasons_added: list[str]
    reasons_removed: list[str]
    routes_under_a: list[RouteCode]
    review_policy_a: str | None
    review_policy_b: str | None
    why: str


@dataclass
class ReplayReport:
    rulebook_a: dict[str, Any]
    rulebook_b: dict[str, Any]
    snapshot: str
    transactions: int
    required_a: int
    required_b: int
    changes: list[ReplayChange] = field(default_factory=list)
    by_route: dict[str, dict[str, int]] = field(default_factory=dict)
    by_chip: dict[str, dict[str, int]] = field(default_factory=dict)
    by_party: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _routes(d: Decision) -> set[RouteCode]:
    """The circumvention routes flagged on a decision."""
    return {r for r in ROUTE_CODES if any(f.code == r for f in d.flags)}


def _reason_keys(d: Decision) -> set[str]:
    return {f"{r.code}:{r.party}" if r.party else r.code for r in d.reasons}


def compare(tx: Transaction, a: Decision, b: Decision) -> ReplayChange | None:
    added = sorted(_reason_keys(b) - _reason_keys(a))
    removed = sorted(_reason_keys(a) - _reason_keys(b))
    if a.license_required == b.license_required and not added and not removed:
        return None
    change: Change
    if b.license_required and not a.license_required:
        change = "newly_required"
    elif a.license_required and not b.license_required:
        change = "no_longer_required"
    else:
        change = "reasons_changed"
    routes = sorted(_routes(a))
    b_detail = "; ".join(r.detail for r in b.reasons if (f"{r.code}:{r.party}" if r.party else r.code) in added)
    a_detail = "; ".join(r.detail for r in a.reasons if (f"{r.code}:{r.party}" if r.party else r.code) in removed)
    why = {
        "newly_required": f"{b.rulebook} requires a licence: {b_detail or ', '.join(added)}",
        "no_longer_required": f"{b.rulebook} drops the requirement: {a_detail or ', '.join(removed)}",
        "reasons_changed": f"still {'required' if b.license_required else 'not required'}; "
        f"added {added or 'nothing'}, removed {removed or 'nothing'}",
    }[change]
    item = tx.item if isinstance(tx.item, str) else tx.item.id
    return ReplayChange(
        id=tx.id,
        date=tx.date.isoformat(),
        kind=tx.kind,
        item=item,
        quantity=tx.quantity,
        parties=[f"{p.role}: {p.name}" for p in tx.parties],
        change=change,
        a_license_required=a.license_required,
        b_license_required=b.license_required,
        reasons_added=added,
        reasons_removed=removed,
        routes_under_a=routes,
        review_policy_a=a.review_policy,
        review_policy_b=b.review_policy,
        why=why,
    )


def replay(
    txs: Iterable[Transaction | dict[str, Any]],
    a: str,
    b: str,
    *,
    store: Store | None = None,
    snapshot: str | None = None,
) -> ReplayReport:
    """Decide every transaction under rulebooks ``a`` and ``b`` (ids or prefixes) and compare."""
    store = store if store is not None else open_store()
    resolver = PartyResolver(store, snapshot=snapshot)  # screening and ownership are shared by both sides
    da = Decider(store, rulebook=a, resolver=resolver)
    db = Decider(store, rulebook=b, resolver=resolver)
    rb_a, rb_b = load_rulebook(a), load_rulebook(b)
    report = ReplayReport(
        rulebook_a=rb_a.meta(),
        rulebook_b=rb_b.meta(),
        snapshot=resolver.snapshot_id,
        transactions=0,
        required_a=0,
        required_b=0,
    )
    route_tx: Counter[str] = Counter()
    route_closed: Counter[str] = Counter()
    route_units: Counter[str] = Counter()
    chips: dict[str, Counter[str]] = defaultdict(Counter)
    parties: dict[str, Counter[str]] = defaultdict(Counter)
    senders = overlays().exporter_roles  # the party that sends is not one a change stops
    for raw in txs:
        tx = raw if isinstance(raw, Transaction) else Transaction.model_validate(raw)
        dec_a, dec_b = da.decide(tx), db.decide(tx)
        report.transactions += 1
        report.required_a += dec_a.license_required
        report.required_b += dec_b.license_required
        item = tx.item if isinstance(tx.item, str) else tx.item.id
        change = compare(tx, dec_a, dec_b)
        for route in _routes(dec_a):
            route_tx[route] += 1
            if change is not None and change.change == "newly_required":
                route_closed[route] += 1
                route_units[route] += tx.quantity
        if change is None:
            continue
        report.changes.append(change)
        chips[item][change.change] += 1
        chips[item]["units_" + change.change] += tx.quantity
        for p in tx.parties:
            if p.role not in senders:
                parties[p.name][change.change] += 1
    report.by_route = {
        r: {"flagged_under_a": route_tx[r], "closed_by_b": route_closed[r], "units_stopped": route_units[r]}
        for r in ROUTE_CODES
    }
    report.by_chip = {k: dict(v) for k, v in sorted(chips.items())}
    report.by_party = {k: dict(v) for k, v in sorted(parties.items())}
    return report
