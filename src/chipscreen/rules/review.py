"""Licence requirement, licence exceptions and review policy for one item, destination, party and date.

Inputs are plain facts (destination, the party's and its ultimate parent's headquarters, exporter,
country exported from); the answer says *why* with reason codes (``destination``, ``headquarters``,
``is_informed``), each with its citation. Entity-list, MEU, affiliate and end-use overlays belong to
the decision engine, which adds its own reasons. Requirements that are in the EAR text but not
enforced on the day (AI Diffusion) are reported as notes, not as reasons.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from chipscreen.model import Item, Reason, ReviewPolicy
from chipscreen.rules.catalog import catalog
from chipscreen.rules.classify import Facts, ItemClassification, Resolver, classify
from chipscreen.rules.countries import Scope
from chipscreen.rules.rulebook import CONTAINED, Letter, Rulebook, load_rulebook, rulebook_for


class ExceptionOption(BaseModel):
    name: str
    notification: bool
    title: str
    citation: str
    detail: str
    notes: str = ""


class LicenseRequirement(BaseModel):
    """The rules engine's answer for one shipment (the decision engine adds list-based overlays)."""

    rulebook: str
    date: dt.date
    destination: str
    destination_as: str  # after "treated as" mapping (HK -> CN)
    destination_groups: list[str] = Field(default_factory=list)
    classification: ItemClassification
    license_required: bool
    determined: bool = True  # False when the classification is undetermined (requirement assumed)
    reasons: list[Reason] = Field(default_factory=list)
    license_exceptions: list[str] = Field(default_factory=list)
    exception_options: list[ExceptionOption] = Field(default_factory=list)
    review_policy: ReviewPolicy | None = None
    review_policy_detail: dict[str, Any] | None = None
    notes: list[str] = Field(default_factory=list)


class _Ctx:
    """The facts of one query, canonicalised once."""

    def __init__(
        self,
        rb: Rulebook,
        day: dt.date,
        destination: str,
        headquarters: str | None,
        parent_headquarters: str | None,
        export_from: str | None,
    ) -> None:
        g = rb.groups
        self.rb, self.day, self.groups = rb, day, g
        self.dest = g.canonical(destination, day)
        self.hq = [
            (label, g.canonical(c, day, label))
            for label, c in (("headquarters", headquarters), ("parent_headquarters", parent_headquarters))
            if c
        ]
        self.export_from = g.canonical(export_from, day, "export_from") if export_from else None

    def dest_in(self, scope: Scope | None) -> bool:
        return scope is None or scope.matches(self.dest, self.day, self.groups)

    def hq_hits(self, scope: Scope) -> list[tuple[str, str]]:
        return [(label, c) for label, c in self.hq if scope.matches(c, self.day, self.groups)]


def license_requirement(
    item: Item | str,
    destination: str,
    date: dt.date | None = None,
    *,
    headquarters: str | None = None,
    parent_headquarters: str | None = None,
    exporter: str | None = None,
    export_from: str | None = None,
    rulebook: Rulebook | str | None = None,
    transaction_kind: str | None = None,
    classification: ItemClassification | None = None,
    resolve: Resolver | None = None,
) -> LicenseRequirement:
    """Is a licence required to send ``item`` to ``destination`` on ``date``, and why?

    ``headquarters`` / ``parent_headquarters``: ISO-2 of the end user's and its ultimate parent's
    headquarters (the HQ rule). ``exporter``: the exporter's name (is-informed letters bind only the
    named exporter). ``export_from``: ISO-2 the item leaves from (the 2026 case-by-case envelope needs
    exports from the US). ``transaction_kind``: ``cloud_service``/``lease`` are not exports unless the
    rulebook treats remote access as one (pass the accessing party's country as ``destination``)."""
    rb = load_rulebook(rulebook) if rulebook is not None else rulebook_for(date)
    day = date or rb.effective or dt.date.today()
    if isinstance(item, str):
        item = catalog().item(item)
    cls = classification or classify(item, day, rb, resolve=resolve)
    ctx = _Ctx(rb, day, destination, headquarters, parent_headquarters, export_from)
    out = LicenseRequirement(
        rulebook=rb.id,
        date=day,
        destination=destination.upper(),
        destination_as=ctx.dest,
        destination_groups=rb.groups.groups_of(ctx.dest, day),
        classification=cls,
        license_required=False,
        determined=cls.status != "undetermined",
    )
    out.notes.extend(rb.groups.caveats(ctx.dest, day))
    if transaction_kind and transaction_kind in rb.remote_access.transaction_kinds:
        if not rb.remote_access.controlled:
            out.notes.append(
                f"{transaction_kind}: remote access is not an export under {rb.id} ({rb.remote_access.citation}); "
                "no licence requirement attaches to the item (see the remote_access flag)"
            )
            return out
        out.notes.append(f"{transaction_kind}: treated as an export under {rb.id} ({rb.remote_access.citation})")

    paragraphs = cls.paragraphs()
    possibly = cls.status == "undetermined"
    for req in rb.requirements:
        hit = [p for p in paragraphs if p in req.paragraphs]
        if not hit:
            continue
        status = req.dates.status(day)
        if req.code == "destination":
            applies = ctx.dest_in(req.destinations)
            ev: dict[str, Any] = {
                "destination": ctx.dest,
                "scope": req.destinations.describe() if req.destinations else None,
            }
            text = f"{req.detail}; destination {ctx.dest} is in {ev['scope']}"
        else:
            assert req.headquarters is not None
            hq_hits = ctx.hq_hits(req.headquarters)
            applies = bool(hq_hits) and ctx.dest_in(req.destinations)
            ev = {"headquarters": dict(hq_hits), "scope": req.headquarters.describe()}
            text = f"{req.detail}; " + ", ".join(f"{label.replace('_', ' ')} {c}" for label, c in hq_hits)
        if not applies or status in ("not_yet", "expired"):
            continue
        if status != "active":
            why = "before its compliance date" if status == "before_compliance" else "not enforced on this date"
            out.notes.append(f"{req.id}: {req.detail} — in the EAR text but {why} ({req.citation})")
            continue
        ev.update({"requirement": req.id, "paragraphs": hit})
        prefix = f"possibly {'/'.join(hit)} (classification undetermined): " if possibly else f"{'/'.join(hit)}: "
        out.reasons.append(Reason(code=req.code, citation=req.citation, detail=prefix + text, evidence=ev))

    for letter in rb.letters:
        _letter(letter, item, cls, ctx, exporter, out)

    out.license_required = bool(out.reasons)
    if out.license_required:
        _exceptions(rb, cls, ctx, out)
        _review(rb, cls, ctx, out)
    return out


