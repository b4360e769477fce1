"""Licence requirement, licence exceptions and review policy for one item, destination, party and date.

A ``LicenceQuestion`` holds plain facts (destination, the end user's and its ultimate parent's headquarters,
exporter, country exported from) with the item already classified under the rulebook of the day; the answer
says *why* with reason codes (``destination``, ``headquarters``, ``is_informed``), each with its citation.
Entity-list, MEU, affiliate and end-use overlays belong to the decision engine, which adds its own reasons.
Requirements that are in the EAR text but not enforced on the day (AI Diffusion) are reported as notes, not
as reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Unpack, get_args, overload

from pydantic import BaseModel, Field

from chipscreen.model import Item, Reason, ReasonCode, ReviewPolicy
from chipscreen.rules.catalog import catalog
from chipscreen.rules.classify import Facts, ItemClassification
from chipscreen.rules.countries import CountryGroups, Scope
from chipscreen.rules.expr import Cond
from chipscreen.rules.question import LicenceQuestion, QuestionFacts, ShipmentFacts
from chipscreen.rules.rulebook import list_rulebooks
from chipscreen.rules.rulebook_model import Letter, Requirement, Rulebook
from chipscreen.rules.rulebook_schema import CONTAINED

# The rulebook loader admits only these policy names; the lookup turns its string into the contract's type.
_POLICIES: dict[str, ReviewPolicy] = {p: p for p in get_args(ReviewPolicy)}


class ExceptionOption(BaseModel):
    name: str
    notification: bool
    title: str
    citation: str
    detail: str
    notes: str = ""
    procedure: str = ""  # what the exporter must file or wait for
    conditions: list[str] = Field(default_factory=list)  # terms the user must confirm; the engine cannot


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


@dataclass(frozen=True)
class _Canonical:
    """The question's countries as the rulebook's groups see them on the day (HK as CN), worked out once."""

    rb: Rulebook
    day: dt.date
    groups: CountryGroups
    dest: str
    hq: tuple[tuple[str, str], ...]
    export_from: str | None
    kind: str | None = None  # the transaction kind (None: an export)

    @classmethod
    def of(cls, q: LicenceQuestion) -> _Canonical:
        g, day = q.rulebook.groups, q.date
        hq = tuple(
            (label, g.canonical(c, day, label))
            for label, c in (("headquarters", q.headquarters), ("parent_headquarters", q.parent_headquarters))
            if c
        )
        export_from = g.canonical(q.export_from, day, "export_from") if q.export_from else None
        return cls(q.rulebook, day, g, g.canonical(q.destination, day), hq, export_from, q.transaction_kind)

    def dest_in(self, scope: Scope | None) -> bool:
        return scope is None or scope.matches(self.dest, self.day, self.groups)

    def hq_hits(self, scope: Scope) -> list[tuple[str, str]]:
        return [(label, c) for label, c in self.hq if scope.matches(c, self.day, self.groups)]


@overload
def license_requirement(question: LicenceQuestion, /) -> LicenseRequirement: ...


@overload
def license_requirement(
    question: Item | str, destination: str, date: dt.date | None = None, **facts: Unpack[QuestionFacts]
) -> LicenseRequirement: ...


def license_requirement(
    question: LicenceQuestion | Item | str,
    destination: str | None = None,
    date: dt.date | None = None,
    **facts: Unpack[QuestionFacts],
) -> LicenseRequirement:
    """Is a licence required to send the item to the destination on the date, and why?

    Takes a ``LicenceQuestion``, or the item, destination and date with the question's other facts as keywords
    (``LicenceQuestion.ask``). A cloud service or lease given as ``transaction_kind`` is an export only when
    the rulebook treats remote access as one (then pass the accessing party's country as the destination)."""
    if not isinstance(question, LicenceQuestion):
        if destination is None:
            raise TypeError("license_requirement: a destination is required with an item")
        question = LicenceQuestion.ask(question, destination, date, **facts)
    return _answer(question)


def _answer(q: LicenceQuestion) -> LicenseRequirement:
    rb, cls = q.rulebook, q.classification
    where = _Canonical.of(q)
    out = LicenseRequirement(
        rulebook=rb.id,
        date=q.date,
        destination=q.destination.upper(),
        destination_as=where.dest,
        destination_groups=rb.groups.groups_of(where.dest, q.date),
        classification=cls,
        license_required=False,
        determined=cls.status != "undetermined",
    )
    out.notes.extend(rb.groups.caveats(where.dest, q.date))
    out.notes.extend(f"unverified: {u}" for u in cls.unverified)
    if not _moves_the_item(q, out.notes):
        return out
    paragraphs = cls.paragraphs()
    for req in rb.requirements:
        _requirement(req, paragraphs, cls, where, out)
    for letter in rb.letters:
        _letter(letter, q, where, out)
    out.license_required = bool(out.reasons)
    if out.license_required:
        _exceptions(rb, cls, where, out)
        _review(rb, cls, where, out)
        _with_procedure(out)
    return out


def _with_procedure(out: LicenseRequirement) -> None:
    """Each reason says how the shipment may still go: the exception offered and what it takes to use it."""
    if not out.exception_options:
        return
    how = " | ".join(
        _exception_note(o.name, o.notification, o.procedure, tuple(o.conditions)) for o in out.exception_options
    )
    out.reasons = [r.model_copy(update={"detail": f"{r.detail}; may ship under {how}"}) for r in out.reasons]


def _moves_the_item(q: LicenceQuestion, notes: list[str]) -> bool:
    """A cloud service or lease reaches the item's rules only when the rulebook controls remote access."""
    rb, kind = q.rulebook, q.transaction_kind
    if not kind or kind not in rb.remote_access.transaction_kinds:
        return True
    if not rb.remote_access.controlled:
        notes.append(
            f"{kind}: remote access is not an export under {rb.id} ({rb.remote_access.citation}); "
            "no licence requirement attaches to the item (see the remote_access flag)"
        )
        return False
    notes.append(f"{kind}: treated as an export under {rb.id} ({rb.remote_access.citation})")
    return True


def _requirement(
    req: Requirement, paragraphs: list[str], cls: ItemClassification, where: _Canonical, out: LicenseRequirement
) -> None:
    """One destination or headquarters requirement: a reason when it applies and is enforced on the day,
    a note when it is in the EAR text but not yet binding or not enforced."""
    hit = [p for p in paragraphs if p in req.paragraphs]
    if not hit:
        return
    status = req.dates.status(where.day)
    code: ReasonCode
    if req.code == "destination":
        code, applies = "destination", where.dest_in(req.destinations)
        scope = req.destinations.describe() if req.destinations else None
        ev: dict[str, Any] = {"destination": where.dest, "scope": scope}
        text = f"{req.detail}; destination {where.dest} is in {scope}"
    else:  # the rulebook loader admits only destination and headquarters requirements
        assert req.headquarters is not None
        hq_hits = where.hq_hits(req.headquarters)
        code, applies = "headquarters", bool(hq_hits) and where.dest_in(req.destinations)
        ev = {"headquarters": dict(hq_hits), "scope": req.headquarters.describe()}
        text = f"{req.detail}; " + ", ".join(f"{label.replace('_', ' ')} {c}" for label, c in hq_hits)
    if not applies or status in ("not_yet", "expired"):
        return
    if status != "active":
        why = "before its compliance date" if status == "before_compliance" else "not enforced on this date"
        out.notes.append(f"{req.id}: {req.detail} — in the EAR text but {why} ({req.citation})")
        return
    ev.update({"requirement": req.id, "paragraphs": hit})
    possibly = cls.status == "undetermined"
    prefix = f"possibly {'/'.join(hit)} (classification undetermined): " if possibly else f"{'/'.join(hit)}: "
    out.reasons.append(Reason(code=code, citation=req.citation, detail=prefix + text, evidence=ev))


def _letter_item_match(letter: Letter, item: Item, cls: ItemClassification) -> bool:
    inner = item.contains.item if item.contains is not None else None
    if item.id in letter.items or (inner.id if isinstance(inner, Item) else inner) in letter.items:
        return True
    return letter.criteria is not None and letter.criteria.evaluate(_ic_facts_from_cls(cls)) is True


def _letter(letter: Letter, q: LicenceQuestion, where: _Canonical, out: LicenseRequirement) -> None:
    """An is-informed letter: a reason when it binds this exporter, a note when it names another."""
    if letter.dates.status(where.day) != "active" or not _letter_item_match(letter, q.item, q.classification):
        return
    dest_hit = letter.destinations is not None and where.dest_in(letter.destinations)
    hq_hit = where.hq_hits(letter.headquarters) if letter.headquarters is not None else []
    if not dest_hit and not hq_hit:
        return
    exporter = q.exporter
    if not letter.binds(exporter):
        who = f"exporter {exporter!r}" if exporter else "no exporter given"
        out.notes.append(f"is-informed letter {letter.id} ({letter.title}) binds {letter.exporter} only; {who}")
        return
    place = f"destination {where.dest}" if dest_hit else ", ".join(f"{k} {v}" for k, v in hq_hit)
    out.reasons.append(
        Reason(
            code="is_informed",
            citation=letter.citation,
            party=letter.exporter,
            detail=f"{letter.title}: {place} [{letter.confidence}]" + (f". {letter.notes}" if letter.notes else ""),
            evidence={"letter": letter.id, "exporter": exporter, "destination": where.dest, "from": letter.dates.start},
        )
    )


def _eligible(exc_elig: Mapping[str, Cond | str], para: str, item_cls: ItemClassification, facts: Facts) -> bool:
    """Whether the item's paragraph meets the exception's condition; a system follows the ICs it contains."""
    cond = exc_elig.get(para)
    if cond is None:
        return False
    if cond == CONTAINED:
        inner = item_cls.contained
        if inner is None or inner.paragraph is None:
            return False
        inner_cond = exc_elig.get(inner.paragraph)
        if inner_cond is None or isinstance(inner_cond, str):
            return False
        return inner_cond.evaluate(facts) is True
    if isinstance(cond, str):
        return False
    return cond.evaluate(facts) is True


def _exceptions(rb: Rulebook, cls: ItemClassification, where: _Canonical, out: LicenseRequirement) -> None:
    """The licence exceptions whose item condition and destination or headquarters terms the shipment meets."""
    if cls.paragraph is None:
        return  # undetermined or letter-only: no exception can be confirmed
    if any(r.code == "is_informed" for r in out.reasons):
        out.notes.append("licence exceptions do not overcome an is-informed letter")
        return
    facts = _ic_facts_from_cls(cls)
    for exc in rb.license_exceptions:
        if exc.dates.status(where.day) != "active" or not _eligible(exc.eligible, cls.paragraph, cls, facts):
            continue
        for w in exc.where:
            if not w.covers(where.kind):
                continue
            if w.destinations is not None and not where.dest_in(w.destinations):
                continue
            if w.headquarters is not None and not where.hq_hits(w.headquarters):
                continue
            if w.not_headquarters is not None and where.hq_hits(w.not_headquarters):
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
                    procedure=exc.procedure,
                    conditions=list(exc.conditions),
                )
            )
            break


