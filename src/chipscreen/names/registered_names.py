"""The registered Chinese names of listed Chinese entities (``data/names/chinese_registered_names.yml``).

The Entity List names Chinese parties in English only, while their own contracts, invoices and sign-up forms
carry the name registered in China (华为技术有限公司) or its Pinyin. The table gives each listed entry its
Chinese name with the source that publishes it; ``chinese_aliases`` adds them to the names index. A row is
checked here for shape only (every field present, a name in Chinese characters, a known ``checked`` kind);
that its entry is on the bundled list is checked by the tests against the shipped list file, and when the
index is built an entry missing from the snapshot simply gets no alias.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from chipscreen.errors import DataError
from chipscreen.names.lexicon import names_data_dir
from chipscreen.names.scripts import HAN_RUN
from chipscreen.paths import read_yaml

__all__ = ["TABLE_FILE", "RegisteredName", "parent_prefixes", "registered_names", "table_path", "without_parent"]

TABLE_FILE = "chinese_registered_names.yml"
_REQUIRED = ("entry", "name", "source", "checked")
_OPTIONAL = ("as_in_file",)
_KNOWLEDGE = "knowledge"
_FILE = "file:"
_PAGE = "page:"


@dataclass(frozen=True)
class RegisteredName:
    """One row: the Chinese name of one listed entry, and where it comes from."""

    list_code: str
    entry: str  # the entry's primary name, exactly as the list writes it
    name: str  # the Chinese name
    source: str
    checked: str  # "knowledge", "file: <path under the shared data folder> (<record>)" or "page: <url>"
    as_in_file: str | None = None  # the name as that file writes it, when its glyphs differ
    row: int = 0  # position in the table, for messages

    @property
    def checked_file(self) -> str | None:
        """The list file the row was checked against (a path under the shared data folder), if any."""
        if not self.checked.startswith(_FILE):
            return None
        return self.checked[len(_FILE):].split()[0]

    def note(self, reading: str | None = None, parent: str | None = None) -> str:
        """What the explanation says of a match on this row's name (or on its Pinyin ``reading``, or on the
        name without its ``parent``)."""
        said = f"registered Chinese name {self.name} from {TABLE_FILE} row {self.row}, source {self.source}"
        said = f"{said}, without its parent {parent}" if parent else said
        return f"Pinyin reading of the {said}" if reading else said


def table_path() -> Path:
    return names_data_dir() / TABLE_FILE


def registered_names(path: Path | None = None) -> tuple[RegisteredName, ...]:
    """The rows of the table (the shipped one unless ``path``); a ``DataError`` naming the file, the row and
    the field for any malformed row."""
    if path is None:
        return _shipped()
    return _read(path)


_REST_MIN = 4
"""Characters that must remain once a parent is left out: 物理研究所 is a name, 研究所 is not."""
_ORDINAL = "第"
"""A numbered unit (第十四研究所) is a name only with its parent: CETC, CASC and CSSC all have a 14th."""


@lru_cache(maxsize=1)
def parent_prefixes(path: Path | None = None) -> tuple[str, ...]:
    """The table's ``parents``, longest first (中国电子科技集团有限公司 before 中国电子科技集团公司 can matter)."""
    where = path or table_path()
    raw = read_yaml(where)
    parents = raw.get("parents", []) if isinstance(raw, dict) else None
    if not isinstance(parents, list) or not all(isinstance(p, str) and HAN_RUN.fullmatch(p) for p in parents):
        raise DataError(str(where), "parents", "expected a list of names in Chinese characters")
    return tuple(sorted(parents, key=len, reverse=True))


def without_parent(name: str, parents: tuple[str, ...]) -> tuple[str, str] | None:
    """(parent, rest) when ``name`` begins with one of ``parents`` and enough remains to be a name."""
    for parent in parents:
        rest = name[len(parent):]
        if name.startswith(parent) and len(rest) >= _REST_MIN and not rest.startswith(_ORDINAL):
            return parent, rest
    return None


@lru_cache(maxsize=1)
def _shipped() -> tuple[RegisteredName, ...]:
    return _read(table_path())


def _read(path: Path) -> tuple[RegisteredName, ...]:
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise DataError(str(path), None, "expected a mapping with `list` and `rows`")
    list_code = raw.get("list")
    if not isinstance(list_code, str) or not list_code.strip():
        raise DataError(str(path), "list", "expected the list code the entries are on (e.g. EL)")
    rows = raw.get("rows")
    if not isinstance(rows, list) or not rows:
        raise DataError(str(path), "rows", "expected a non-empty list of rows")
    return tuple(_row(path, list_code.strip(), i, r) for i, r in enumerate(rows))


def _row(path: Path, list_code: str, i: int, raw: Any) -> RegisteredName:
    where = f"rows[{i}]"
    if not isinstance(raw, dict):
        raise DataError(str(path), where, "expected a mapping with entry, name, source, checked")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        known = ", ".join(_REQUIRED + _OPTIONAL)
        raise DataError(str(path), f"{where}.{unknown[0]}", f"unknown field (known: {known})")
    fields: dict[str, str] = {}
    for key in _REQUIRED:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise DataError(str(path), f"{where}.{key}", "missing or empty")
        fields[key] = value.strip() if key == "entry" else " ".join(value.split())
    if not HAN_RUN.search(fields["name"]):
        raise DataError(str(path), f"{where}.name", f"{fields['name']!r} has no Chinese characters")
    checked = fields["checked"]
    if checked != _KNOWLEDGE and not any(checked.startswith(k) and checked[len(k):].strip() for k in (_FILE, _PAGE)):
        raise DataError(str(path), f"{where}.checked",
                        f"expected {_KNOWLEDGE!r}, 'file: <path> (<record>)' or 'page: <url>', got {checked!r}")
    as_in_file = raw.get("as_in_file")
    if as_in_file is not None and (not isinstance(as_in_file, str) or not checked.startswith(_FILE)):
        raise DataError(str(path), f"{where}.as_in_file", "only a string, and only on a row checked against a file")
    return RegisteredName(list_code, fields["entry"], fields["name"], fields["source"], checked,
                          as_in_file, i + 1)