def _letter_item_match(letter: Letter, item: Item, cls: ItemClassification, rb: Rulebook) -> bool:
    if item.id in letter.items or (item.contains is not None and item.contains.item in letter.items):
        return True
    return letter.criteria is not None and letter.criteria.evaluate(_ic_facts_from_cls(cls, rb)) is True


def _letter(
    letter: Letter, item: Item, cls: ItemClassification, ctx: _Ctx, exporter: str | None, out: LicenseRequirement
) -> None:
    if letter.dates.status(ctx.day) != "active" or not _letter_item_match(letter, item, cls, ctx.rb):
        return
    dest_hit = letter.destinations is not None and ctx.dest_in(letter.destinations)
    hq_hit = ctx.hq_hits(letter.headquarters) if letter.headquarters is not None else []
    if not dest_hit and not hq_hit:
        return
    if not letter.binds(exporter):
        who = f"exporter {exporter!r}" if exporter else "no exporter given"
        out.notes.append(f"is-informed letter {letter.id} ({letter.title}) binds {letter.exporter} only; {who}")
        return
    where = f"destination {ctx.dest}" if dest_hit else ", ".join(f"{k} {v}" for k, v in hq_hit)
    out.reasons.append(
        Reason(
            code="is_informed",
            citation=letter.citation,
            party=letter.exporter,
            detail=f"{letter.title}: {where} [{letter.confidence}]" + (f". {letter.notes}" if letter.notes else ""),
            evidence={"letter": letter.id, "exporter": exporter, "destination": ctx.dest, "from": letter.dates.start},
        )
    )


def _eligible(rb: Rulebook, exc_elig: Any, para: str, item_cls: ItemClassification, facts: Facts | None) -> bool:
    cond = exc_elig.get(para)
    if cond is None:
        return False
    if cond == CONTAINED:
        inner = item_cls.contained
        if inner is None or inner.paragraph is None:
            return False
        inner_cond = exc_elig.get(inner.paragraph)
        if inner_cond is None or inner_cond == CONTAINED:
            return False
        return facts is not None and inner_cond.evaluate(facts) is True
    return facts is not None and cond.evaluate(facts) is True


def _exceptions(rb: Rulebook, cls: ItemClassification, ctx: _Ctx, out: LicenseRequirement) -> None:
    if cls.paragraph is None:
        return  # undetermined or letter-only: no exception can be confirmed
    if any(r.code == "is_informed" for r in out.reasons):
        out.notes.append("licence exceptions do not overcome an is-informed letter")
        return
    facts = _ic_facts_from_cls(cls, rb)
    for exc in rb.license_exceptions:
        if exc.dates.status(ctx.day) != "active" or not _eligible(rb, exc.eligible, cls.paragraph, cls, facts):
            continue
        for w in exc.where:
            if w.destinations is not None and not ctx.dest_in(w.destinations):
                continue
            if w.headquarters is not None and not ctx.hq_hits(w.headquarters):
                continue
            if w.not_headquarters is not None and ctx.hq_hits(w.not_headquarters):
                continue
            out.license_exceptions.append(exc.name)
            out.exception_options.append(
                ExceptionOption(
                    name=exc.name,
                    notification=w.notification,
                    title=exc.title,
                    citation=exc.citation,
                    detail=exc.detail,
                    notes=exc.notes,
                )
            )
            break


