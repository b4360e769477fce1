"""Flags: the three circumvention routes and the other red flags, raised whatever the rules of the day say.

- ``remote_access``: a cloud service or lease gives a party access to compute that would need a licence
  if the chips were exported to that party (listed, 50%-captured, or headquartered in D:5/Macau for
  3A090-class items). A service is not an export, so the rules of the day may say nothing.
- ``pre_rule_stock``: units acquired before the control that now covers them, leased, rented out or
  transferred to such a party.
- ``unlisted_affiliate``: a party tied to a listed one (minority stake, common parent, majority owner whose
  rule is suspended, a listed relative, a distinctive shared name) that no rule captures on the date.
- ``transshipment``, ``unknown_ownership``, ``possible_match`` and the list flags (``denied_party``,
  ``sanctioned_party``, ``other_list``).

For an item that is not subject to the EAR (a foreign-made item no de minimis or FDP test reaches) the route
flags are still raised, since the pattern (a listed user's cloud access, a diversion hub) is what an analyst
screens for whatever the law of the day, but each says the item is not subject and needs no EAR licence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chipscreen.decide.overlays import Overlays
from chipscreen.decide.red_flags import red_flags
from chipscreen.decide.shipment import Shipment
from chipscreen.decide.veu import veu_notes
from chipscreen.model import Flag, Reason, ReasonCode, TxParty
from chipscreen.rules import LicenseRequirement, controlled_since, country_groups, rulebook_for
from chipscreen.rules.question import LicenceQuestion

# Codes of reasons that say "this party would need a licence": what makes it "such a party".
_PARTY_GROUNDS: tuple[ReasonCode, ...] = (
    "entity_list",
    "meu",
    "affiliate_50",
    "headquarters",
    "destination",
    "is_informed",
)

# When the control now covering an item for a party began, with the rulebook that began it; keyed by the
# shipment's facts (item, destination, date, headquarters, parent headquarters, exporter, country exported from).
ControlStarts = dict[tuple[str, str, dt.date, str | None, str | None, str | None, str], tuple[dt.date, str] | None]


@dataclass(frozen=True)
class RouteContext:
    """What the routes read: the shipment, the reasons already found, and the engine's cached answers."""

    shipment: Shipment
    reasons: tuple[Reason, ...]
    overlays: Overlays
    hit_threshold: float  # the screener's: a near miss is reported with it
    answer: Callable[[LicenceQuestion], LicenseRequirement]  # the rules engine's answer, memoised per batch
    control_starts: ControlStarts  # memo of controlled_since, shared by a batch
    subject_to_ear: bool | None = True  # the jurisdiction answer (None: open, decided as subject)
    jurisdiction_basis: str = ""  # why, when the item is not subject


def raise_flags(ctx: RouteContext, flags: list[Flag]) -> None:
    _screening_flags(ctx, flags)
    start = len(flags)
    grounds = {id(p): _would_need_licence(ctx, p) for p in ctx.shipment.receivers}
    _remote_access(ctx, grounds, flags)
    _pre_rule_stock(ctx, grounds, flags)
    _unlisted_affiliates(ctx, flags)
    _transshipment(ctx, flags)
    _unknown_ownership(ctx, flags)
    flags.extend(red_flags(ctx.shipment))
    flags.extend(veu_notes(ctx.shipment))
    if ctx.subject_to_ear is False:
        flags[start:] = [_not_subject(ctx, f) for f in flags[start:]]


def _not_subject(ctx: RouteContext, flag: Flag) -> Flag:
    """A route flag on an item outside the EAR: the pattern stays visible, the legal consequence is stated."""
    why = f" ({ctx.jurisdiction_basis})" if ctx.jurisdiction_basis else ""
    return flag.model_copy(
        update={
            "detail": f"{flag.detail}; but the item is not subject to the EAR{why}: no EAR licence or control "
            "applies (shown for the analyst)",
            "evidence": {**flag.evidence, "subject_to_ear": False},
        }
    )


def _screening_flags(ctx: RouteContext, flags: list[Flag]) -> None:
    """Every party in every role is screened: near misses and non-licence lists are shown, never dropped."""
    ov, sh = ctx.overlays, ctx.shipment
    for party in sh.tx.parties:
        pf = sh.facts_of(party)
        for m in {(m.list): m for m in reversed(pf.hits)}.values():  # the best match on each list
            spec = ov.lists.get(m.list)
            if spec is not None and spec.flag:
                flags.append(
                    Flag(
                        code=spec.flag,
                        party=party.name,
                        detail=f"{m.list}: {spec.detail}",
                        evidence=pf.match_evidence(m),
                    )
                )
            elif spec is not None and spec.reason and party not in sh.receivers:
                flags.append(
                    Flag(
                        code="listed_party",
                        party=party.name,
                        detail=f"{party.role} {party.name!r} is on the {m.list} ({m.name!r})",
                        evidence=pf.match_evidence(m),
                    )
                )
        if not pf.hits and pf.possible:
            best = pf.possible[0]
            flags.append(
                Flag(
                    code="possible_match",
                    party=party.name,
                    detail=f"{party.role} {party.name!r} resembles {best.list} entry {best.name!r} "
                    f"(score {best.score:.2f}, below the hit threshold "
                    f"{ctx.hit_threshold:.2f}): review before clearing",
                    evidence={"matches": [pf.match_evidence(m) for m in pf.possible[:3]]},
                )
            )


