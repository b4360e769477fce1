"""From a merged rulebook mapping to a compiled ``Rulebook``: one small parser per section.

Each parser receives its section already checked by ``rulebook_schema`` and resolves what the schema
cannot see: the thresholds a condition names and the country groups a scope names. A problem anywhere
is reported once, as a ``RulebookError`` naming the file and the key path.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from chipscreen.dates import DateRange
from chipscreen.errors import DataError
from chipscreen.model import ItemKind
from chipscreen.rules.countries import CountryGroups, Scope, ScopeSpec
from chipscreen.rules.expr import Cond, Threshold, compile_cond
from chipscreen.rules.rulebook_model import (
    AffiliatesRuleData,
    Dated,
    ExceptionWhere,
    Exclusion,
    FeedingList,
    ItemNotice,
    KindRules,
    Letter,
    LicenseException,
    Paragraph,
    RemoteAccess,
    Requirement,
    ReviewPolicyRule,
    Rulebook,
    Window,
)
from chipscreen.rules.rulebook_schema import (
    CONTAINED,
    AffiliatesSpec,
    DatedSpec,
    ExceptionSpec,
    ItemNoticeSpec,
    KindSpec,
    LetterSpec,
    NoticeSpec,
    RemoteAccessSpec,
    RequirementSpec,
    ReviewPolicySpec,
    RulebookSpec,
    ThresholdSpec,
    WindowSpec,
)
from chipscreen.rules.yaml_values import SpecError, validation_problem


class RulebookError(DataError):
    """A rulebook file that cannot be read as specified, with the file and the key path of the problem."""


def parse_rulebook(
    rid: str, merged: Mapping[str, Any], chain: tuple[str, ...], path: Path, groups: CountryGroups
) -> Rulebook:
    """Check and compile one merged rulebook; every problem becomes a ``RulebookError`` naming ``path``."""
    try:
        spec = RulebookSpec.model_validate(merged)
        return _compile(rid, spec, merged, chain, path, groups)
    except ValidationError as exc:
        problem = validation_problem(exc)
        raise RulebookError(str(path), problem.key or None, problem.problem) from None
    except SpecError as exc:
        raise RulebookError(str(path), exc.key, exc.problem) from None


def _compile(
    rid: str, spec: RulebookSpec, raw: Mapping[str, Any], chain: tuple[str, ...], path: Path, groups: CountryGroups
) -> Rulebook:
    bits = spec.precision_bits
    th = thresholds(spec.thresholds or {})
    return Rulebook(
        id=rid,
        title=spec.title if spec.title is not None else rid,
        status=spec.status,
        extends=chain[1] if len(chain) > 1 else None,
        effective=spec.effective,
        published=spec.published,
        compliance=spec.compliance,
        citation=spec.citation,
        summary=spec.summary,
        chain=chain,
        path=path,
        precision_bits=dict(bits.values) if bits else {},
        bits_citation=bits.citation if bits else "",
        thresholds=th,
        classification=classification(spec.classification or {}, th),
        requirements=requirements(spec.requirements or {}, groups),
        license_exceptions=license_exceptions(spec.license_exceptions or {}, th, groups),
        review_policies=review_policies(spec.review_policies or {}, th, groups),
        letters=letters(spec.letters or {}, th, groups),
        item_notices=item_notices(spec.item_notices or {}),
        affiliates=affiliates(spec.affiliates_rule, raw.get("affiliates_rule")),
        remote_access=remote_access(spec.remote_access),
        notices=notices(spec.notices or {}),
        groups=groups,
        raw=raw,
    )


# ----------------------------------------------------------------------------------------- shared pieces
def windows(specs: list[WindowSpec]) -> tuple[Window, ...]:
    return tuple(Window(DateRange(w.start, w.until), w.citation) for w in specs)


def dated(spec: DatedSpec) -> Dated:
    return Dated(DateRange(spec.start, spec.until), spec.compliance_from, windows(spec.not_enforced))


def scope(spec: ScopeSpec | None, where: str, groups: CountryGroups) -> Scope | None:
    return None if spec is None else Scope.from_spec(spec, where, groups)


class _Placed(Protocol):
    @property
    def destinations(self) -> ScopeSpec | None: ...
    @property
    def headquarters(self) -> ScopeSpec | None: ...


def places(spec: _Placed, where: str, groups: CountryGroups) -> tuple[Scope | None, Scope | None]:
    """The destinations and the headquarters a rule is bounded by, in that order, as most rules are."""
    return (scope(spec.destinations, f"{where}.destinations", groups),
            scope(spec.headquarters, f"{where}.headquarters", groups))


def optional_cond(spec: Any, th: Mapping[str, Threshold], where: str) -> Cond | None:
    return None if spec is None else compile_cond(spec, th, where)


# ----------------------------------------------------------------------------------------- sections
def thresholds(specs: Mapping[str, ThresholdSpec]) -> dict[str, Threshold]:
    return {name: Threshold(name, t.param, t.op, t.value, t.citation, t.text, t.unit) for name, t in specs.items()}


def classification(specs: Mapping[ItemKind, KindSpec], th: Mapping[str, Threshold]) -> dict[ItemKind, KindRules]:
    return {kind: kind_rules(kind, k, th, f"classification.{kind}") for kind, k in specs.items()}


def kind_rules(kind: ItemKind, spec: KindSpec, th: Mapping[str, Threshold], where: str) -> KindRules:
    paras = tuple(
        Paragraph(label, p.paragraph, compile_cond(p.when, th, f"{where}.paragraphs.{label}.when"), p.citation)
        for label, p in spec.paragraphs.items()
    )
    excl = tuple(
        Exclusion(eid, frozenset(e.applies_to), compile_cond(e.when, th, f"{where}.exclusions.{eid}.when"),
                  e.citation, e.text)
        for eid, e in spec.exclusions.items()
    )
    if kind == "system" and not spec.from_contained:
        raise SpecError(f"{where}.from_contained", "a system section maps contained IC paragraphs to its own")
    from_contained: dict[str, str | None] = dict(spec.from_contained.items())
    return KindRules(spec.eccn, paras, excl, from_contained, spec.citation)


def requirements(specs: Mapping[str, RequirementSpec], groups: CountryGroups) -> tuple[Requirement, ...]:
    out = []
    for name, r in specs.items():
        w = f"requirements.{name}"
        out.append(
            Requirement(
                name,
                r.code,
                frozenset(r.paragraphs),
                *places(r, w, groups),
                dated(r),
                r.citation,
                r.detail,
            )
        )
    return tuple(out)


def license_exceptions(
    specs: Mapping[str, ExceptionSpec], th: Mapping[str, Threshold], groups: CountryGroups
) -> tuple[LicenseException, ...]:
    out = []
    for name, e in specs.items():
        w = f"license_exceptions.{name}"
        eligible: dict[str, Cond | str] = {
            para: CONTAINED if c == CONTAINED else compile_cond(c, th, f"{w}.eligible.{para}")
            for para, c in e.eligible.items()
        }
        wheres = tuple(
            ExceptionWhere(
                *places(x, f"{w}.where[{i}]", groups),
                scope(x.not_headquarters, f"{w}.where[{i}].not_headquarters", groups),
                x.notification,
                frozenset(x.transaction_kinds) if x.transaction_kinds is not None else None,
            )
            for i, x in enumerate(e.where)
        )
        title = e.title if e.title is not None else name
        out.append(
            LicenseException(
                name, title, eligible, wheres, dated(e), e.citation, e.detail, e.notes, e.procedure, tuple(e.conditions)
            )
        )
    return tuple(out)


def review_policies(
    specs: Mapping[str, ReviewPolicySpec], th: Mapping[str, Threshold], groups: CountryGroups
) -> tuple[ReviewPolicyRule, ...]:
    """Sorted by priority (lowest first; the first match wins), then id."""
    out = []
    for name, p in specs.items():
        w = f"review_policies.{name}"
        out.append(
            ReviewPolicyRule(
                name,
                p.priority,
                p.policy,
                frozenset(p.paragraphs) if p.paragraphs else None,
                *places(p, w, groups),
                scope(p.export_from, f"{w}.export_from", groups),
                optional_cond(p.item, th, f"{w}.item"),
                dated(p),
                p.citation,
                p.detail,
                tuple(p.conditions),
            )
        )
    return tuple(sorted(out, key=lambda x: (x.priority, x.id)))


def letters(specs: Mapping[str, LetterSpec], th: Mapping[str, Threshold], groups: CountryGroups) -> tuple[Letter, ...]:
    out = []
    for name, x in specs.items():
        w = f"letters.{name}"
        out.append(
            Letter(
                name,
                x.title if x.title is not None else name,
                x.exporter.name,
                tuple(m.casefold() for m in x.exporter.match),
                frozenset(x.items),
                optional_cond(x.criteria, th, f"{w}.criteria"),
                *places(x, w, groups),
                dated(x),
                x.citation,
                x.confidence,
                x.notes,
            )
        )
    return tuple(out)


def item_notices(specs: Mapping[str, ItemNoticeSpec]) -> tuple[ItemNotice, ...]:
    return tuple(ItemNotice(n, frozenset(x.items), dated(x), x.text, x.citation) for n, x in specs.items())


def affiliates(spec: AffiliatesSpec | None, raw: Any) -> AffiliatesRuleData | None:
    """``raw`` is the section as written: its list entries are shown as they stand in the file."""
    if spec is None:
        return None
    feeds = tuple(
        FeedingList(x.code, x.title, tuple(x.programs) if x.programs is not None else None, x.citation)
        for x in spec.lists
    )
    return AffiliatesRuleData(
        spec.threshold_ppm,
        spec.op,
        tuple(raw["lists"]),
        feeds,
        windows(spec.in_force),
        windows(spec.suspended),
        spec.citation,
        spec.text,
        spec.notes,
    )


def remote_access(spec: RemoteAccessSpec | None) -> RemoteAccess:
    s = spec or RemoteAccessSpec()
    return RemoteAccess(s.controlled, frozenset(s.transaction_kinds), s.citation, s.notes)


def notices(specs: Mapping[str, NoticeSpec]) -> tuple[Mapping[str, Any], ...]:
    return tuple({"id": n, "date": x.date, "text": x.text, "citation": x.citation} for n, x in specs.items())
