"""Transaction -> Decision: the rules engine's answer for the item and destination, overlaid with what the
names and ownership engines know about every party, plus the red flags a compliance officer must see.

The order of work follows the EAR's own: classify the item (rules), decide whether the transaction moves
it at all (a cloud service does not, unless the rulebook controls remote access), then the destination /
headquarters / is-informed requirement (rules), then the list-based overlays (Entity List, MEU, the
Affiliates rule's 50% capture) and end uses. Flags (``routes``) are raised whatever the outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from chipscreen.bounded import bounded
from chipscreen.bundled import open_store
from chipscreen.decide.cluster import cluster_size, supercomputer_rule
from chipscreen.decide.distinct import distinct
from chipscreen.decide.foundry import foundry_due_diligence
from chipscreen.decide.jurisdiction import shipment_jurisdiction
from chipscreen.decide.overlays import Overlays, overlays
from chipscreen.decide.parties import PartyFacts, PartyResolver
from chipscreen.decide.provisions import provision_flags
from chipscreen.decide.routes import ControlStarts, RouteContext, raise_flags
from chipscreen.decide.shipment import Shipment
from chipscreen.decide.undetermined import alternatives
from chipscreen.errors import ChipscreenError, InputError, NotFoundError
from chipscreen.model import Classification, Decision, Flag, Item, Reason, ReviewPolicy, Transaction, TxParty
from chipscreen.names.screener import Match
from chipscreen.rules import (
    ItemClassification,
    LicenseRequirement,
    Rulebook,
    affiliates_rule,
    catalog,
    classify,
    country_groups,
    license_requirement,
    load_rulebook,
    remote_access_controlled,
    rulebook_for,
)
from chipscreen.rules.entity_policy import entity_policy, unverified_marks
from chipscreen.rules.question import LicenceQuestion
from chipscreen.sources.fr_effective import basis_of_cited
from chipscreen.store import Store
from chipscreen.transactions import TxRecord

# Most restrictive first: a party's strictest review policy governs (the Affiliates rule's "most
# restrictive standard"; an Entity-List denial outranks a destination's case-by-case).
POLICY_ORDER: tuple[ReviewPolicy, ...] = ("presumption_of_denial", "case_by_case", "presumption_of_approval")


_NO_COLUMN = (
    "the entry's own review-policy column is not in the bundled list; the list's default applies "
    "(data/lists/entity_list_review_policies.yaml covers the Chinese AI and semiconductor entries)"
)


@dataclass
class Findings:
    """What a decision accumulates: the reasons a licence is required (each with the exceptions and review
    policy its rule allows), the flags, and the rules engine's notes."""

    reasons: list[Reason] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    exception_sets: list[set[str]] = field(default_factory=list)
    policies: list[ReviewPolicy] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    work: list[str] = field(default_factory=list)  # steps before the classification's (subject to the EAR?)

    def require(self, reason: Reason, *, exceptions: Iterable[str] = (), policy: ReviewPolicy | None = None) -> None:
        self.reasons.append(reason)
        self.exception_sets.append(set(exceptions))
        if policy:
            self.policies.append(policy)


@dataclass
class DecisionOutcome:
    """One record of a batch: its decision, or the error that stopped it (with its line)."""

    line: int
    id: str | None
    decision: Decision | None = None
    error: str | None = None


