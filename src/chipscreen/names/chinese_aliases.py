"""Chinese names and their Pinyin as extra aliases of listed entries, added when the names index is built.

Two sources:
- the registered Chinese names of ``registered_names`` (the table ``data/names/chinese_registered_names.yml``):
  each row's name, and its Pinyin words (``pinyin_words``), become aliases of every entry of the snapshot whose
  list and primary name are the row's, and so does the name without the parent it begins with (the table's
  ``parents``: 国防科技大学 for 中国人民解放军国防科技大学);
- every name in Chinese characters the lists themselves carry (an OFAC or NS-CMIC alias such as
  深圳市大疆创新科技有限公司): its Pinyin words become one more alias of the same entry.

Each added alias carries a note, in the column ``NOTE_COLUMN``, that the screener puts in the explanation of a
match on it ("registered Chinese name ... from chinese_registered_names.yml row 3, source ...", "Pinyin reading
of ..."), so that an analyst sees where a name the list never printed came from. The store is not changed: the
aliases exist in the index only, and the index cache key covers the table (every file of ``data/names``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from chipscreen.names.pinyin_words import pinyin_name
from chipscreen.names.registered_names import RegisteredName, parent_prefixes, registered_names, without_parent
from chipscreen.names.scripts import HAN_RUN

__all__ = ["NOTE_COLUMN", "PINYIN_KIND", "REGISTERED_KIND", "with_chinese_aliases"]

NOTE_COLUMN = "alias_note"
REGISTERED_KIND = "registered_chinese"
PINYIN_KIND = "pinyin"
_NEEDED = ("entity_id", "list_code", "name")


@dataclass(frozen=True)
class _Extra:
    template: int  # the row of the names table whose entry (and listing columns) the alias shares
    name: str
    kind: str
    script: str
    note: str


def with_chinese_aliases(names: pa.Table, rows: Sequence[RegisteredName] | None = None) -> pa.Table:
    """``names`` (``Store.names_table`` output) with the Chinese aliases appended and a ``NOTE_COLUMN`` that
    is null on the list's own names. ``rows`` defaults to the shipped table. A table without the entry
    columns (a bare list of names) is returned as it is."""
    if any(c not in names.column_names for c in _NEEDED):
        return names
    wanted = [c for c in (*_NEEDED, "primary_name") if c in names.column_names]
    cols = {c: names.column(c).to_pylist() for c in wanted}
    extras = _extras(cols, names.num_rows, registered_names() if rows is None else rows)
    notes = pa.array([None] * names.num_rows, pa.string())
    if not extras:
        return names.append_column(NOTE_COLUMN, notes)
    # each added alias is a copy of its entry's row (listing dates, country, ...) with its own name
    added = names.take(pa.array([x.template for x in extras], pa.int64()))
    for column, values in (("name", [x.name for x in extras]), ("kind", [x.kind for x in extras]),
                           ("script", [x.script for x in extras])):
        if column in added.column_names:
            i = added.column_names.index(column)
            added = added.set_column(i, added.schema.field(i), pa.array(values, added.schema.field(i).type))
    return pa.concat_tables([names.append_column(NOTE_COLUMN, notes),
                             added.append_column(NOTE_COLUMN, pa.array([x.note for x in extras], pa.string()))])


def _extras(cols: dict[str, list[object]], n: int, rows: Sequence[RegisteredName]) -> list[_Extra]:
    """The aliases to add: registered names and their Pinyin first, then the Pinyin of the lists' own Chinese
    names; never a name its entry already has."""
    primary = cols.get("primary_name") or cols["name"]
    seen: set[tuple[object, object, str]] = set()
    template: dict[tuple[object, object], dict[object, int]] = {}  # (list, primary name) -> entity -> row
    for i in range(n):
        name = cols["name"][i]
        if isinstance(name, str):
            seen.add((cols["list_code"][i], cols["entity_id"][i], name))
        template.setdefault((cols["list_code"][i], primary[i]), {}).setdefault(cols["entity_id"][i], i)
    extras: list[_Extra] = []

    def add(i: int, name: str | None, kind: str, script: str, note: str) -> None:
        key = (cols["list_code"][i], cols["entity_id"][i], name or "")
        if name and key not in seen:
            seen.add(key)
            extras.append(_Extra(i, name, kind, script, note))

    parents = parent_prefixes()
    for reg in rows:
        cut = without_parent(reg.name, parents)
        for i in template.get((reg.list_code, reg.entry), {}).values():
            add(i, reg.name, REGISTERED_KIND, "Han", reg.note())
            reading = pinyin_name(reg.name)
            add(i, reading, PINYIN_KIND, "Latin", reg.note(reading))
            if cut is not None:  # 国防科技大学 for 中国人民解放军国防科技大学
                add(i, cut[1], REGISTERED_KIND, "Han", reg.note(parent=cut[0]))
                reading = pinyin_name(cut[1])
                add(i, reading, PINYIN_KIND, "Latin", reg.note(reading, cut[0]))
    for i in range(n):
        name = cols["name"][i]
        if isinstance(name, str) and HAN_RUN.search(name):
            add(i, pinyin_name(name), PINYIN_KIND, "Latin", f"Pinyin reading of the listed name {name}")
    return extras
