"""When an Entity List listing took effect, from the Federal Register rules its citations point at.

The eCFR text of the Entity List cites each entry's rule as ``84 FR 22963, 5/21/19``: the page of the entry
and the day the rule was *published*. A listing binds from the rule's *effective* date, often days earlier
(Huawei: effective 2019-05-16, published 2019-05-21), so a start date taken from the citation alone lets a
transaction in between through. ``data/lists/federal_register_rules.yaml`` holds, per rule, its pages,
publication and effective dates and the source of the effective date; a citation no row covers keeps its
publication date, and ``listing_basis`` says which of the two a start date is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from chipscreen.errors import DataError
from chipscreen.model import FRCitation
from chipscreen.paths import data_dir, read_yaml
from chipscreen.sources.federal_register import parse_citations

_FR = re.compile(r"^(?P<vol>\d{1,3}) FR (?P<page>\d{1,6})$")


class _RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fr: str
    pages: tuple[int | None, int | None]
    published: dt.date
    effective: dt.date
    verified: bool
    title: str
    source: str
    fr_doc: str | None = None
    cited: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class FRRule:
    """One Federal Register rule: where it sits in the volume and when it was published and took effect."""

    fr: str
    volume: int
    first_page: int | None
    last_page: int | None
    published: dt.date
    effective: dt.date
    verified: bool
    title: str
    source: str

    def covers(self, page: int | None) -> bool:
        if page is None or self.first_page is None:
            return self.first_page is None
        return self.first_page <= page and (self.last_page is None or page <= self.last_page)


@dataclass(frozen=True)
class FRRules:
    """The table, indexed by (volume, publication date): the key every list citation carries."""

    by_issue: dict[tuple[int, dt.date], tuple[FRRule, ...]]
    source: str

    def rule_for(self, cite: FRCitation) -> FRRule | None:
        """The rule a citation points at; of two rules whose open page ranges both reach the page, the later
        start wins (the citation is on a page of the rule that starts nearest before it)."""
        if cite.volume is None or cite.date is None:
            return None
        found = [r for r in self.by_issue.get((cite.volume, cite.date), ()) if r.covers(cite.page)]
        return max(found, key=lambda r: r.first_page or 0) if found else None


def _rule(i: int, raw: Any, where: str) -> tuple[FRRule, tuple[dt.date, ...]]:
    """One row, and the other dates the list cites it under (some entries cite a rule by its effective day,
    e.g. ``86 FR 4864, 1/14/21`` for a rule published on 15 January)."""
    key = f"rules[{i}]"
    try:
        spec = _RuleSpec.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise DataError(where, f"{key}.{field}" if field else key, err["msg"]) from None
    m = _FR.match(spec.fr)
    if m is None:
        raise DataError(where, f"{key}.fr", f"expected '<volume> FR <page>', got {spec.fr!r}")
    if spec.effective > spec.published + dt.timedelta(days=60):
        raise DataError(where, f"{key}.effective", "more than 60 days after publication: check the date")
    first, last = spec.pages
    rule = FRRule(
        spec.fr, int(m["vol"]), first, last, spec.published, spec.effective, spec.verified, spec.title, spec.source
    )
    return rule, spec.cited


def parse_fr_rules(raw: Any, where: str) -> FRRules:
    """The table as written; anything malformed is a ``DataError`` naming the file and the row."""
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list):
        raise DataError(where, "rules", "expected a list of rules")
    index: dict[tuple[int, dt.date], list[FRRule]] = {}
    for i, row in enumerate(raw["rules"]):
        rule, cited = _rule(i, row, where)
        for day in dict.fromkeys((rule.published, *cited)):
            index.setdefault((rule.volume, day), []).append(rule)
    return FRRules({k: tuple(v) for k, v in index.items()}, where)


@lru_cache(maxsize=4)
def _load(path: Path) -> FRRules:
    return parse_fr_rules(read_yaml(path), str(path))


def fr_rules(path: Path | None = None) -> FRRules:
    """The shipped table (cached)."""
    return _load(path or data_dir() / "lists" / "federal_register_rules.yaml")


def _start_of(cite: FRCitation, table: FRRules) -> tuple[dt.date, FRRule | None] | None:
    if cite.date is None:
        return None
    rule = table.rule_for(cite)
    return (rule.effective, rule) if rule is not None else (cite.date, None)


def listing_start(citations: Iterable[FRCitation], table: FRRules | None = None) -> dt.date | None:
    """The day the listing took effect: the earliest effective date among the rules it cites, a citation
    the table does not cover counting from its publication date."""
    table = table or fr_rules()
    starts = [s for c in citations if (s := _start_of(c, table)) is not None]
    return min(s[0] for s in starts) if starts else None


def listing_basis(citations: Iterable[FRCitation], table: FRRules | None = None) -> dict[str, Any]:
    """Where a listing's start date comes from, for the decision's evidence: the rule's effective date (and
    whether its source is the rule's own text) or, for a rule not in the table, the publication date."""
    table = table or fr_rules()
    starts = [(s, c) for c in citations if (s := _start_of(c, table)) is not None]
    if not starts:
        return {"listed_since_basis": "no dated Federal Register citation"}
    (_day, rule), cite = min(starts, key=lambda sc: sc[0][0])
    if rule is None:
        return {
            "listed_since_basis": f"publication date of {cite.text}: its effective date is not in "
            "data/lists/federal_register_rules.yaml (the listing may have taken effect earlier)",
            "listed_since_verified": False,
        }
    shown = "" if rule.verified else " (unverified: secondary source)"
    return {
        "listed_since_basis": f"effective date of {rule.fr} ({rule.title}), published {rule.published}{shown}",
        "listed_since_source": rule.source,
        "listed_since_verified": rule.verified,
    }


def basis_of_cited(texts: Iterable[str], table: FRRules | None = None) -> dict[str, Any]:
    """``listing_basis`` for citations as the store keeps them (their texts, e.g. ``84 FR 22963, 5/21/19``)."""
    return listing_basis([c for t in texts for c in parse_citations(t)], table)