def _ic_facts_from_cls(cls: ItemClassification, rb: Rulebook) -> Facts:
    """Rebuild condition facts from a classification (the contained IC's for a system)."""
    src = cls.contained or cls
    f = Facts.__new__(Facts)
    f.tpp, f.pd, f.io, f.dram = src.tpp, src.pd, src.io_bandwidth_gbs, src.dram_bandwidth_gbs
    f.mbd, f.datacenter = src.mbd, src.datacenter
    f.tpp_by_precision, f.tpp_precision = src.tpp_by_precision, src.tpp_precision
    return f


def _review(rb: Rulebook, cls: ItemClassification, ctx: _Ctx, out: LicenseRequirement) -> None:
    facts = _ic_facts_from_cls(cls, rb)
    paragraphs = set(cls.paragraphs())
    for pol in rb.review_policies:
        if pol.dates.status(ctx.day) != "active":
            continue
        if pol.paragraphs is not None and not (paragraphs & pol.paragraphs):
            continue
        if pol.destinations is not None and not ctx.dest_in(pol.destinations):
            continue
        if pol.headquarters is not None and not ctx.hq_hits(pol.headquarters):
            continue
        if pol.export_from is not None:
            if ctx.export_from is None:
                out.notes.append(f"{pol.id}: {pol.policy} needs the country exported from (export_from); not given")
                continue
            if not pol.export_from.matches(ctx.export_from, ctx.day, ctx.groups):
                continue
        if pol.item is not None and pol.item.evaluate(facts) is not True:
            continue
        out.review_policy = pol.policy  # type: ignore[assignment]
        out.review_policy_detail = {
            "id": pol.id,
            "citation": pol.citation,
            "detail": pol.detail,
            "conditions": list(pol.conditions),
        }
        return


def _change_dates(rb_list: list[Rulebook]) -> list[dt.date]:
    """Every date on which some licence answer can change: rulebook effective dates and the edges of
    every dated window inside them (letters, compliance dates, non-enforcement, group membership)."""
    one = dt.timedelta(days=1)
    out: set[dt.date] = set()
    for rb in rb_list:
        if rb.effective:
            out.add(rb.effective)
        dated = [r.dates for r in rb.requirements] + [x.dates for x in rb.letters]
        dated += [e.dates for e in rb.license_exceptions]
        for dd in dated:
            for day in (dd.start, dd.compliance_from):
                if day:
                    out.add(day)
            if dd.until:
                out.add(dd.until + one)
            for w in dd.not_enforced:
                if w.start:
                    out.add(w.start)
                if w.until:
                    out.add(w.until + one)
        for members in rb.groups.groups.values():
            for m in members:
                if m.start:
                    out.add(m.start)
                if m.until:
                    out.add(m.until + one)
    return sorted(out)


def controlled_since(
    item: Item | str,
    destination: str,
    date: dt.date | None = None,
    *,
    headquarters: str | None = None,
    parent_headquarters: str | None = None,
    exporter: str | None = None,
    export_from: str | None = None,
) -> dt.date | None:
    """The first day of the unbroken run of days, ending on ``date``, on which this shipment needed a licence.

    ``None`` when no licence is needed on ``date``. What the decision engine compares with the date units
    were acquired (``pre_rule_stock``): stock that arrived before this day predates the control now applying."""
    from chipscreen.rules.rulebook import list_rulebooks

    day = date or dt.date.today()
    rules = [rb for rb in list_rulebooks() if not rb.is_proposal]
    if isinstance(item, str):
        item = catalog().item(item)

    def required(on: dt.date) -> bool:
        return license_requirement(
            item,
            destination,
            on,
            headquarters=headquarters,
            parent_headquarters=parent_headquarters,
            exporter=exporter,
            export_from=export_from,
        ).license_required

    if not required(day):
        return None
    first_known = rules[0].effective
    since = day
    for change in reversed([c for c in _change_dates(rules) if c <= day]):
        if first_known is not None and change < first_known:
            break
        # the answer is constant from ``change`` up to ``since``; step back across the boundary
        before = change - dt.timedelta(days=1)
        since = change
        if (first_known is not None and before < first_known) or not required(before):
            break
    return since
