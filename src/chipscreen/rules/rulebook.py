"""Rulebooks: one YAML file per rule version under ``data/rulebooks/``, loaded, merged and validated.

Why this shape: every change to the advanced-computing rules since 2022 was written against the
previous text, so a rule version ``extends`` its predecessor and states only what changed (a key set
to ``null`` deletes the inherited entry; mappings merge, lists are replaced). The rulebook in force on
a date is the rule (not proposal) with the latest ``effective`` date on or before it; pieces that turn
on and off inside a version (compliance dates, non-enforcement, the Affiliates-rule suspension, letters)
carry their own dated windows and are evaluated against the transaction date.

Every threshold lives in the data with its inequality and citation; the code holds none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from chipscreen.errors import ChipscreenError, NotFoundError
from chipscreen.rules._data import as_date, data_dir, read_yaml, render_citation
from chipscreen.rules.countries import CountryGroups, Scope, country_groups
from chipscreen.rules.expr import OPS, PARAMS, Always, Cond, Threshold, compile_cond

REVIEW_POLICIES = ("presumption_of_denial", "case_by_case", "presumption_of_approval")
REQUIREMENT_CODES = ("destination", "headquarters")
ITEM_KINDS = ("ic", "hbm", "system")
CONTAINED = "contained"  # exception eligibility that follows the ICs a system contains


@dataclass(frozen=True)
class Window:
    """An inclusive date range; an open end is ``None``."""

    start: dt.date | None = None
    until: dt.date | None = None
    citation: str = ""

    def on(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.until is None or day <= self.until)

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.start, "until": self.until, "citation": self.citation or None}


@dataclass(frozen=True)
class Paragraph:
    label: str  # "a.1", "b.2", "3A090" (2022)
    paragraph: str  # "3A090.a"
    cond: Cond
    citation: str


@dataclass(frozen=True)
class Exclusion:
    id: str
    applies_to: frozenset[str]
    cond: Cond
    citation: str
    text: str


@dataclass(frozen=True)
class KindRules:
    """How one item kind (ic, hbm, system) is classified under a rulebook."""

    eccn: str
    paragraphs: tuple[Paragraph, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    from_contained: Mapping[str, str | None] = field(default_factory=dict)
    citation: str = ""


@dataclass(frozen=True)
class Dated:
    """Shared date logic: in the text from ``start``; binding from ``compliance_from``; not enforced in windows."""

    start: dt.date | None
    until: dt.date | None
    compliance_from: dt.date | None
    not_enforced: tuple[Window, ...]

    def status(self, day: dt.date) -> Literal["active", "not_yet", "expired", "before_compliance", "not_enforced"]:
        if self.start is not None and day < self.start:
            return "not_yet"
        if self.until is not None and day > self.until:
            return "expired"
        if self.compliance_from is not None and day < self.compliance_from:
            return "before_compliance"
        if any(w.on(day) for w in self.not_enforced):
            return "not_enforced"
        return "active"


@dataclass(frozen=True)
class Requirement:
    id: str
    code: str
    paragraphs: frozenset[str]
    destinations: Scope | None
    headquarters: Scope | None
    dates: Dated
    citation: str
    detail: str


@dataclass(frozen=True)
class ExceptionWhere:
    destinations: Scope | None
    headquarters: Scope | None
    not_headquarters: Scope | None
    notification: bool


@dataclass(frozen=True)
class LicenseException:
    name: str
    title: str
    eligible: Mapping[str, Cond | str]  # paragraph -> condition, or CONTAINED
    where: tuple[ExceptionWhere, ...]
    dates: Dated
    citation: str
    detail: str
    notes: str


@dataclass(frozen=True)
class ReviewPolicyRule:
    id: str
    priority: int
    policy: str
    paragraphs: frozenset[str] | None
    destinations: Scope | None
    headquarters: Scope | None
    export_from: Scope | None
    item: Cond | None
    dates: Dated
    citation: str
    detail: str
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class Letter:
    """An exporter-specific "is-informed" letter: binds only the named exporter's shipments."""

    id: str
    title: str
    exporter: str
    exporter_match: tuple[str, ...]
    items: frozenset[str]
    criteria: Cond | None
    destinations: Scope | None
    headquarters: Scope | None
    dates: Dated
    citation: str
    confidence: str
    notes: str

    def binds(self, exporter: str | None) -> bool:
        if not exporter:
            return False
        words = " " + " ".join("".join(ch if ch.isalnum() else " " for ch in exporter.casefold()).split()) + " "
        return any(f" {m} " in words for m in self.exporter_match)


