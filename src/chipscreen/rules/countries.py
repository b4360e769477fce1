"""Country groups as dated data (``data/country_groups.yaml``) and destination scopes built on them.

Why dated: membership changes (e.g. Cambodia's reported removal from D:5 on 2026-02-03), and a replay
of a 2024 shipment must use the 2024 groups. Hong Kong is mapped onto China here, from the date the
data gives, because it is a rule of the EAR rather than a fact about an address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from chipscreen.errors import ChipscreenError, InputError
from chipscreen.rules._data import as_date, data_dir, read_yaml, render_citation


@dataclass(frozen=True)
class Member:
    code: str
    start: dt.date | None = None
    until: dt.date | None = None
    confidence: str = "H"
    note: str = ""

    def on(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class TreatedAs:
    code: str
    as_code: str
    start: dt.date | None
    citation: str
    note: str = ""


@dataclass
class CountryGroups:
    """All groups with dated members; ``members(group, day)`` is what every scope check asks."""

    groups: dict[str, list[Member]]
    titles: dict[str, str]
    citations: dict[str, str]
    treated_as: dict[str, TreatedAs]
    source: str = ""
    _cache: dict[tuple[str, dt.date], frozenset[str]] = field(default_factory=dict, repr=False)

    def members(self, group: str, day: dt.date) -> frozenset[str]:
        key = (group, day)
        got = self._cache.get(key)
        if got is None:
            if group in self.groups:
                got = frozenset(m.code for m in self.groups[group] if m.on(day))
            elif is_code(group):
                got = frozenset((group,))
            else:
                raise ChipscreenError(f"unknown country group {group!r}; known: {', '.join(self.groups)}")
            self._cache[key] = got
        return got

    def canonical(self, code: str, day: dt.date, field: str = "destination") -> str:
        """The destination as the EAR sees it on ``day`` (HK -> CN); codes are upper-cased."""
        code = normalize_code(code, field)
        rule = self.treated_as.get(code)
        if rule is not None and (rule.start is None or day >= rule.start):
            return rule.as_code
        return code

    def groups_of(self, code: str, day: dt.date) -> list[str]:
        c = self.canonical(code, day)
        return [g for g in self.groups if c in self.members(g, day)]

    def caveats(self, code: str, day: dt.date) -> list[str]:
        """Low- or medium-confidence memberships that touch this destination (shown with results)."""
        c = self.canonical(code, day)
        out = []
        for g, members in self.groups.items():
            for m in members:
                if m.code == c and m.confidence != "H" and m.note:
                    out.append(f"{g}: {m.note} [{m.confidence}]")
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
                {"code": m.code, "from": m.start, "until": m.until, "confidence": m.confidence, "note": m.note}
                for m in members
                if m.start or m.until or m.confidence != "H"
            ]
            if dated:
                entry["dated_or_uncertain"] = dated
            out[g] = entry
        return out


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
    def parse(spec: Any, where: str, groups: CountryGroups) -> Scope:
        if not isinstance(spec, Mapping) or not set(spec) <= {"include", "exclude", "worldwide"}:
            raise ChipscreenError(f"{where}: a scope is {{include: [...], exclude: [...], worldwide: bool}}: {spec!r}")
        inc = tuple(str(x) for x in spec.get("include") or ())
        exc = tuple(str(x) for x in spec.get("exclude") or ())
        for name in inc + exc:
            if name not in groups.groups and not is_code(name):
                raise ChipscreenError(f"{where}: unknown country group or code {name!r}")
        # a scope that only excludes means "everywhere except" (e.g. the HQ rule: outside the US)
        return Scope(inc, exc, bool(spec.get("worldwide", not inc)))


def is_code(text: str) -> bool:
    return len(text) == 2 and text.isalpha() and text.isupper()


def normalize_code(code: str, field: str = "destination") -> str:
    """Upper-case ISO 3166-1 alpha-2, or a clear error naming the field and the bad value."""
    c = (code or "").strip().upper()
    if not is_code(c):
        raise InputError(f"{field}: not an ISO 3166-1 alpha-2 country code: {code!r}")
    return c


def _member(raw: Any, where: str) -> Member:
    if isinstance(raw, str):
        if not is_code(raw):
            raise ChipscreenError(f"{where}: not an ISO alpha-2 code: {raw!r}")
        return Member(raw)
    if isinstance(raw, Mapping) and is_code(str(raw.get("code", ""))):
        return Member(
            str(raw["code"]),
            as_date(raw.get("from"), where),
            as_date(raw.get("until"), where),
            str(raw.get("confidence", "H")),
            str(raw.get("note", "")),
        )
    raise ChipscreenError(f"{where}: a member is an ISO code or {{code, from?, until?, confidence?, note?}}: {raw!r}")


def parse_country_groups(raw: Any, where: str) -> CountryGroups:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("groups"), Mapping):
        raise ChipscreenError(f"{where}: expected a mapping with 'groups'")
    groups: dict[str, list[Member]] = {}
    titles: dict[str, str] = {}
    cites: dict[str, str] = {}
    for name, g in raw["groups"].items():
        w = f"{where}: groups.{name}"
        if not isinstance(g, Mapping) or not isinstance(g.get("members"), list):
            raise ChipscreenError(f"{w}: expected members: [...]")
        groups[str(name)] = [_member(m, f"{w}.members[{i}]") for i, m in enumerate(g["members"])]
        titles[str(name)] = str(g.get("title", ""))
        cites[str(name)] = render_citation(g.get("citation"))
    treated: dict[str, TreatedAs] = {}
    for code, t in (raw.get("treated_as") or {}).items():
        w = f"{where}: treated_as.{code}"
        if not is_code(str(code)) or not isinstance(t, Mapping) or not is_code(str(t.get("as", ""))):
            raise ChipscreenError(f"{w}: expected CODE: {{as: CODE, from: date}}")
        treated[str(code)] = TreatedAs(
            str(code),
            str(t["as"]),
            as_date(t.get("from"), w),
            render_citation(t.get("citation")),
            str(t.get("note", "")),
        )
    return CountryGroups(groups, titles, cites, treated, str(raw.get("source", "")).strip())


@lru_cache(maxsize=8)
def _load(path: Path) -> CountryGroups:
    return parse_country_groups(read_yaml(path), str(path))


def country_groups(path: Path | None = None) -> CountryGroups:
    """The shipped country groups (cached)."""
    return _load(path or data_dir() / "country_groups.yaml")


def groups_of(code: str, day: dt.date) -> list[str]:
    """Groups a destination belongs to on ``day`` (after HK -> CN)."""
    return country_groups().groups_of(code, day)


def in_groups(code: str, day: dt.date, names: Iterable[str]) -> bool:
    cg = country_groups()
    c = cg.canonical(code, day)
    return any(c in cg.members(n, day) for n in names)
