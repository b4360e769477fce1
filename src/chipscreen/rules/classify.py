"""Item classification: TPP, performance density, memory bandwidth density -> the ECCN paragraph in force.

The arithmetic follows Technical Note 2 to 3A090.a/.b: TPP = dense TOPS x bit length per precision, the
maximum over precisions; PD = TPP / applicable die area. Which thresholds apply, with which inequality,
comes from the rulebook. A parameter the item does not state is *unknown*, and a result that depends on
an unknown is ``undetermined`` (with the missing field named), never silently clear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, Literal

from pydantic import Field

from chipscreen import collector
from chipscreen.errors import ChipscreenError, InputError
from chipscreen.model import Classification, Item
from chipscreen.rules.expr import PARAMS, Truth, fmt, kleene_and_not, truth_word
from chipscreen.rules.facts import Facts as Facts  # re-exported: review.py reads it from here
from chipscreen.rules.facts import facts_work
from chipscreen.rules.given import given_updates
from chipscreen.rules.rulebook import load_rulebook, rulebook_for
from chipscreen.rules.rulebook_model import KindRules, Paragraph, Rulebook

Status = Literal["controlled", "not_controlled", "undetermined"]
Resolver = Callable[[str], Item]


class ItemClassification(Classification):
    """A Classification (eccn, paragraph, tpp, pd, work) with the context a reviewer needs."""

    item: str
    rulebook: str
    date: dt.date | None = None
    status: Status = "not_controlled"
    candidates: list[str] = Field(default_factory=list)  # possible paragraphs when undetermined
    possibly_uncontrolled: bool = False
    citation: str = ""
    tpp_precision: str | None = None
    tpp_by_precision: dict[str, float] = Field(default_factory=dict)
    io_bandwidth_gbs: float | None = None
    dram_bandwidth_gbs: float | None = None
    mbd: float | None = None
    datacenter: bool | None = None
    missing: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    contained: ItemClassification | None = None
    contained_count: int | None = None
    given_eccn: str | None = None  # the ECCN the user gave the item (data/eccns.yaml)
    licence_scope: list[str] = Field(default_factory=list)  # a .z item: the 3A090/4A090 paragraphs it follows
    unverified: list[str] = Field(default_factory=list)  # data the classification rests on, primary text not read

    @property
    def controlled(self) -> bool:
        return self.status == "controlled"

    def paragraphs(self) -> list[str]:
        """The paragraph, or every candidate when undetermined (what requirement checks iterate over); for a
        .z item, the 3A090/4A090 paragraphs whose licence requirements it takes."""
        if self.licence_scope:
            return list(self.licence_scope)
        if self.paragraph:
            return [self.paragraph]
        return list(self.candidates)


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _field_defaults() -> dict[str, Callable[[], Any]]:
    out: dict[str, Callable[[], Any]] = {}
    for name, f in ItemClassification.model_fields.items():
        if f.default_factory is not None:
            out[name] = f.default_factory  # type: ignore[assignment]
        else:
            out[name] = _constant(f.default)
    return out


def _new(**values: Any) -> ItemClassification:
    """Build a result without re-validating what this module computed itself.

    ``model_construct`` costs ~10 µs (it re-walks every field); bulk replays classify millions of items.
    This sets exactly the attributes ``model_construct`` sets in pydantic v2."""
    for name, make in _DEFAULTS.items():
        if name not in values:
            values[name] = make()
    obj = ItemClassification.__new__(ItemClassification)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", _ALL_FIELDS)  # every field is set; shared, never shrinks
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


def _default_resolver() -> Resolver:
    from chipscreen.rules.catalog import catalog

    return catalog().item


def classify(
    item: Item | str,
    date: dt.date | None = None,
    rulebook: Rulebook | str | None = None,
    *,
    resolve: Resolver | None = None,
    explain: bool = True,
) -> ItemClassification:
    """Classify ``item`` (an Item, or a catalog id) under ``rulebook`` (default: the one in force on ``date``).

    ``resolve`` finds the IC a system contains (default: the shipped catalog). ``explain=False`` skips
    the arithmetic strings for bulk runs; the decision fields are identical."""
    rb = load_rulebook(rulebook) if rulebook is not None else rulebook_for(date)
    day = date or rb.effective or dt.date.today()
    if isinstance(item, str):
        item = (resolve or _default_resolver())(item)
    res = _by_figures(item, day, rb, resolve, explain)
    if item.eccn is None:
        return res
    return _new(**{**res.__dict__, **given_updates(item, res, day)})


def _by_figures(
    item: Item, day: dt.date, rb: Rulebook, resolve: Resolver | None, explain: bool
) -> ItemClassification:
    rules = rb.classification.get(item.kind)
    if item.kind == "system":
        return _classify_system(item, day, rb, rules, resolve, explain)
    bits = dict(rb.precision_bits)
    facts = Facts(item, bits)
    work: list[str] = facts_work(item, facts, bits) if explain else []
    notes = _item_notes(rb, item.id, day)
    base: dict[str, Any] = {
        "item": item.id,
        "rulebook": rb.id,
        "date": day,
        "tpp": facts.tpp,
        "pd": facts.pd,
        "tpp_precision": facts.tpp_precision,
        "tpp_by_precision": facts.tpp_by_precision,
        "io_bandwidth_gbs": facts.io,
        "dram_bandwidth_gbs": facts.dram,
        "mbd": facts.mbd,
        "datacenter": facts.datacenter,
        "notes": notes,
    }
    if rules is None or not rules.paragraphs:
        if explain:
            work.append(f"no {item.kind} paragraph in rulebook {rb.id}: outside the advanced-computing ECCNs")
        return _new(
            **base,
            status="not_controlled",
            citation=rb.citation,
            work=work,
            candidates=[],
            missing=[],
            possibly_uncontrolled=False,
            eccn=None,
            paragraph=None,
            contained=None,
            contained_count=None,
        )
    return _decide(rules, facts, base, work, explain)


def _outcome(
    base: dict[str, Any],
    status: Status,
    eccn: str | None,
    paragraph: str | None,
    citation: str,
    work: list[str],
    candidates: list[str] | None = None,
    missing: list[str] | None = None,
    possibly_uncontrolled: bool = False,
) -> ItemClassification:
    """A result from ``base`` (the item's figures) and the verdict; a system's base already holds what its
    contained IC decided (``missing``, ``contained``), which the verdict does not overwrite."""
    values = {
        **base,
        "status": status,
        "eccn": eccn,
        "paragraph": paragraph,
        "citation": citation,
        "work": work,
        "candidates": candidates if candidates is not None else [],
    }
    values.setdefault("missing", missing if missing is not None else [])
    values["possibly_uncontrolled"] = possibly_uncontrolled
    values.setdefault("contained", None)
    values.setdefault("contained_count", None)
    return _new(**values)


def _decide(rules: KindRules, facts: Facts, base: dict[str, Any], work: list[str], explain: bool) -> ItemClassification:
    """The first paragraph met wins, unless a paragraph before it is unknown (then: undetermined)."""
    excl = _exclusions(rules, facts, work, explain)
    first, unknown = _first_met(rules, facts, excl, work, explain)
    others = [p for p in unknown if first is None or p.paragraph != first.paragraph]
    if first is not None and not others:
        if explain:
            work.append(f"=> {first.paragraph} ({first.label})")
        return _outcome(base, "controlled", rules.eccn, first.paragraph, first.citation, work)
    if first is None and not unknown:
        if explain:
            work.append(f"=> not {rules.eccn}: no paragraph met")
        return _outcome(base, "not_controlled", None, None, rules.paragraphs[0].citation, work)
    return _undetermined(rules, facts, base, work, explain, first, others)


def _exclusions(rules: KindRules, facts: Facts, work: list[str], explain: bool) -> dict[str, Truth]:
    """Each exclusion note (Note 2) evaluated once: it may take an item out of several paragraphs."""
    excl: dict[str, Truth] = {}
    for e in rules.exclusions:
        excl[e.id] = r = e.cond.evaluate(facts)
        if explain:
            work.append(f"{e.id}: {e.cond.explain(facts)} -> {'excluded' if r else truth_word(r)}")
    return excl


def _first_met(
    rules: KindRules, facts: Facts, excl: dict[str, Truth], work: list[str], explain: bool
) -> tuple[Paragraph | None, list[Paragraph]]:
    """The first paragraph met after its exclusions, and the unknown ones before it (in rulebook order)."""
    unknown: list[Paragraph] = []
    for p in rules.paragraphs:
        r = raw = p.cond.evaluate(facts)
        by = ""
        for e in rules.exclusions:
            if p.paragraph in e.applies_to:
                r = kleene_and_not(r, excl[e.id])
                if r is not raw:
                    by = f" ({e.id})"
        if explain:
            work.append(f"{p.label} ({p.paragraph}): {p.cond.explain(facts)} -> {truth_word(r)}{by}")
        if r is True:
            return p, unknown
        if r is None:
            unknown.append(p)
    return None, unknown


def _undetermined(
    rules: KindRules,
    facts: Facts,
    base: dict[str, Any],
    work: list[str],
    explain: bool,
    first: Paragraph | None,
    others: list[Paragraph],
) -> ItemClassification:
    """A missing figure decides between ``others`` (and ``first``, or not controlled when none was met)."""
    missing = _missing(others, facts, rules)
    cands: list[str] = list(dict.fromkeys([p.paragraph for p in others] + ([first.paragraph] if first else [])))
    if explain:
        work.append(
            f"=> undetermined: {' or '.join(cands)}{'' if first else ' or not controlled'}; "
            f"missing {', '.join(missing)}"
        )
    notes = list(base["notes"])
    notes.append(f"undetermined: {', '.join(missing)} missing, and it decides {', '.join(p.label for p in others)}")
    return _outcome(
        {**base, "notes": notes},
        "undetermined",
        rules.eccn if first else None,
        None,
        (first or others[0]).citation,
        work,
        candidates=cands,
        missing=missing,
        possibly_uncontrolled=first is None,
    )


def classify_many(
    items: Iterable[Item | str],
    date: dt.date | None = None,
    rulebook: Rulebook | str | None = None,
    *,
    resolve: Resolver | None = None,
    explain: bool = True,
) -> list[ItemClassification]:
    """Classify many items under one rulebook (bulk replay, batch screening).

    The cyclic garbage collector is paused for the batch: results hold no reference cycles, so reference
    counting frees them as usual, and the collector's repeated scans of the growing result list would
    otherwise cost more than the classification itself (measured: ~70% of the time at 100,000 items)."""
    rb = load_rulebook(rulebook) if rulebook is not None else rulebook_for(date)
    with collector.paused():
        return [classify(it, date, rb, resolve=resolve, explain=explain) for it in items]


def _missing(paras: list[Paragraph], facts: Facts, rules: KindRules) -> list[str]:
    fields: list[str] = []
    leaves = [t for p in paras for t in p.cond.leaves()] + [t for e in rules.exclusions for t in e.cond.leaves()]
    for t in leaves:
        attr, field, _ = PARAMS[t.param]
        if getattr(facts, attr) is None:
            if t.param == "pd" and facts.tpp is None:
                field = "dense_tops"
            if field not in fields:
                fields.append(field)
    return fields


def _classify_system(
    item: Item, day: dt.date, rb: Rulebook, rules: KindRules | None, resolve: Resolver | None, explain: bool
) -> ItemClassification:
    """4A090: a computer, assembly or component is classified by the ICs it contains."""
    if item.contains is None:
        return _bare_system(item, day, rb)
    inner_item, count = _contained_ic(item, resolve)
    inner = classify(inner_item, day, rb, resolve=resolve, explain=explain)
    work: list[str] = []
    if explain:
        work.append(f"contains {count} x {inner_item.id}: {inner.paragraph or inner.status}")
        if inner.tpp is not None:
            work.append(f"aggregate TPP (information) = {count} x {fmt(inner.tpp)} = {fmt(inner.tpp * count)}")
    base: dict[str, Any] = {
        "item": item.id,
        "rulebook": rb.id,
        "date": day,
        "tpp": inner.tpp,
        "pd": inner.pd,
        "tpp_precision": inner.tpp_precision,
        "tpp_by_precision": inner.tpp_by_precision,
        "io_bandwidth_gbs": inner.io_bandwidth_gbs,
        "dram_bandwidth_gbs": inner.dram_bandwidth_gbs,
        "mbd": None,
        "datacenter": item.datacenter,
        "notes": _item_notes(rb, item.id, day) + inner.notes,
        "contained": inner,
        "contained_count": count,
        "missing": inner.missing,
    }
    if rules is None:
        if explain:
            work.append(f"no system paragraph in rulebook {rb.id}")
        return _outcome(base, "not_controlled", None, None, rb.citation, work)
    return _system_verdict(rules, inner, base, work, explain)


def _bare_system(item: Item, day: dt.date, rb: Rulebook) -> ItemClassification:
    """A server or PC that names no IC holds no 3A090 IC as far as anyone has said: not 4A090. Entity List
    parties still need a licence for it (all items subject to the EAR), which the decision engine adds."""
    work = [f"{item.id} names no contained IC: no 3A090 IC, so not 4A090 (name it in `contains` if it holds one)"]
    base: dict[str, Any] = {"item": item.id, "rulebook": rb.id, "date": day, "datacenter": item.datacenter}
    return _outcome({**base, "notes": _item_notes(rb, item.id, day)}, "not_controlled", None, None, rb.citation, work)


def _contained_ic(item: Item, resolve: Resolver | None) -> tuple[Item, int]:
    """The IC a system names and how many; a system inside a system is refused (name the IC)."""
    assert item.contains is not None  # _classify_system handles a system that names none
    inner_ref = item.contains.item
    if isinstance(inner_ref, Item):
        inner_item = inner_ref
    else:
        try:
            inner_item = (resolve or _default_resolver())(inner_ref)
        except ChipscreenError as exc:
            raise InputError(f"{item.id}: contains.item: {exc}") from None
    if inner_item.kind == "system":
        raise InputError(f"{item.id}: contains.item: {inner_item.id} is itself a system; name the IC")
    return inner_item, item.contains.count


def _system_verdict(
    rules: KindRules, inner: ItemClassification, base: dict[str, Any], work: list[str], explain: bool
) -> ItemClassification:
    """The system paragraph that the contained IC's paragraph (or candidates) maps to."""
    mapped = [rules.from_contained.get(c) for c in inner.paragraphs()]
    if inner.status == "controlled" and mapped[0]:
        if explain:
            work.append(f"=> {mapped[0]} (contains {inner.paragraph} ICs)")
        return _outcome(base, "controlled", rules.eccn, mapped[0], rules.citation, work)
    cands = [m for m in dict.fromkeys(mapped) if m]
    if inner.status == "undetermined" and cands:
        if explain:
            work.append(f"=> undetermined: {' or '.join(cands)} (the contained IC is undetermined)")
        eccn = rules.eccn if not inner.possibly_uncontrolled else None
        return _outcome(
            base,
            "undetermined",
            eccn,
            None,
            rules.citation,
            work,
            candidates=cands,
            possibly_uncontrolled=inner.possibly_uncontrolled,
        )
    if explain:
        feeding = "/".join(k for k, v in rules.from_contained.items() if v)
        work.append(f"=> not {rules.eccn}: the contained IC is not a {feeding} IC")
    return _outcome(base, "not_controlled", None, None, rules.citation, work)


def _item_notes(rb: Rulebook, item_id: str, day: dt.date) -> list[str]:
    return [
        f"{n.text} ({n.citation})" for n in rb.item_notices if item_id in n.items and n.dates.status(day) == "active"
    ]


ItemClassification.model_rebuild()
_DEFAULTS = _field_defaults()
_ALL_FIELDS = set(ItemClassification.model_fields)