@dataclass(frozen=True)
class ItemNotice:
    id: str
    items: frozenset[str]
    dates: Dated
    text: str
    citation: str


@dataclass(frozen=True)
class AffiliatesRuleData:
    threshold_ppm: int
    op: str
    lists: tuple[Mapping[str, Any], ...]
    in_force: tuple[Window, ...]
    suspended: tuple[Window, ...]
    citation: str
    text: str
    notes: str

    def in_force_on(self, day: dt.date) -> bool:
        return any(w.on(day) for w in self.in_force) and not any(w.on(day) for w in self.suspended)


@dataclass(frozen=True)
class RemoteAccess:
    controlled: bool
    transaction_kinds: frozenset[str]
    citation: str
    notes: str


@dataclass
class Rulebook:
    """One rule version, merged with everything it extends, compiled for evaluation."""

    id: str
    title: str
    status: Literal["rule", "proposal"]
    extends: str | None
    effective: dt.date | None
    published: dt.date | None
    compliance: dt.date | None
    citation: str
    summary: str
    chain: tuple[str, ...]
    path: Path
    precision_bits: Mapping[str, int]
    bits_citation: str
    thresholds: Mapping[str, Threshold]
    classification: Mapping[str, KindRules]
    requirements: tuple[Requirement, ...]
    license_exceptions: tuple[LicenseException, ...]
    review_policies: tuple[ReviewPolicyRule, ...]
    letters: tuple[Letter, ...]
    item_notices: tuple[ItemNotice, ...]
    affiliates: AffiliatesRuleData | None
    remote_access: RemoteAccess
    notices: tuple[Mapping[str, Any], ...]
    groups: CountryGroups
    raw: Mapping[str, Any] = field(repr=False)

    @property
    def is_proposal(self) -> bool:
        return self.status == "proposal"

    def meta(self) -> dict[str, Any]:
        """The metadata callers show next to a result: id, title, dates, citation."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "extends": self.extends,
            "effective": self.effective,
            "published": self.published,
            "compliance": self.compliance,
            "citation": self.citation,
            "chain": list(self.chain),
        }


# ----------------------------------------------------------------------------------------- merging
def merge(base: Any, child: Any) -> Any:
    """Child over base: mappings merge key by key, ``None`` deletes, anything else replaces."""
    if isinstance(base, Mapping) and isinstance(child, Mapping):
        out = dict(base)
        for k, v in child.items():
            if v is None:
                out.pop(k, None)
            elif k in out:
                out[k] = merge(out[k], v)
            else:
                out[k] = v
        return out
    return child


_TOP_KEYS = {
    "id",
    "title",
    "status",
    "extends",
    "effective",
    "published",
    "compliance",
    "citation",
    "summary",
    "precision_bits",
    "thresholds",
    "classification",
    "requirements",
    "license_exceptions",
    "review_policies",
    "letters",
    "item_notices",
    "affiliates_rule",
    "remote_access",
    "notices",
}


# ----------------------------------------------------------------------------------------- building
def _dated(spec: Mapping[str, Any], where: str) -> Dated:
    ne = tuple(
        Window(as_date(w.get("from"), where), as_date(w.get("until"), where), render_citation(w.get("citation")))
        for w in spec.get("not_enforced") or ()
    )
    return Dated(
        as_date(spec.get("from"), where),
        as_date(spec.get("until"), where),
        as_date(spec.get("compliance_from"), where),
        ne,
    )


def _scope(spec: Any, where: str, groups: CountryGroups) -> Scope | None:
    return None if spec is None else Scope.parse(spec, where, groups)


def _need(spec: Mapping[str, Any], key: str, where: str) -> Any:
    if spec.get(key) is None:
        raise ChipscreenError(f"{where}: missing {key!r}")
    return spec[key]


def _build_threshold(name: str, spec: Any, where: str) -> Threshold:
    if not isinstance(spec, Mapping):
        raise ChipscreenError(f"{where}: expected a mapping")
    param, op, value = _need(spec, "param", where), _need(spec, "op", where), spec.get("value")
    if param not in PARAMS:
        raise ChipscreenError(f"{where}.param: unknown parameter {param!r}; expected one of {', '.join(PARAMS)}")
    if op not in OPS:
        raise ChipscreenError(f"{where}.op: unknown inequality {op!r}; expected one of {', '.join(OPS)}")
    if param == "datacenter":
        if not isinstance(value, bool):
            raise ChipscreenError(f"{where}.value: datacenter thresholds compare with true/false")
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise ChipscreenError(f"{where}.value: expected a number, got {value!r}")
    if not spec.get("citation"):
        raise ChipscreenError(f"{where}.citation: every number needs its citation")
    return Threshold(
        name,
        param,
        op,
        value if isinstance(value, bool) else float(value),
        render_citation(spec["citation"]),
        str(spec.get("text", "")),
        str(spec.get("unit", "")),
    )


def _build_kind(kind: str, spec: Mapping[str, Any], th: Mapping[str, Threshold], where: str) -> KindRules:
    eccn = str(_need(spec, "eccn", where))
    paras = []
    for label, p in (spec.get("paragraphs") or {}).items():
        w = f"{where}.paragraphs.{label}"
        paras.append(
            Paragraph(
                str(label),
                str(_need(p, "paragraph", w)),
                compile_cond(_need(p, "when", w), th, f"{w}.when"),
                render_citation(p.get("citation")),
            )
        )
    excl = []
    for eid, e in (spec.get("exclusions") or {}).items():
        w = f"{where}.exclusions.{eid}"
        excl.append(
            Exclusion(
                str(eid),
                frozenset(_need(e, "applies_to", w)),
                compile_cond(_need(e, "when", w), th, f"{w}.when"),
                render_citation(e.get("citation")),
                str(e.get("text", "")),
            )
        )
    fc = {str(k): (None if v is None else str(v)) for k, v in (spec.get("from_contained") or {}).items()}
    if kind == "system" and not fc:
        raise ChipscreenError(f"{where}.from_contained: a system section maps contained IC paragraphs to its own")
    return KindRules(eccn, tuple(paras), tuple(excl), fc, render_citation(spec.get("citation")))


def _build(rid: str, spec: Mapping[str, Any], chain: tuple[str, ...], path: Path, groups: CountryGroups) -> Rulebook:
    where = f"{path.name}"
    unknown = set(spec) - _TOP_KEYS
    if unknown:
        raise ChipscreenError(f"{where}: unknown keys {sorted(unknown)}")
    status = spec.get("status", "rule")
    if status not in ("rule", "proposal"):
        raise ChipscreenError(f"{where}.status: 'rule' or 'proposal', got {status!r}")
    effective = as_date(spec.get("effective"), f"{where}.effective")
    if status == "rule" and effective is None:
        raise ChipscreenError(f"{where}.effective: a rule needs its effective date")
    bits_spec = spec.get("precision_bits") or {}
    bits = {str(k): int(v) for k, v in (bits_spec.get("values") or {}).items()}
    th = {
        name: _build_threshold(name, t, f"{where}.thresholds.{name}")
        for name, t in (spec.get("thresholds") or {}).items()
    }
    cls = {}
    for kind, k in (spec.get("classification") or {}).items():
        if kind not in ITEM_KINDS:
            raise ChipscreenError(f"{where}.classification.{kind}: item kinds are {', '.join(ITEM_KINDS)}")
        cls[kind] = _build_kind(kind, k, th, f"{where}.classification.{kind}")
    reqs = []
    for name, r in (spec.get("requirements") or {}).items():
        w = f"{where}.requirements.{name}"
        code = _need(r, "code", w)
        if code not in REQUIREMENT_CODES:
            raise ChipscreenError(f"{w}.code: expected one of {', '.join(REQUIREMENT_CODES)}")
        if code == "headquarters" and r.get("headquarters") is None:
            raise ChipscreenError(f"{w}.headquarters: the headquarters rule needs a headquarters scope")
        if code == "destination" and r.get("destinations") is None:
            raise ChipscreenError(f"{w}.destinations: a destination rule needs a scope")
        reqs.append(
            Requirement(
                str(name),
                code,
                frozenset(_need(r, "paragraphs", w)),
                _scope(r.get("destinations"), f"{w}.destinations", groups),
                _scope(r.get("headquarters"), f"{w}.headquarters", groups),
                _dated(r, w),
                render_citation(_need(r, "citation", w)),
                str(r.get("detail", "")),
            )
        )
    excs = []
    for name, e in (spec.get("license_exceptions") or {}).items():
        w = f"{where}.license_exceptions.{name}"
        elig: dict[str, Cond | str] = {}
        for para, c in (_need(e, "eligible", w)).items():
            elig[str(para)] = CONTAINED if c == CONTAINED else compile_cond(c, th, f"{w}.eligible.{para}")
        wheres = tuple(
            ExceptionWhere(
                _scope(x.get("destinations"), f"{w}.where[{i}].destinations", groups),
                _scope(x.get("headquarters"), f"{w}.where[{i}].headquarters", groups),
                _scope(x.get("not_headquarters"), f"{w}.where[{i}].not_headquarters", groups),
                bool(x.get("notification", False)),
            )
            for i, x in enumerate(_need(e, "where", w))
        )
        excs.append(
            LicenseException(
                str(name),
                str(e.get("title", name)),
                elig,
                wheres,
                _dated(e, w),
                render_citation(_need(e, "citation", w)),
                str(e.get("detail", "")),
                str(e.get("notes", "")),
            )
        )
    pols = []
    for name, p in (spec.get("review_policies") or {}).items():
        w = f"{where}.review_policies.{name}"
        policy = _need(p, "policy", w)
        if policy not in REVIEW_POLICIES:
            raise ChipscreenError(f"{w}.policy: expected one of {', '.join(REVIEW_POLICIES)}")
        pols.append(
            ReviewPolicyRule(
                str(name),
                int(p.get("priority", 100)),
                policy,
                frozenset(p["paragraphs"]) if p.get("paragraphs") else None,
                _scope(p.get("destinations"), f"{w}.destinations", groups),
                _scope(p.get("headquarters"), f"{w}.headquarters", groups),
                _scope(p.get("export_from"), f"{w}.export_from", groups),
                compile_cond(p["item"], th, f"{w}.item") if p.get("item") is not None else None,
                _dated(p, w),
                render_citation(_need(p, "citation", w)),
                " ".join(str(p.get("detail", "")).split()),
                tuple(str(c) for c in p.get("conditions") or ()),
            )
        )
    pols.sort(key=lambda x: (x.priority, x.id))
    letters = []
    for name, ltr in (spec.get("letters") or {}).items():
        w = f"{where}.letters.{name}"
        ex = _need(ltr, "exporter", w)
        letters.append(
            Letter(
                str(name),
                str(ltr.get("title", name)),
                str(_need(ex, "name", f"{w}.exporter")),
                tuple(str(m).casefold() for m in _need(ex, "match", f"{w}.exporter")),
                frozenset(ltr.get("items") or ()),
                compile_cond(ltr["criteria"], th, f"{w}.criteria") if ltr.get("criteria") is not None else None,
                _scope(ltr.get("destinations"), f"{w}.destinations", groups),
                _scope(ltr.get("headquarters"), f"{w}.headquarters", groups),
                _dated(ltr, w),
                render_citation(_need(ltr, "citation", w)),
                str(ltr.get("confidence", "H")),
                " ".join(str(ltr.get("notes", "")).split()),
            )
        )
    notices_items = tuple(
        ItemNotice(
            str(n),
            frozenset(x.get("items") or ()),
            _dated(x, f"{where}.item_notices.{n}"),
            str(x.get("text", "")),
            render_citation(x.get("citation")),
        )
        for n, x in (spec.get("item_notices") or {}).items()
    )
    aff = spec.get("affiliates_rule")
    affiliates = None
    if aff:
        w = f"{where}.affiliates_rule"
        op = _need(aff, "op", w)
        if op not in OPS:
            raise ChipscreenError(f"{w}.op: unknown inequality {op!r}")

        def windows(key: str) -> tuple[Window, ...]:
            return tuple(
                Window(
                    as_date(x.get("from"), f"{w}.{key}"),
                    as_date(x.get("until"), f"{w}.{key}"),
                    render_citation(x.get("citation")),
                )
                for x in aff.get(key) or ()
            )

        affiliates = AffiliatesRuleData(
            int(_need(aff, "threshold_ppm", w)),
            op,
            tuple(_need(aff, "lists", w)),
            windows("in_force"),
            windows("suspended"),
            render_citation(_need(aff, "citation", w)),
            str(aff.get("text", "")),
            str(aff.get("notes", "")),
        )
    ra = spec.get("remote_access") or {}
    remote = RemoteAccess(
        bool(ra.get("controlled", False)),
        frozenset(ra.get("transaction_kinds") or ()),
        render_citation(ra.get("citation")),
        str(ra.get("notes", "")),
    )
    notices = tuple(
        {
            "id": n,
            "date": as_date(x.get("date"), f"{where}.notices.{n}"),
            "text": x.get("text", ""),
            "citation": render_citation(x.get("citation")),
        }
        for n, x in (spec.get("notices") or {}).items()
    )
    return Rulebook(
        id=rid,
        title=str(spec.get("title", rid)),
        status=status,
        extends=chain[1] if len(chain) > 1 else None,
        effective=effective,
        published=as_date(spec.get("published"), where),
        compliance=as_date(spec.get("compliance"), where),
        citation=render_citation(spec.get("citation")),
        summary=" ".join(str(spec.get("summary", "")).split()),
        chain=chain,
        path=path,
        precision_bits=bits,
        bits_citation=render_citation(bits_spec.get("citation")),
        thresholds=th,
        classification=cls,
        requirements=tuple(reqs),
        license_exceptions=tuple(excs),
        review_policies=tuple(pols),
        letters=tuple(letters),
        item_notices=notices_items,
        affiliates=affiliates,
        remote_access=remote,
        notices=notices,
        groups=groups,
        raw=spec,
    )


# ----------------------------------------------------------------------------------------- registry
@dataclass
class Registry:
    """Every rulebook in a folder, merged and compiled once."""

    by_id: dict[str, Rulebook]

    def ordered(self) -> list[Rulebook]:
        rules = sorted((r for r in self.by_id.values() if not r.is_proposal), key=lambda r: (r.effective, r.id))
        return rules + sorted((r for r in self.by_id.values() if r.is_proposal), key=lambda r: r.id)


def load_registry(folder: Path, groups: CountryGroups) -> Registry:
    raws: dict[str, tuple[Path, Mapping[str, Any]]] = {}
    for path in sorted(folder.glob("*.yaml")):
        spec = read_yaml(path)
        if not isinstance(spec, Mapping) or not spec.get("id"):
            raise ChipscreenError(f"{path}: a rulebook is a mapping with an 'id'")
        rid = str(spec["id"])
        if rid in raws:
            raise ChipscreenError(f"{path}: duplicate rulebook id {rid!r} (also in {raws[rid][0].name})")
        raws[rid] = (path, spec)
    if not raws:
        raise ChipscreenError(f"{folder}: no rulebooks found")

    merged: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {}

    def resolve(rid: str, seen: tuple[str, ...]) -> tuple[dict[str, Any], tuple[str, ...]]:
        if rid in merged:
            return merged[rid]
        if rid in seen:
            raise ChipscreenError(f"rulebook {rid!r}: 'extends' cycle {' -> '.join((*seen, rid))}")
        if rid not in raws:
            raise ChipscreenError(f"{raws[seen[-1]][0].name}.extends: unknown rulebook {rid!r}")
        _path, spec = raws[rid]
        parent = spec.get("extends")
        if parent:
            base, chain = resolve(str(parent), (*seen, rid))
            out = merge(base, {k: v for k, v in spec.items() if k not in ("extends",)})
            # a rulebook's own metadata never inherits: only the rules do
            for k in ("published", "compliance", "effective", "summary", "title", "citation", "status"):
                if spec.get(k) is None:
                    out.pop(k, None)
                else:
                    out[k] = spec[k]
            result = (out, (rid, *chain))
        else:
            result = (dict(spec), (rid,))
        merged[rid] = result
        return result

    by_id = {}
    for rid, (path, _spec) in raws.items():
        spec_merged, chain = resolve(rid, ())
        by_id[rid] = _build(rid, spec_merged, chain, path, groups)
    return Registry(by_id)


@lru_cache(maxsize=8)
def _registry_at(folder: Path, groups_path: Path) -> Registry:
    return load_registry(folder, country_groups(groups_path))


def registry() -> Registry:
    """The shipped rulebooks (cached for the life of the process)."""
    root = data_dir()
    return _registry_at(root / "rulebooks", root / "country_groups.yaml")


def list_rulebooks() -> list[Rulebook]:
    """Rules in effective-date order, then proposals."""
    return registry().ordered()


def rulebook_for(date: dt.date | None = None, id: str | None = None) -> Rulebook:
    """The rulebook in force on ``date`` (default today), or the one named by ``id`` (id or unique prefix).

    Proposals are never "in force"; name them by id to evaluate a hypothetical rule."""
    reg = registry()
    if id is not None:
        return _by_ref(reg, id)
    day = date or dt.date.today()
    best: Rulebook | None = None
    for rb in reg.ordered():
        if rb.is_proposal or rb.effective is None or rb.effective > day:
            continue
        best = rb
    if best is None:
        first = reg.ordered()[0]
        raise NotFoundError(
            f"no rulebook in force on {day.isoformat()}: the earliest, {first.id}, starts {first.effective}"
        )
    return best


def _by_ref(reg: Registry, ref: str) -> Rulebook:
    if ref in reg.by_id:
        return reg.by_id[ref]
    hits = [rid for rid in reg.by_id if rid.startswith(ref)]
    if len(hits) == 1:
        return reg.by_id[hits[0]]
    if len(hits) > 1:
        raise NotFoundError(f"rulebook {ref!r} is ambiguous: {', '.join(sorted(hits))}")
    raise NotFoundError(f"no rulebook {ref!r}; known: {', '.join(r.id for r in reg.ordered())}")


def load_rulebook(ref: str | dt.date | Rulebook | None = None) -> Rulebook:
    """A rulebook by id (or unique id prefix), by date (the one in force), or passed through.

    An ISO date string that is not an id prefix means "in force on that date"."""
    if isinstance(ref, Rulebook):
        return ref
    if ref is None or isinstance(ref, dt.date):
        return rulebook_for(ref)
    reg = registry()
    try:
        return _by_ref(reg, ref)
    except NotFoundError as not_found:
        try:
            day = dt.date.fromisoformat(ref)
        except ValueError:
            raise not_found from None
        return rulebook_for(day)


def remote_access_controlled(rulebook: Rulebook | str | dt.date | None = None) -> bool:
    """True when the rulebook treats remote access to controlled compute (cloud service) as an export."""
    return load_rulebook(rulebook).remote_access.controlled


# ----------------------------------------------------------------------------------------- affiliates
@dataclass(frozen=True)
class AffiliatesRule:
    """What the ownership engine needs: is the 50% rule in force on the day, at which threshold, fed by which lists."""

    rulebook: str
    date: dt.date
    in_force: bool
    status: Literal["in_force", "suspended", "not_yet", "absent"]
    threshold_ppm: int | None
    op: str | None
    lists: tuple[str, ...]
    list_details: tuple[Mapping[str, Any], ...]
    citation: str
    windows: tuple[Window, ...]
    suspended: tuple[Window, ...]

    def captures(self, share_ppm: int) -> bool:
        """Whether an aggregate listed-owner share meets the threshold (exact integer comparison)."""
        if not self.in_force or self.threshold_ppm is None or self.op is None:
            return False
        return OPS[self.op](share_ppm, self.threshold_ppm)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rulebook": self.rulebook,
            "date": self.date,
            "in_force": self.in_force,
            "status": self.status,
            "threshold_ppm": self.threshold_ppm,
            "op": self.op,
            "lists": list(self.lists),
            "list_details": [dict(x) for x in self.list_details],
            "citation": self.citation,
            "windows": [w.as_dict() for w in self.windows],
            "suspended": [w.as_dict() for w in self.suspended],
        }


def affiliates_rule(when: dt.date | Rulebook | str | None = None, on: dt.date | None = None) -> AffiliatesRule:
    """The Affiliates (50%) rule on a date: ``affiliates_rule(date)`` or ``affiliates_rule(rulebook, on=date)``.

    With a rulebook and no ``on``, the rulebook's own effective date is used (so the suspension rulebook
    answers "suspended" and the 2025-09-29 rulebook "in force")."""
    if isinstance(when, dt.date):
        rb, day = rulebook_for(when), when
    else:
        rb = load_rulebook(when)
        day = on or rb.effective or dt.date.today()
    a = rb.affiliates
    if a is None:
        return AffiliatesRule(rb.id, day, False, "absent", None, None, (), (), "", (), ())
    if a.in_force_on(day):
        status: Literal["in_force", "suspended", "not_yet", "absent"] = "in_force"
    elif any(w.on(day) for w in a.suspended):
        status = "suspended"
    else:
        status = "not_yet"
    return AffiliatesRule(
        rb.id,
        day,
        status == "in_force",
        status,
        a.threshold_ppm,
        a.op,
        tuple(str(x["list"]) for x in a.lists),
        a.lists,
        a.citation,
        a.in_force,
        a.suspended,
    )


def always() -> Cond:
    """Exposed for callers building ad-hoc conditions in tests."""
    return Always()