class Decider:
    """Decides transactions against one store snapshot; ``rulebook`` fixes the rules (for replays),
    otherwise each transaction is decided under the rulebook in force on its date."""

    def __init__(
        self,
        store: Store | None = None,
        *,
        rulebook: str | Rulebook | None = None,
        snapshot: str | None = None,
        resolver: PartyResolver | None = None,
    ) -> None:
        self.store = store if store is not None else open_store()
        self.parties = resolver or PartyResolver(self.store, snapshot=snapshot)
        self.fixed_rulebook = load_rulebook(rulebook) if rulebook is not None else None
        self.ov: Overlays = overlays()
        self._catalog = catalog()
        self._cls_cache: dict[tuple[str, str, dt.date], ItemClassification] = bounded("decide.classifications")
        self._lr_cache: dict[tuple[Any, ...], LicenseRequirement] = bounded("decide.licence_requirements")
        self.control_starts: ControlStarts = bounded("decide.control_starts")
        self._listing_cache: dict[str, dict[str, dict[str, Any]]] = {}

    # ------------------------------------------------------------------ inputs
    def rulebook(self, date: dt.date) -> Rulebook:
        return self.fixed_rulebook if self.fixed_rulebook is not None else rulebook_for(date)

    def item(self, tx: Transaction) -> Item:
        if isinstance(tx.item, Item):
            return tx.item
        try:
            return self._catalog.item(tx.item)
        except (KeyError, NotFoundError, ChipscreenError):
            raise InputError(f"item: unknown catalog id {tx.item!r} (see `chipscreen catalog list`)") from None

    def item_key(self, item: Item) -> str:
        """What the caches key an item by: its catalog id when it is the catalog's item, else its specs
        (an inline item may reuse a catalog id, or another inline item's id, with other figures)."""
        if item.id in self._catalog and self._catalog.item(item.id) == item:
            return item.id
        return item.model_dump_json()

    def classification(self, item: Item, date: dt.date, rb: Rulebook, *, key: str | None = None) -> ItemClassification:
        """The item classified under ``rb`` on ``date``, memoised (``key``: its item_key, when known)."""
        memo = (key or self.item_key(item), rb.id, date)
        got = self._cls_cache.get(memo)
        if got is None:
            got = classify(item, date, rb, resolve=self._catalog.item)
            self._cls_cache[memo] = got
        return got

    def requirement(self, q: LicenceQuestion) -> LicenseRequirement:
        """The rules engine's answer, memoised: a batch asks the same question for every repeat customer."""
        key = (
            self.item_key(q.item),
            q.rulebook.id,
            q.destination,
            q.date,
            q.headquarters,
            q.parent_headquarters,
            q.exporter,
            q.export_from,
            q.transaction_kind,
            q.classification.paragraph,
            q.classification.status,
        )
        got = self._lr_cache.get(key)
        if got is None:
            got = license_requirement(q)
            self._lr_cache[key] = got
        return got

    # ------------------------------------------------------------------ one transaction
    def decide(self, tx: Transaction) -> Decision:
        sh = self.shipment(tx)
        out = Findings()
        uses = self._end_uses(sh, out)
        juris = shipment_jurisdiction(sh, self._footnotes, "supercomputer" if "supercomputer" in uses else tx.end_use)
        out.work.extend(juris.work)
        if juris.subject is not True:
            out.flags.append(juris.flag())
        out.flags.extend(provision_flags(sh, uses))
        if sh.moves and juris.subject is not False:
            self._rules_reasons(sh, out)
            self._list_overlays(sh, out)
            self._affiliates(sh, out)
            self._end_use(sh.tx, out, uses)
            fd = foundry_due_diligence(sh)
            out.flags.extend(fd.flags)
            for reason in fd.reasons:
                out.require(reason)
        why = juris.work[-1] if juris.work else juris.basis
        raise_flags(self._route_context(sh, out, juris.subject, why), out.flags)
        return self._assemble(sh, out)

    def shipment(self, tx: Transaction) -> Shipment:
        """The transaction's facts resolved once: rulebook, item and classification, and every party
        screened and resolved on the date."""
        ov = self.ov
        rb = self.rulebook(tx.date)
        item = self.item(tx)
        key = self.item_key(item)
        remote_controlled = remote_access_controlled(rb)
        return Shipment(
            tx=tx,
            rulebook=rb,
            item=item,
            item_key=key,
            cls=self.classification(item, tx.date, rb, key=key),
            facts={id(p): self.parties.facts(p, tx.date) for p in tx.parties},
            receivers=tuple(p for p in tx.parties if p.role in ov.receiving_roles.get(tx.kind, ())),
            exporter=next((p for p in tx.parties if p.role in ov.exporter_roles), None),
            moves=tx.kind in ov.transfer_kinds or (tx.kind in ov.service_kinds and remote_controlled),
            remote_controlled=remote_controlled,
        )

    def _rules_reasons(self, sh: Shipment, out: Findings) -> None:
        """The rules engine's destination / headquarters / is-informed answer for each receiving party (or for
        the destination alone when no party receives)."""
        parties: tuple[TxParty | None, ...] = sh.receivers or (None,)
        for party in parties:
            pf = sh.facts_of(party) if party is not None else None
            # remote access controlled as an export goes where the customer uses it, not where it runs
            service = sh.tx.kind in self.ov.service_kinds
            destination = party.country if (service and party is not None and party.country) else sh.tx.to
            q = sh.question(destination, pf, sh.tx.kind)
            lr = self.requirement(q)
            if not lr.determined:
                alt = alternatives(q, self.requirement)
                out.flags.append(alt.flag())
                if alt.same and alt.license_required and not lr.reasons:
                    lr = next(iter(alt.answers.values()))
            out.notes.extend(lr.notes)
            for r in lr.reasons:
                out.reasons.append(_for_party(r, party, pf))
            if lr.license_required:
                out.exception_sets.append(set(lr.license_exceptions))
                if lr.review_policy:
                    out.policies.append(lr.review_policy)

    def _route_context(self, sh: Shipment, out: Findings, subject: bool | None, basis: str) -> RouteContext:
        return RouteContext(
            shipment=sh,
            reasons=tuple(out.reasons),
            overlays=self.ov,
            hit_threshold=self.parties.hit_threshold,
            answer=self.requirement,
            control_starts=self.control_starts,
            subject_to_ear=subject,
            jurisdiction_basis=basis,
        )

    def _assemble(self, sh: Shipment, out: Findings) -> Decision:
        """The Decision: a licence when any reason holds or when the answer depends on an undetermined
        classification; only the exceptions every requirement allows; the most restrictive review policy."""
        cls = sh.cls
        assumed = any(f.code == "undetermined_classification" and not f.evidence["same_answer"] for f in out.flags)
        license_required = bool(out.reasons) or assumed
        exceptions = sorted(set.intersection(*out.exception_sets)) if (license_required and out.exception_sets) else []
        policy = next((p for p in POLICY_ORDER if p in out.policies), None) if license_required else None
        classification = Classification(
            eccn=cls.eccn,
            paragraph=cls.paragraph,
            tpp=cls.tpp,
            pd=cls.pd,
            work=[*out.work, *cls.work],
        )
        for note in dict.fromkeys(out.notes):
            out.flags.append(Flag(code="rule_note", detail=note))
        return Decision(
            id=sh.tx.id,
            date=sh.tx.date,
            rulebook=sh.rulebook.id,
            snapshot=self.parties.snapshot_id,
            classification=classification,
            license_required=license_required,
            license_exceptions=exceptions,
            review_policy=policy,
            reasons=distinct(out.reasons),
            flags=distinct(out.flags),
        )

    # ------------------------------------------------------------------ overlays
    def _list_overlays(self, sh: Shipment, out: Findings) -> None:
        """Entity List and MEU: a licence for all items subject to the EAR when a listed party receives."""
        for party in sh.receivers:
            pf = sh.facts_of(party)
            for m, others in _best_per_list(pf.hits):
                spec = self.ov.lists.get(m.list)
                if spec is None or spec.reason is None:
                    continue
                listing = self._listing(m.entity_id, m.list)
                policy = spec.review_policy
                if m.list == "EL":  # which date the listing counts from, and the entry's own review policy
                    listing = {**listing, **basis_of_cited(listing.get("federal_register") or [])}
                    column = entity_policy(m.name)
                    policy = column.policy if column is not None else policy
                    listing.update(column.as_dict() if column else {"review_policy_text": _NO_COLUMN})
                evidence = {**pf.match_evidence(m), **listing}
                if others:
                    evidence["also_matched"] = [pf.match_evidence(o) for o in others]
                reason = Reason(
                    code=spec.reason,
                    citation=_cite(spec.citation, listing),
                    party=party.name,
                    detail=f"{party.role} {party.name!r} matches {m.list} entry {m.name!r} "
                    f"(score {m.score:.2f}), listed {listing.get('listed_since') or 'on an unknown date'}"
                    f"{unverified_marks(listing)}",
                    evidence=evidence,
                )
                out.require(reason, policy=policy)  # list-based: no licence exceptions

    def _listing(self, entity_id: str, list_code: str) -> dict[str, Any]:
        """The listed entry's dates and citations for the evidence (the licence lists read once, in bulk)."""
        if list_code not in self._listing_cache:
            facts = self.store.listing_facts(self.parties.snapshot_id, lists=[list_code])
            self._listing_cache[list_code] = {eid: row for (_code, eid), row in facts.items()}
        return self._listing_cache[list_code].get(entity_id, {})

    def _footnotes(self, entity_id: str) -> list[int]:
        """The FDP footnotes (1, 4, 5) of an Entity List entry."""
        return list(self._listing(entity_id, "EL").get("footnotes") or [])

    def _affiliates(self, sh: Shipment, out: Findings) -> None:
        """The Affiliates rule: owned 50% or more by listed parties. In force only in its dated windows;
        outside them a captured party is exactly the unlisted-affiliate gap, raised as a flag."""
        tx = sh.tx
        rule = affiliates_rule(sh.rulebook, on=tx.date)
        for party in sh.receivers:
            pf = sh.facts_of(party)
            if self.ov.licence_listed(pf.hits) or pf.control is None:
                continue
            regime = pf.control.regimes.get(self.ov.affiliates_regime)
            if regime is None or regime.listed or not (regime.captured or regime.possibly):
                continue
            evidence: dict[str, Any] = {
                "aggregate_ppm": regime.aggregate_ppm,
                "threshold_ppm": regime.threshold_ppm,
                "contributing_parties": regime.contributing_parties,
                "contributing_names": regime.contributing_names,
                "contributing_lists": regime.contributing_lists,
                "round": regime.round,
                "proof": regime.proof.model_dump(mode="json") if regime.proof else None,
                "rule": rule.as_dict(),
            }
            share = f"{regime.aggregate_ppm / 10_000:g}%"
            if rule.in_force and regime.captured:
                reason = Reason(
                    code="affiliate_50",
                    citation=str(rule.citation),
                    party=party.name,
                    detail=f"{party.name!r} is owned {share} by listed parties "
                    f"({', '.join(regime.contributing_names)}): captured by the Affiliates rule",
                    evidence=evidence,
                )
                # the most restrictive standard: the strictest policy among the contributing owners' lists
                owners = [self.ov.lists[c].review_policy for c in regime.contributing_lists if c in self.ov.lists]
                out.require(reason, policy=next((p for p in POLICY_ORDER if p in owners), None))
            else:
                why = (
                    "only on the upper bound of uncertain shares"
                    if not regime.captured
                    else f"but the Affiliates rule is {rule.status} on {tx.date}"
                )
                out.flags.append(
                    Flag(
                        code="unlisted_affiliate",
                        party=party.name,
                        detail=f"owned {share} by listed parties ({', '.join(regime.contributing_names)}) {why}",
                        evidence=evidence,
                    )
                )

    def _end_uses(self, sh: Shipment, out: Findings) -> dict[str, dict[str, Any]]:
        """The end uses: as stated, plus a supercomputer when one installation of the items reaches the
        definition (each with the evidence its reason carries)."""
        tx = sh.tx
        uses: dict[str, dict[str, Any]] = {tx.end_use: {"stated": True}} if tx.end_use else {}
        if not tx.one_installation:
            return uses
        rule = supercomputer_rule()
        c = cluster_size(sh.item, tx.quantity, self._catalog.item, rule)
        out.work.extend(c.work)
        if c.meets is None:
            detail = f"one installation may be a supercomputer: {', '.join(c.missing)} unknown"
            out.flags.append(Flag(code="rule_note", detail=detail))
        if c.meets and tx.date >= rule.since:
            uses.setdefault(rule.end_use, {"stated": False, "cluster": c.evidence(), "definition": rule.citation})
        return uses

    def _end_use(self, tx: Transaction, out: Findings, uses: dict[str, dict[str, Any]]) -> None:
        groups = country_groups()
        dest = groups.canonical(tx.to, tx.date)
        for use, facts in uses.items():
            spec = self.ov.end_uses.get(use)
            phase = spec.on(tx.date) if spec is not None else None
            if spec is None or phase is None or not phase.scope.matches(dest, tx.date, groups):
                continue
            how = "stated end use" if facts["stated"] else "end use computed from one installation's size:"
            reason = Reason(
                code="end_use",
                citation=phase.citation,
                party=None,
                detail=f"{how} {use!r} to {tx.to} ({phase.scope.describe()}); reaches {phase.items}",
                evidence={"end_use": use, "destination": dest, "scope": phase.scope.describe(), **facts},
            )
            out.require(reason, policy=spec.review_policy)

    # ------------------------------------------------------------------ batches
    def decide_records(self, records: Iterable[TxRecord]) -> Iterator[DecisionOutcome]:
        """Each record decided or reported with its line; one bad record never stops the batch."""
        for rec in records:
            tid = rec.transaction.id if rec.transaction else (rec.raw or {}).get("id")
            if rec.transaction is None:
                yield DecisionOutcome(rec.line, tid, error=rec.error)
                continue
            try:
                yield DecisionOutcome(rec.line, tid, decision=self.decide(rec.transaction))
            except ChipscreenError as exc:
                yield DecisionOutcome(rec.line, tid, error=f"{rec.source}:{rec.line} (transaction {tid}): {exc}")


