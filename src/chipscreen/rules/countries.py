"""Country groups as dated data (``data/country_groups.yaml``) and destination scopes built on them.

Why dated: membership changes (Nicaragua joined D:1 and D:5 on 2024-03-15, Cambodia left D:5 with the
State Department's 2025-11-07 rule), and a replay of a 2023 shipment must use the 2023 groups. Each row
carries its own citation, so ``rules show`` and the decision can say where a membership comes from.
Hong Kong is mapped onto China here, from the date the data gives, because it is a rule of the EAR rather
than a fact about an address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError, field_validator

from chipscreen.dates import DateRange
from chipscreen.errors import ChipscreenError, DataError, InputError
from chipscreen.paths import parsed_file
from chipscreen.rules.spans import Spanned
from chipscreen.rules.yaml_values import (
    CitationText,
    Confidence,
    ConfidenceTag,
    IsoDate,
    Spec,
    SpecError,
    validation_problem,
)


def is_code(text: str) -> bool:
    return len(text) == 2 and text.isalpha() and text.isupper()


def normalize_code(code: str, field: str = "destination") -> str:
    """Upper-case ISO 3166-1 alpha-2, or a clear error naming the field and the bad value."""
    c = (code or "").strip().upper()
    if not is_code(c):
        raise InputError(f"{field}: not an ISO 3166-1 alpha-2 country code: {code!r}")
    return c


# ----------------------------------------------------------------------------------------- the file as written
def _iso_code(value: Any) -> Any:
    if not isinstance(value, str) or not is_code(value):
        raise ValueError(f"not an ISO alpha-2 code: {value!r}")
    return value


IsoCode = Annotated[str, BeforeValidator(_iso_code)]


def _member_mapping(raw: Any) -> Any:
    """A bare code is a member for the whole life of the data."""
    if isinstance(raw, str):
        return {"code": _iso_code(raw)}
    if isinstance(raw, Mapping):
        return raw
    raise ValueError(
        f"a member is an ISO code or {{code, from?, until?, citation?, confidence?, verified?, note?}}: {raw!r}"
    )


class MemberSpec(Spec):
    code: IsoCode
    start: IsoDate = Field(None, alias="from")
    until: IsoDate = None
    confidence: ConfidenceTag = "H"
    note: str = ""
    citation: CitationText = ""
    verified: bool = True


class GroupSpec(Spec):
    title: str = ""
    citation: CitationText = ""
    members: list[Annotated[MemberSpec, BeforeValidator(_member_mapping)]]


class TreatedAsSpec(Spec):
    as_code: IsoCode = Field(alias="as")
    start: IsoDate = Field(None, alias="from")
    citation: CitationText = ""
    note: str = ""


class CountryGroupsSpec(Spec):
    version: IsoDate = None
    source: str = ""
    treated_as: dict[IsoCode, TreatedAsSpec] = Field(default_factory=dict)
    groups: dict[str, GroupSpec]

    @field_validator("treated_as", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value


class ScopeSpec(Spec):
    """A destination set as written: group names or ISO codes to include and to exclude."""

    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    worldwide: bool | None = None


# ----------------------------------------------------------------------------------------- dated membership
@dataclass(frozen=True)
class Member(Spanned):
    """One membership row: a country in a group over an inclusive date range."""

    code: str
    span: DateRange
    confidence: Confidence = "H"
    note: str = ""
    citation: str = ""  # the row's own citation; empty means the group's
    verified: bool = True  # False: the primary text of this row's dates was not found

    def as_row(self, group_citation: str) -> dict[str, Any]:
        """The row as ``rules show`` prints it, with the citation it stands on."""
        return {
            "code": self.code,
            "from": self.start,
            "until": self.until,
            "citation": self.citation or group_citation,
            "confidence": self.confidence,
            "verified": self.verified,
            "note": self.note,
        }


@dataclass(frozen=True)
class TreatedAs(Spanned):
    """A destination the EAR reads as another (Hong Kong as China) over its own date range."""

    code: str
    as_code: str
    span: DateRange
    citation: str
    note: str = ""


@dataclass
class CountryGroups:
    """All groups with dated members; ``members(group, day)`` is what every scope check asks."""

    groups: dict[str, list[Member]]
    titles: dict[str, str]
    citations: dict[str, str]
    mappings: dict[str, TreatedAs]
    source: str = ""
    _cache: dict[tuple[str, dt.date], frozenset[str]] = field(default_factory=dict, repr=False)

    def members(self, group: str, day: dt.date) -> frozenset[str]:
        key = (group, day)
        got = self._cache.get(key)
        if got is None:
            if group in self.groups:
                got = frozenset(m.code for m in self.groups[group] if m.span.contains(day))
            elif is_code(group):
                got = frozenset((group,))
            else:
                raise ChipscreenError(f"unknown country group {group!r}; known: {', '.join(self.groups)}")
            self._cache[key] = got
        return got

    def treated_as(self, code: str, on: dt.date) -> str:
        """The country ``code`` counts as for the rules on ``on`` (Hong Kong as China from the data's date).

        Upper-cased; a value that is not an ISO alpha-2 code comes back upper-cased and otherwise as given,
        so that a free-text headquarters field is screened as written rather than refused."""
        c = code.strip().upper()
        if not is_code(c):
            return code.upper()
        return self._mapped(c, on)

    def canonical(self, code: str, day: dt.date, field: str = "destination") -> str:
        """The destination as the EAR sees it on ``day`` (HK -> CN); a code that is not ISO-2 is an InputError."""
        return self._mapped(normalize_code(code, field), day)

    def _mapped(self, code: str, day: dt.date) -> str:
        rule = self.mappings.get(code)
        if rule is not None and rule.span.contains(day):
            return rule.as_code
        return code

    def groups_of(self, code: str, day: dt.date) -> list[str]:
        c = self.canonical(code, day)
        return [g for g in self.groups if c in self.members(g, day)]

    def caveats(self, code: str, day: dt.date) -> list[str]:
        """Low- or medium-confidence or unverified memberships that touch this destination (shown with results)."""
        c = self.canonical(code, day)
        out = []
        for g, members in self.groups.items():
            for m in members:
                if m.code != c or not m.note or (m.confidence == "H" and m.verified):
                    continue
                unverified = "" if m.verified else " (unverified: the primary text was not found)"
                out.append(f"{g}: {m.note}{unverified} [{m.confidence}]")
        return out

    def as_dict(self, day: dt.date | None = None) -> dict[str, Any]:
        """For ``rules show``: members on ``day`` (or every dated member) with titles and citations."""
        out: dict[str, Any] = {}
        for g, members in self.groups.items():
            entry: dict[str, Any] = {"title": self.titles.get(g, ""), "citation": self.citations.get(g, "")}
            if day is not None:
                entry["members"] = sorted(self.members(g, day))
            else:
                entry["members"] = [m.code for m in members if m.start is None and m.until is None]
            dated = [
                {**m.as_row(entry["citation"]), **({"member_on_date": m.span.contains(day)} if day else {})}
                for m in members
                if m.start or m.until or m.confidence != "H" or not m.verified or m.citation
            ]
            if dated:
                entry["dated_or_uncertain"] = dated
            out[g] = entry
        return out


# ----------------------------------------------------------------------------------------- scopes
@dataclass(frozen=True)
class Scope:
    """A destination set: ``include`` minus ``exclude``, each a group name or an ISO code."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    worldwide: bool = False

    def matches(self, code: str, day: dt.date, groups: CountryGroups) -> bool:
        """``code`` must already be canonical (see CountryGroups.canonical)."""
        if not self.worldwide and not any(code in groups.members(g, day) for g in self.include):
            return False
        return not any(code in groups.members(g, day) for g in self.exclude)

    def describe(self) -> str:
        base = "worldwide" if self.worldwide else " ∪ ".join(self.include) or "nothing"
        return f"({base}) − ({' ∪ '.join(self.exclude)})" if self.exclude else base

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"include": list(self.include), "exclude": list(self.exclude)}
        if self.worldwide:
            d["worldwide"] = True
        return d

    @staticmethod
    def from_spec(spec: ScopeSpec, where: str, groups: CountryGroups) -> Scope:
        """Resolve a validated scope against the groups; an unknown name raises ``SpecError`` at ``where``."""
        inc, exc = tuple(spec.include), tuple(spec.exclude)
        for name in inc + exc:
            if name not in groups.groups and not is_code(name):
                raise SpecError(where, f"unknown country group or code {name!r}")
        # a scope that only excludes means "everywhere except" (e.g. the HQ rule: outside the US)
        return Scope(inc, exc, not inc if spec.worldwide is None else spec.worldwide)

    @staticmethod
    def parse(spec: Any, where: str, groups: CountryGroups) -> Scope:
        """A scope from raw data (``where`` names the file and key in the message)."""
        try:
            checked = ScopeSpec.model_validate(spec)
            return Scope.from_spec(checked, where, groups)
        except ValidationError:
            raise ChipscreenError(
                f"{where}: a scope is {{include: [...], exclude: [...], worldwide: bool}}: {spec!r}"
            ) from None
        except SpecError as exc:
            raise ChipscreenError(str(exc)) from None


