"""Rulebooks: one YAML file per rule version under ``data/rulebooks/``, merged along ``extends`` and looked up.

Why this shape: every change to the advanced-computing rules since 2022 was written against the
previous text, so a rule version ``extends`` its predecessor and states only what changed (a key set
to ``null`` deletes the inherited entry; mappings merge, lists are replaced). The rulebook in force on
a date is the rule (not proposal) with the latest ``effective`` date on or before it; pieces that turn
on and off inside a version (compliance dates, non-enforcement, the Affiliates-rule suspension, letters)
carry their own dated windows and are evaluated against the transaction date.

Every threshold lives in the data with its inequality and citation; the code holds none. The sections
are typed in ``rulebook_schema``, compiled in ``rulebook_parse``, and the compiled pieces live in
``rulebook_model``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from chipscreen.errors import DataError, NotFoundError
from chipscreen.paths import data_dir, read_yaml
from chipscreen.rules.countries import CountryGroups, country_groups
from chipscreen.rules.countries import clear_cache as clear_country_groups
from chipscreen.rules.rulebook_model import Rulebook
from chipscreen.rules.rulebook_parse import RulebookError, parse_rulebook

__all__ = [
    "Registry",
    "clear_cache",
    "list_rulebooks",
    "load_registry",
    "load_rulebook",
    "merge",
    "registry",
    "remote_access_controlled",
    "rulebook_for",
]

_OWN_METADATA = ("published", "compliance", "effective", "summary", "title", "citation", "status")
"""Keys that describe a version itself: a version that extends another never inherits them."""


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


# ----------------------------------------------------------------------------------------- registry
@dataclass
class Registry:
    """Every rulebook in a folder, merged and compiled once."""

    by_id: dict[str, Rulebook]

    def ordered(self) -> list[Rulebook]:
        rules = sorted((r for r in self.by_id.values() if not r.is_proposal), key=lambda r: (r.effective, r.id))
        return rules + sorted((r for r in self.by_id.values() if r.is_proposal), key=lambda r: r.id)


def _read_folder(folder: Path) -> dict[str, tuple[Path, Mapping[str, Any]]]:
    """Each file's own mapping by rulebook id."""
    raws: dict[str, tuple[Path, Mapping[str, Any]]] = {}
    for path in sorted(folder.glob("*.yaml")):
        spec = read_yaml(path)
        if not isinstance(spec, Mapping) or not spec.get("id"):
            raise RulebookError(str(path), "id", "a rulebook is a mapping with an 'id'")
        rid = str(spec["id"])
        if rid in raws:
            raise RulebookError(str(path), "id", f"duplicate rulebook id {rid!r} (also in {raws[rid][0].name})")
        raws[rid] = (path, spec)
    if not raws:
        raise DataError(str(folder), None, "no rulebooks found")
    return raws


class _Merger:
    """Merges each version over the chain it extends, once per version."""

    def __init__(self, raws: Mapping[str, tuple[Path, Mapping[str, Any]]]) -> None:
        self.raws = raws
        self.done: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {}

    def resolve(self, rid: str, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], tuple[str, ...]]:
        """The merged mapping of ``rid`` and its chain (``rid`` first, the root last)."""
        if rid in self.done:
            return self.done[rid]
        child_path = str(self.raws[seen[-1]][0]) if seen else ""
        if rid in seen:
            raise RulebookError(child_path, "extends", f"'extends' cycle {' -> '.join((*seen, rid))}")
        if rid not in self.raws:
            raise RulebookError(child_path, "extends", f"unknown rulebook {rid!r}")
        spec = self.raws[rid][1]
        parent = spec.get("extends")
        if parent:
            base, chain = self.resolve(str(parent), (*seen, rid))
            out = merge(base, {k: v for k, v in spec.items() if k != "extends"})
            for k in _OWN_METADATA:
                if spec.get(k) is None:
                    out.pop(k, None)
                else:
                    out[k] = spec[k]
            result = (out, (rid, *chain))
        else:
            result = (dict(spec), (rid,))
        self.done[rid] = result
        return result


def load_registry(folder: Path, groups: CountryGroups) -> Registry:
    """Read, merge and compile every rulebook in ``folder``; a bad file raises ``RulebookError``."""
    raws = _read_folder(folder)
    merger = _Merger(raws)
    by_id = {}
    for rid, (path, _spec) in raws.items():
        merged, chain = merger.resolve(rid)
        by_id[rid] = parse_rulebook(rid, merged, chain, path, groups)
    return Registry(by_id)


@lru_cache(maxsize=8)
def _registry_at(folder: Path, groups_path: Path) -> Registry:
    return load_registry(folder, country_groups(groups_path))


def registry() -> Registry:
    """The shipped rulebooks (cached for the life of the process)."""
    root = data_dir()
    return _registry_at(root / "rulebooks", root / "country_groups.yaml")


def clear_cache() -> None:
    """Forget the loaded rulebooks and country groups (a benchmark measuring a reload, a test editing data)."""
    _registry_at.cache_clear()
    clear_country_groups()


# ----------------------------------------------------------------------------------------- queries
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