def _would_need_licence(ctx: RouteContext, party: TxParty) -> list[dict[str, Any]]:
    """Why an export of this item to this party would need a licence (the hypothetical of routes 1 and 2)."""
    sh = ctx.shipment
    pf = sh.facts_of(party)
    grounds: list[dict[str, Any]] = []
    for m in pf.hits:
        spec = ctx.overlays.lists.get(m.list)
        if spec is not None and spec.reason:
            grounds.append(
                {"code": spec.reason, "detail": f"on the {m.list} as {m.name!r}", "score": round(m.score, 4)}
            )
    regime = pf.control.regimes.get(ctx.overlays.affiliates_regime) if pf.control else None
    if regime is not None and regime.captured and not regime.listed:
        grounds.append(
            {
                "code": "affiliate_50",
                "detail": f"owned {regime.aggregate_ppm / 10_000:g}% by {', '.join(regime.contributing_names)}",
            }
        )
    lr = ctx.answer(sh.question(party.country or sh.tx.to, pf, "export"))
    for r in lr.reasons:
        if r.code in _PARTY_GROUNDS:
            grounds.append({"code": r.code, "detail": r.detail, "citation": r.citation})
    return grounds


def _remote_access(ctx: RouteContext, grounds: dict[int, list[dict[str, Any]]], flags: list[Flag]) -> None:
    sh = ctx.shipment
    tx = sh.tx
    if tx.kind not in ctx.overlays.remote_access_kinds:
        return
    for party in sh.receivers:
        why = grounds[id(party)]
        if not why:
            continue
        status = (
            "the rulebook controls remote access: decided as an export"
            if sh.remote_controlled
            else "a cloud service is not an export: no licence under the rules of the day"
            if tx.kind == "cloud_service"
            else "the lease hands over the hardware"
        )
        flags.append(
            Flag(
                code="remote_access",
                party=party.name,
                detail=f"{tx.kind} gives {party.name!r} the use of {tx.quantity} x {sh.item.id} "
                f"({sh.cls.paragraph or sh.cls.eccn or 'not 3A090'}) that would need a licence if exported "
                f"to it; {status}",
                evidence={"grounds": why, "hardware_location": tx.to, "rulebook": sh.rulebook.id},
            )
        )


def _control_start(ctx: RouteContext, party: TxParty) -> tuple[dt.date, str] | None:
    """When the control that now covers this item for this party began (the rules engine's
    ``controlled_since``: the first day of the unbroken run of days on which a transfer needs a licence)."""
    sh = ctx.shipment
    pf = sh.facts_of(party)
    exporter = sh.exporter.name if sh.exporter else None
    key = (sh.item_key, sh.tx.to, sh.tx.date, pf.headquarters, pf.parent_headquarters, exporter, sh.tx.from_)
    cache = ctx.control_starts
    if key not in cache:
        since = controlled_since(
            sh.item,
            sh.tx.to,
            sh.tx.date,
            headquarters=pf.headquarters,
            parent_headquarters=pf.parent_headquarters,
            exporter=exporter,
            export_from=sh.tx.from_,
        )
        cache[key] = (since, rulebook_for(since).id) if since else None
    return cache[key]


def _pre_rule_stock(ctx: RouteContext, grounds: dict[int, list[dict[str, Any]]], flags: list[Flag]) -> None:
    sh = ctx.shipment
    tx = sh.tx
    if tx.acquired is None or tx.kind not in ctx.overlays.pre_rule_stock_kinds:
        return
    for party in sh.receivers:
        if not grounds[id(party)]:
            continue
        start = _control_start(ctx, party)
        if start is None or tx.acquired >= start[0]:
            continue
        flags.append(
            Flag(
                code="pre_rule_stock",
                party=party.name,
                detail=f"{tx.quantity} x {sh.item.id} acquired {tx.acquired}, before the control that now covers them "
                f"began on {start[0]} ({start[1]}), {tx.kind.replace('_', ' ')} to {party.name!r}",
                evidence={
                    "acquired": tx.acquired.isoformat(),
                    "control_start": start[0].isoformat(),
                    "control_rulebook": start[1],
                    "grounds": grounds[id(party)],
                },
            )
        )