def _exception_note(name: str, notification: bool, procedure: str, conditions: tuple[str, ...]) -> str:
    """How to use an offered exception, in the answer itself: a NAC shipment waits for BIS's 25-day review."""
    text = f"licence exception {name} ({'notification required' if notification else 'no notification'})"
    if procedure:
        text += f": {procedure}"
    if conditions:
        text += "; only if the exporter confirms: " + "; ".join(conditions)
    return text


def _ic_facts_from_cls(cls: ItemClassification) -> Facts:
    """Rebuild condition facts from a classification (the contained IC's for a system)."""
    src = cls.contained or cls
    f = Facts.__new__(Facts)
    f.tpp, f.pd, f.io, f.dram = src.tpp, src.pd, src.io_bandwidth_gbs, src.dram_bandwidth_gbs
    f.mbd, f.datacenter = src.mbd, src.datacenter
    f.tpp_by_precision, f.tpp_precision = src.tpp_by_precision, src.tpp_precision
    return f


def _review(rb: Rulebook, cls: ItemClassification, where: _Canonical, out: LicenseRequirement) -> None:
    """The first review policy (the rulebook lists them by priority) whose terms the shipment meets."""
    facts = _ic_facts_from_cls(cls)
    paragraphs = set(cls.paragraphs())
    for pol in rb.review_policies:
        if pol.dates.status(where.day) != "active":
            continue
        if pol.paragraphs is not None and not (paragraphs & pol.paragraphs):
            continue
        if pol.destinations is not None and not where.dest_in(pol.destinations):
            continue
        if pol.headquarters is not None and not where.hq_hits(pol.headquarters):
            continue
        if pol.export_from is not None:
            if where.export_from is None:
                out.notes.append(f"{pol.id}: {pol.policy} needs the country exported from (export_from); not given")
                continue
            if not pol.export_from.matches(where.export_from, where.day, where.groups):
                continue
        if pol.item is not None and pol.item.evaluate(facts) is not True:
            continue
        out.review_policy = _POLICIES[pol.policy]
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
    item: Item | str, destination: str, date: dt.date | None = None, **facts: Unpack[ShipmentFacts]
) -> dt.date | None:
    """The first day of the unbroken run of days, ending on ``date``, on which this shipment needed a licence.

    ``None`` when no licence is needed on ``date``. What the decision engine compares with the date units
    were acquired (``pre_rule_stock``): stock that arrived before this day predates the control now applying.
    Each day is asked under the rulebook in force on it."""
    day = date or dt.date.today()
    rules = [rb for rb in list_rulebooks() if not rb.is_proposal]
    if isinstance(item, str):
        item = catalog().item(item)

    def required(on: dt.date) -> bool:
        return _answer(LicenceQuestion.ask(item, destination, on, **facts)).license_required

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
