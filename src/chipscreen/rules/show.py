"""A rulebook on a date as plain data: what ``chipscreen rules show`` prints (and its --json)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from chipscreen.rules.affiliates import affiliates_rule
from chipscreen.rules.countries import Scope
from chipscreen.rules.expr import Threshold
from chipscreen.rules.rulebook_model import (
    Dated,
    KindRules,
    Letter,
    LicenseException,
    Requirement,
    ReviewPolicyRule,
    Rulebook,
)


def _scope(s: Scope | None) -> str | None:
    return s.describe() if s is not None else None


class _Placed(Protocol):
    @property
    def destinations(self) -> Scope | None: ...
    @property
    def headquarters(self) -> Scope | None: ...


def _places(x: _Placed) -> dict[str, str | None]:
    return {"destinations": _scope(x.destinations), "headquarters": _scope(x.headquarters)}


def _dates(d: Dated, day: dt.date) -> dict[str, Any]:
    out: dict[str, Any] = {"status_on_date": d.status(day)}
    if d.start:
        out["from"] = d.start
    if d.until:
        out["until"] = d.until
    if d.compliance_from:
        out["compliance_from"] = d.compliance_from
    if d.not_enforced:
        out["not_enforced"] = [w.as_dict() for w in d.not_enforced]
    return out


def rulebook_view(rb: Rulebook, day: dt.date) -> dict[str, Any]:
    """Everything in force (and everything dated inside it) for ``rules show``."""
    return {
        **rb.meta(),
        "date": day,
        "summary": rb.summary,
        "precision_bits": dict(rb.precision_bits),
        "precision_bits_citation": rb.bits_citation,
        "thresholds": [_threshold(t) for t in rb.thresholds.values()],
        "classification": {kind: _kind(k) for kind, k in rb.classification.items()},
        "requirements": [_requirement(r, day) for r in rb.requirements],
        "license_exceptions": [_exception(e, day) for e in rb.license_exceptions],
        "review_policies": [_review_policy(p, day) for p in rb.review_policies],
        "letters": [_letter(x, day) for x in rb.letters],
        "affiliates_rule": affiliates_rule(rb, on=day).as_dict(),
        "remote_access": {
            "controlled": rb.remote_access.controlled,
            "transaction_kinds": sorted(rb.remote_access.transaction_kinds),
            "citation": rb.remote_access.citation,
        },
        "country_groups": rb.groups.as_dict(day),
        "hong_kong": {
            c: {"as": t.as_code, "from": t.start, "citation": t.citation} for c, t in rb.groups.mappings.items()
        },
        "notices": [dict(n) for n in rb.notices],
    }


def _threshold(t: Threshold) -> dict[str, Any]:
    return {
        "name": t.name,
        "param": t.param,
        "op": t.op,
        "value": t.value,
        "unit": t.unit or None,
        "rule": t.describe(),
        "text": t.text,
        "citation": t.citation,
    }


def _kind(k: KindRules) -> dict[str, Any]:
    return {
        "eccn": k.eccn,
        "paragraphs": [{"label": p.label, "paragraph": p.paragraph, "citation": p.citation} for p in k.paragraphs],
        "exclusions": [
            {"id": e.id, "applies_to": sorted(e.applies_to), "text": e.text, "citation": e.citation}
            for e in k.exclusions
        ],
        "from_contained": dict(k.from_contained) or None,
    }


def _requirement(r: Requirement, day: dt.date) -> dict[str, Any]:
    return {
        "id": r.id,
        "code": r.code,
        "paragraphs": sorted(r.paragraphs),
        **_places(r),
        "detail": r.detail,
        "citation": r.citation,
        **_dates(r.dates, day),
    }


def _exception(e: LicenseException, day: dt.date) -> dict[str, Any]:
    return {
        "name": e.name,
        "title": e.title,
        "eligible": sorted(e.eligible),
        "detail": e.detail,
        "where": [
            {
                **_places(w),
                "not_headquarters": _scope(w.not_headquarters),
                "notification": w.notification,
            }
            for w in e.where
        ],
        "citation": e.citation,
        **_dates(e.dates, day),
    }


def _review_policy(p: ReviewPolicyRule, day: dt.date) -> dict[str, Any]:
    return {
        "id": p.id,
        "policy": p.policy,
        "priority": p.priority,
        **_places(p),
        "export_from": _scope(p.export_from),
        "paragraphs": sorted(p.paragraphs) if p.paragraphs else None,
        "detail": p.detail,
        "conditions": list(p.conditions),
        "citation": p.citation,
        **_dates(p.dates, day),
    }


def _letter(x: Letter, day: dt.date) -> dict[str, Any]:
    return {
        "id": x.id,
        "title": x.title,
        "exporter": x.exporter,
        "items": sorted(x.items),
        **_places(x),
        "confidence": x.confidence,
        "notes": x.notes,
        "citation": x.citation,
        **_dates(x.dates, day),
    }
