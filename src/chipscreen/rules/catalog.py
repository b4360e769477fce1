"""The shipped chip catalog (``data/chips.yaml``): Items in the public contract plus provenance.

Every figure must name its source (checked on load): a compliance answer is only as good as the
datasheet number it rests on, and the user must be able to see which one it was.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chipscreen.errors import DataError, InputError, NotFoundError, RowProblem
from chipscreen.model import Item
from chipscreen.paths import data_dir, read_yaml

_ITEM_FIELDS = set(Item.model_fields)
_META_FIELDS = {"released", "confidence", "notes", "sources"}
_FIGURES = (
    "dense_tops",
    "die_area_mm2",
    "io_bandwidth_gbs",
    "dram_bandwidth_gbs",
    "memory_bandwidth_density",
    "contains",
    "us_technology",
)


@dataclass(frozen=True)
class CatalogEntry:
    item: Item
    sources: Mapping[str, str]  # figure -> source text
    released: str | None = None
    us_origin: bool = True
    notes: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = self.item.model_dump(mode="json", exclude_none=True)
        d.update(
            {
                "released": self.released,
                "us_origin": self.us_origin,
                "notes": self.notes or None,
                "sources": dict(self.sources),
            }
        )
        return d


def parse_item(data: Any, where: str = "item") -> Item:
    """An Item from user data; every problem is reported with the field it concerns."""
    if not isinstance(data, Mapping):
        raise InputError(f"{where}: an Item is a JSON object, got {type(data).__name__}")
    try:
        return Item.model_validate(dict(data))
    except ValidationError as exc:
        problems = [
            RowProblem(
                where, None, ".".join(str(p) for p in err["loc"]) or None, err["msg"].removeprefix("Value error, ")
            )
            for err in exc.errors()
        ]
        raise InputError(f"{where}: invalid item", problems) from None


@dataclass
class Catalog:
    entries: dict[str, CatalogEntry]

    def __iter__(self) -> Iterator[CatalogEntry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self.entries

    def entry(self, item_id: str) -> CatalogEntry:
        try:
            return self.entries[item_id]
        except KeyError:
            close = [k for k in self.entries if item_id.lower() in k]
            hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
            raise NotFoundError(f"no catalog item {item_id!r}{hint}") from None

    def item(self, item_id: str) -> Item:
        return self.entry(item_id).item


def parse_catalog(raw: Any, where: str) -> Catalog:
    """The catalog file, checked; a problem is a ``DataError`` naming ``where`` (the file) and the chip's row."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("chips"), list):
        raise DataError(where, "chips", "expected a mapping with 'chips: [...]'")
    named_sources = {str(k): str(v) for k, v in (raw.get("sources") or {}).items()}
    entries: dict[str, CatalogEntry] = {}
    for i, chip in enumerate(raw["chips"]):
        row = f"chips[{i}]" + (f" ({chip.get('id')})" if isinstance(chip, Mapping) else "")
        if not isinstance(chip, Mapping):
            raise DataError(where, row, "expected a mapping")
        entry = _entry(chip, named_sources, where, row)
        if entry.item.id in entries:
            raise DataError(where, row, f"duplicate id {entry.item.id!r}")
        entries[entry.item.id] = entry
    for e in entries.values():
        inner = e.item.contains.item if e.item.contains is not None else None
        if isinstance(inner, str) and inner not in entries:
            raise DataError(where, f"{e.item.id}.contains.item", f"unknown catalog item {inner!r}")
    return Catalog(entries)


def _entry(chip: Mapping[str, Any], named_sources: Mapping[str, str], where: str, row: str) -> CatalogEntry:
    """One chip: its Item, and a source for every figure it states."""
    extra = set(chip) - _ITEM_FIELDS - _META_FIELDS
    if extra:
        raise DataError(where, row, f"unknown fields {sorted(extra)}")
    try:
        item = parse_item({k: v for k, v in chip.items() if k in _ITEM_FIELDS}, f"{where}: {row}")
    except InputError as exc:
        problems = "; ".join(f"{p.field}: {p.problem}" if p.field else p.problem for p in exc.problems)
        raise DataError(where, row, problems or str(exc)) from None
    sources = {str(k): named_sources.get(str(v), str(v)) for k, v in (chip.get("sources") or {}).items()}
    for fig in _FIGURES:
        if getattr(item, fig) not in (None, {}) and fig not in sources:
            raise DataError(where, row, f"{fig} has no source (every figure names its source)")
    return CatalogEntry(
        item,
        sources,
        None if chip.get("released") is None else str(chip["released"]),
        item.us_origin is not False,
        " ".join(str(chip.get("notes", "")).split()),
    )


@lru_cache(maxsize=8)
def _load(path: Path) -> Catalog:
    return parse_catalog(read_yaml(path), str(path))


def catalog(path: Path | None = None) -> Catalog:
    """The shipped catalog (cached)."""
    return _load(path or data_dir() / "chips.yaml")