# ----------------------------------------------------------------------------------------- loading
def parse_country_groups(raw: Any, where: str) -> CountryGroups:
    """The groups file, checked; a problem is a ``DataError`` naming ``where`` (the file) and the key."""
    try:
        spec = CountryGroupsSpec.model_validate(raw)
    except ValidationError as exc:
        problem = validation_problem(exc)
        raise DataError(where, problem.key or None, problem.problem) from None
    groups = {
        name: [
            Member(m.code, DateRange(m.start, m.until), m.confidence, m.note, m.citation, m.verified)
            for m in g.members
        ]
        for name, g in spec.groups.items()
    }
    treated = {
        code: TreatedAs(code, t.as_code, DateRange(t.start, None), t.citation, t.note)
        for code, t in spec.treated_as.items()
    }
    titles = {name: g.title for name, g in spec.groups.items()}
    cites = {name: g.citation for name, g in spec.groups.items()}
    return CountryGroups(groups, titles, cites, treated, spec.source.strip())


_load = parsed_file(parse_country_groups, "country_groups.yaml")


def country_groups(path: Path | None = None) -> CountryGroups:
    """The shipped country groups (cached)."""
    return _load(path)


def clear_cache() -> None:
    """Forget the loaded groups (a benchmark measuring a reload, or a test that edits the file)."""
    _load.cache_clear()