def _for_party(r: Reason, party: TxParty | None, pf: PartyFacts | None) -> Reason:
    """A headquarters reason names the receiving party whose headquarters it is, and where that came from."""
    if r.code != "headquarters":
        return r.model_copy(update={"party": r.party, "evidence": dict(r.evidence)})
    evidence = dict(r.evidence)
    if pf is not None:
        evidence.setdefault("headquarters_source", pf.headquarters_source)
        if pf.parent_name:
            evidence.setdefault("ultimate_parent", pf.parent_name)
    who = party.name if party is not None else r.party
    return r.model_copy(update={"party": who, "evidence": evidence})


def _best_per_list(matches: list[Match]) -> list[tuple[Match, list[Match]]]:
    """The best match on each list, with the party's other matches on that list as supporting evidence:
    one reason per list, not one per similar entry."""
    by_list: dict[str, list[Match]] = {}
    for m in matches:
        by_list.setdefault(m.list, []).append(m)
    return [(ms[0], ms[1:]) for ms in by_list.values()]


def _cite(base: str, listing: dict[str, Any]) -> str:
    cites = listing.get("federal_register") or []
    return f"{base}; entry: {', '.join(cites)}" if cites else base


_DEFAULT: dict[str, Decider] = {}


def decide(tx: Transaction | dict[str, Any], *, store: Store | None = None, rulebook: str | None = None) -> Decision:
    """Decide one transaction (the contract's dict or a Transaction) against the latest snapshot."""
    if not isinstance(tx, Transaction):
        tx = Transaction.model_validate(tx)
    if store is not None or rulebook is not None:
        return Decider(store, rulebook=rulebook).decide(tx)
    if "default" not in _DEFAULT:
        _DEFAULT["default"] = Decider()
    return _DEFAULT["default"].decide(tx)