def _unlisted_affiliates(ctx: RouteContext, flags: list[Flag]) -> None:
    """Ties to listed parties that no rule captures on the date (route 3)."""
    ov, sh = ctx.overlays, ctx.shipment
    captured = {r.party for r in ctx.reasons if r.code == "affiliate_50"}
    already = {f.party for f in flags if f.code == "unlisted_affiliate"}
    for party in sh.receivers:
        pf = sh.facts_of(party)
        if ov.licence_listed(pf.hits):
            continue  # the party is itself listed: that is a reason, not a flag
        if party.name in captured or party.name in already:
            continue  # the Affiliates rule captures it, or its majority owner's tie is already flagged
        ties: list[dict[str, Any]] = []
        st = pf.control
        if st is not None:
            regime = st.regimes.get(ov.affiliates_regime)
            is_captured = regime is not None and (regime.captured or regime.possibly)
            for rel in st.relatives:
                if rel.lists:
                    ties.append(
                        {
                            "tie": rel.relation,
                            "party": rel.name,
                            "lists": rel.lists,
                            "path": [s.model_dump() for s in rel.path],
                        }
                    )
            if not is_captured and regime is not None and regime.aggregate_max_ppm > 0:
                ties.append(
                    {
                        "tie": "minority_stake",
                        "aggregate_ppm": regime.aggregate_ppm,
                        "parties": regime.contributing_names,
                        "citation": ov.minority_stake_citation,
                    }
                )
            elif not is_captured and st.look_through_ppm > 0:
                ties.append(
                    {
                        "tie": "indirect_stake",
                        "look_through_ppm": st.look_through_ppm,
                        "citation": ov.minority_stake_citation,
                    }
                )
        for m in pf.possible:
            spec = ov.lists.get(m.list)
            if spec is not None and spec.reason:
                ties.append({"tie": "name", "listed_name": m.name, "list": m.list, "score": round(m.score, 4)})
                break
        if not ties:
            continue
        kinds = sorted({t["tie"] for t in ties})
        flags.append(
            Flag(
                code="unlisted_affiliate",
                party=party.name,
                detail=f"{party.name!r} is not listed but is tied to listed parties ({', '.join(kinds)}); "
                "no rule captures it on this date",
                evidence={"ties": ties},
            )
        )


def _transshipment(ctx: RouteContext, flags: list[Flag]) -> None:
    """A hub in the chain and an end user tied to D:5 or Macau: BIS's diversion red flags."""
    ov, sh = ctx.overlays, ctx.shipment
    tx = sh.tx
    if not sh.cls.controlled or tx.kind not in ov.transfer_kinds:
        return  # a service moves nothing: there is no shipment to divert
    groups = country_groups()
    day = tx.date
    hub_parties = [p for p in tx.parties if p.role in ov.hub_roles and (p.country or "") in ov.transshipment_hubs]
    hub_countries = sorted({p.country for p in hub_parties if p.country} | ({tx.to} & ov.transshipment_hubs))
    if not hub_countries:
        return
    for party in tx.parties:
        if party.role not in ov.end_user_roles:
            continue
        pf = sh.facts_of(party)
        tied = [
            (label, c)
            for label, c in (
                ("headquarters", pf.headquarters),
                ("parent_headquarters", pf.parent_headquarters),
                ("country", party.country),
            )
            if c and ov.restricted_headquarters.matches(groups.canonical(c, day), day, groups)
        ]
        if not tied:
            continue
        flags.append(
            Flag(
                code="transshipment",
                party=party.name,
                detail=f"{sh.item.id} routed through {', '.join(hub_countries)} to "
                f"{party.name!r}, whose {tied[0][0].replace('_', ' ')} is {tied[0][1]}",
                evidence={
                    "hubs": hub_countries,
                    "hub_parties": [{"name": h.name, "role": h.role, "country": h.country} for h in hub_parties],
                    "ties": [{"field": f, "country": c} for f, c in tied],
                    "citation": ov.transshipment_citation,
                },
            )
        )


def _unknown_ownership(ctx: RouteContext, flags: list[Flag]) -> None:
    ov, sh = ctx.overlays, ctx.shipment
    if not sh.cls.controlled:
        return
    groups = country_groups()
    day = sh.tx.date
    dest = groups.canonical(sh.tx.to, day)
    if not ov.unknown_ownership_scope.matches(dest, day, groups):
        return
    for party in sh.receivers:
        pf = sh.facts_of(party)
        if pf.control is not None or pf.hits:
            continue
        flags.append(
            Flag(
                code="unknown_ownership",
                party=party.name,
                detail=f"no ownership data for {party.name!r} receiving a {sh.cls.paragraph or sh.cls.eccn} item in "
                f"{sh.tx.to}: its owners and ultimate parent's headquarters are unknown",
                evidence={"citation": ov.unknown_ownership_citation},
            )
        )
