"""A ``NameIndex`` as flat columns, and back: the shape its on-disk cache (``index_cache``) takes.

Plain arrays (strings, integers, floats, offsets into them) hold no code, unlike a pickle, so a planted or
damaged cache file can at worst fail the checks below and be rebuilt. Read back, the columns stay where the
memory-mapped file put them: a row of the index (``IndexedName``) is rebuilt when a query first reaches it,
and a key's rows are found by binary search over 64-bit key hashes, so opening a cached index costs
milliseconds however many names the lists hold.
"""

from __future__ import annotations

import zlib
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chipscreen.arrow_strings import number_view
from chipscreen.names.index import IndexedName, NameIndex
from chipscreen.names.tokens import NormalizedName, Token

__all__ = ["LazyPostings", "LazyRows", "decode", "encode", "load_rows"]

_ROW_TEXT = ("entity_id", "list_code", "name", "primary_name", "kind", "country", "original", "reading", "note")
_TOKEN_TEXT = ("text", "raw", "role", "script")
_RAGGED = ("legal_forms", "notes", "numbers")
_FILTER_SHIFT = 40
"""The presence filter of ``LazyPostings`` has one byte per value of a key hash's top 64 - 40 = 24 bits
(16 MB): with the bundled lists' million keys, 6 in 100 of the keys filed under nothing still need a search."""
_MEMO_SIZE = 200_000
"""Keys whose rows a read-back index remembers (the memo is emptied when it grows past this)."""
_TABLE_AFTER = 2_000_000
"""Keys looked up (beyond the memo) after which a read-back index builds its key table (``build_table``):
about the cost of building it (some 40,000 names; a single ``screen`` asks a few dozen)."""
_FILTER_AFTER = 2_000
"""Keys looked up (beyond the memo) before a read-back index builds its presence filter and its list of
hashes (0.16 s together): a command that screens one or two names asks a few hundred keys, each answered by
one numpy binary search (some microseconds), so a warm ``check`` does not pay for a filter it never uses."""
_NOT_ASKED = object()
"""The memo's answer for a key not asked for before (None there means: asked, filed under no row)."""


def key_hash(key: str) -> int:
    """A stable 64-bit hash of a postings key (Python's own ``hash`` differs between processes). Not a
    secure one, and it need not be: equal hashes are told apart by comparing the keys themselves."""
    b = key.encode()
    return zlib.crc32(b) << 32 | zlib.adler32(b)


class Strings:
    """Item ``i`` of an Arrow ``large_string`` array, decoded from its buffers without copying them."""

    def __init__(self, arr: pa.Array) -> None:
        if arr.type != pa.large_string() or arr.null_count:
            raise ValueError("expected a large_string column without nulls")
        bufs = arr.buffers()
        self.offsets = np.frombuffer(bufs[1], dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
        self.data = memoryview(bufs[2]) if bufs[2] is not None else memoryview(b"")
        if len(arr) and (self.offsets[0] < 0 or np.any(np.diff(self.offsets) < 0)
                         or self.offsets[-1] > len(self.data)):
            raise ValueError("string offsets out of order or out of bounds")
        self.arr = arr

    def __len__(self) -> int:
        return len(self.arr)

    def __getitem__(self, i: int) -> str:
        return bytes(self.data[self.offsets[i] : self.offsets[i + 1]]).decode()


def _ragged(values: Sequence[Sequence[Any]]) -> tuple[np.ndarray, list[Any]]:
    """Lists of varying length as offsets (one more than the lists) into one flat list."""
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum([len(v) for v in values], out=offsets[1:])
    return offsets, [x for v in values for x in v]


def _check_offsets(offsets: np.ndarray, count: int, total: int) -> np.ndarray:
    if len(offsets) != count + 1 or offsets[0] != 0 or offsets[-1] != total or np.any(np.diff(offsets) < 0):
        raise ValueError("offsets do not describe the values")
    return offsets


def encode(index: NameIndex) -> pa.Table:
    """The index as a one-row table, each column a list of one kind of value (see ``decode``)."""
    rows: Sequence[IndexedName] = index.rows
    cols: dict[str, Any] = {
        "entity_id": [r.entity_id for r in rows], "list_code": [r.list_code for r in rows],
        "name": [r.name for r in rows], "primary_name": [r.primary_name for r in rows],
        "kind": [r.kind for r in rows], "country": [r.country or "" for r in rows],
        "note": [r.note or "" for r in rows],
        "original": [r.normalized.original for r in rows], "reading": [r.normalized.reading for r in rows],
        "starts": index.starts, "ends": index.ends, "weights": index.weights,
    }
    for part in _RAGGED:
        get = (lambda n: sorted(n.numbers)) if part == "numbers" else (lambda n, p=part: getattr(n, p))
        cols[part + "_off"], cols[part] = _ragged([get(r.normalized) for r in rows])
    cols["tok_off"], toks = _ragged([r.normalized.tokens for r in rows])
    for f in _TOKEN_TEXT:
        cols["tok_" + f] = [getattr(t, f) for t in toks]
    cols["tok_weight"] = np.array([t.weight for t in toks], dtype=np.float64)
    unsorted = list(index.postings)
    hashes = np.array([key_hash(k) for k in unsorted], dtype=np.uint64)
    order = np.argsort(hashes, kind="stable")
    keys = [unsorted[i] for i in order.tolist()]
    cols["key"] = keys
    cols["key_hash"] = hashes[order]
    cols["post_off"], flat = _ragged([index.postings[k] for k in keys])
    cols["post_rows"] = np.array(flat, dtype=np.int32)
    ids = sorted(index.identifiers)
    cols["id_key"] = ids
    cols["id_off"], pairs = _ragged([index.identifiers[k] for k in ids])
    cols["id_scheme"] = [s for s, _ in pairs]
    cols["id_row"] = np.array([r for _, r in pairs], dtype=np.int32)
    return pa.table({k: _column(v) for k, v in cols.items()})


def _column(values: Any) -> pa.Array:
    """One row holding all the values: a list of length one."""
    flat = pa.array(values) if isinstance(values, np.ndarray) else pa.array(values, type=pa.large_string())
    return pa.LargeListArray.from_arrays(pa.array([0, len(flat)], type=pa.int64()), flat)


class LazyRows(Sequence[IndexedName]):
    """The index's rows, each rebuilt from the columns when first read (then kept)."""

    def __init__(self, cols: Mapping[str, Any]) -> None:
        self.text = {f: Strings(cols[f]) for f in _ROW_TEXT}
        self.n = len(self.text["entity_id"])
        if any(len(s) != self.n for s in self.text.values()):
            raise ValueError("row columns differ in length")
        self.tok_text = {f: Strings(cols["tok_" + f]) for f in _TOKEN_TEXT}
        self.tok_weight = number_view(cols["tok_weight"], np.float64)
        self.tok_off = _check_offsets(number_view(cols["tok_off"], np.int64), self.n, len(self.tok_weight))
        if any(len(s) != len(self.tok_weight) for s in self.tok_text.values()):
            raise ValueError("token columns differ in length")
        self.ragged = {p: (_check_offsets(number_view(cols[p + "_off"], np.int64), self.n, len(cols[p])),
                           Strings(cols[p])) for p in _RAGGED}
        self.memo: dict[int, IndexedName] = {}

    def __len__(self) -> int:
        return self.n

    @overload
    def __getitem__(self, i: int) -> IndexedName: ...
    @overload
    def __getitem__(self, i: slice) -> list[IndexedName]: ...
    def __getitem__(self, i: int | slice) -> IndexedName | list[IndexedName]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.n))]
        i = int(i)
        if i < 0:
            i += self.n
        if not 0 <= i < self.n:
            raise IndexError(i)
        got = self.memo.get(i)
        if got is None:
            got = self.memo[i] = self._row(i)
        return got

    def _strings(self, part: str, i: int) -> tuple[str, ...]:
        off, values = self.ragged[part]
        return tuple(values[j] for j in range(int(off[i]), int(off[i + 1])))

    def _row(self, i: int) -> IndexedName:
        t = self.tok_text
        tokens = tuple(Token(t["text"][j], t["raw"][j], t["role"][j], float(self.tok_weight[j]), t["script"][j])
                       for j in range(int(self.tok_off[i]), int(self.tok_off[i + 1])))
        return _indexed([self.text[f][i] for f in _ROW_TEXT], tokens,
                        *(self._strings(p, i) for p in _RAGGED))

    def load(self, wanted: Iterable[int]) -> None:
        """Decode these rows now, each column's values for all of them at once (Arrow's ``take``): a caller
        about to read many rows (a monitor run reads some 150,000 readings of a million-party watch set) pays
        for building the objects, not for decoding each string on its own."""
        todo = np.array([i for i in dict.fromkeys(int(x) for x in wanted) if i not in self.memo], dtype=np.int64)
        if not len(todo):
            return
        if todo.min() < 0 or todo.max() >= self.n:
            raise IndexError("a row past the index")
        text = [self.text[f].arr.take(_positions(todo)).to_pylist() for f in _ROW_TEXT]
        at = _spans(self.tok_off[todo], self.tok_off[todo + 1])
        t = [self.tok_text[f].arr.take(_positions(at)).to_pylist() for f in _TOKEN_TEXT]
        weights: list[float] = self.tok_weight[at].tolist()
        tokens = [Token(*w) for w in zip(t[0], t[1], t[2], weights, t[3], strict=True)]
        ragged = []
        for part in _RAGGED:
            off, values = self.ragged[part]
            lo, hi = off[todo], off[todo + 1]
            flat = values.arr.take(_positions(_spans(lo, hi))).to_pylist()
            ends = np.cumsum(hi - lo).tolist()
            ragged.append([tuple(flat[a:b]) for a, b in zip([0, *ends[:-1]], ends, strict=True)])
        ends = np.cumsum(self.tok_off[todo + 1] - self.tok_off[todo]).tolist()
        for k, (i, a, b) in enumerate(zip(todo.tolist(), [0, *ends[:-1]], ends, strict=True)):
            self.memo[i] = _indexed([col[k] for col in text], tuple(tokens[a:b]), *(r[k] for r in ragged))


def rows_of_entities(rows: Sequence[IndexedName], entity_ids: Collection[str]) -> list[int]:
    """The rows whose entity id is one of ``entity_ids``, in order; where the rows are read back, found in their
    column (no row is decoded)."""
    if isinstance(rows, LazyRows):
        wanted = pa.array(sorted(entity_ids), pa.large_string())
        return [int(i) for i in pc.indices_nonzero(pc.is_in(rows.text["entity_id"].arr, value_set=wanted)).to_pylist()]
    return [i for i, r in enumerate(rows) if r.entity_id in entity_ids]


def load_rows(rows: Sequence[IndexedName], wanted: Iterable[int]) -> None:
    """``LazyRows.load`` where ``rows`` are read back from columns (a built index holds its rows already)."""
    if isinstance(rows, LazyRows):
        rows.load(wanted)


def _indexed(s: Sequence[str], tokens: tuple[Token, ...], legal_forms: tuple[str, ...], notes: tuple[str, ...],
             numbers: tuple[str, ...]) -> IndexedName:
    """A row from its ``_ROW_TEXT`` strings, tokens and ragged parts."""
    entity_id, list_code, name, primary_name, kind, country, original, reading, note = s
    normalized = NormalizedName(original, tokens, legal_forms, notes, reading, frozenset(numbers))
    return IndexedName(entity_id, list_code, name, primary_name, kind, country or None, normalized, note or None)


def _spans(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The positions ``lo[k]:hi[k]`` of every ``k``, one after another."""
    sizes = hi - lo
    starts = np.repeat(lo - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
    return starts + np.arange(int(sizes.sum()), dtype=np.int64)


def _positions(values: np.ndarray) -> pa.Array:
    """int64 positions as an Arrow array, from their buffer (``pa.array`` would look for pandas first)."""
    flat = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(flat), [None, pa.py_buffer(flat)])


class LazyPostings(Mapping[str, list[int]]):
    """Key -> rows, found by binary search over the sorted key hashes (the key itself then compared)."""

    def __init__(self, cols: Mapping[str, Any], rows: int) -> None:
        self.key_text = Strings(cols["key"])
        self.hashes = number_view(cols["key_hash"], np.uint64)
        self.rows = number_view(cols["post_rows"], np.int32)
        self.off = _check_offsets(number_view(cols["post_off"], np.int64), len(self.key_text), len(self.rows))
        if len(self.hashes) != len(self.key_text) or np.any(np.diff(self.hashes) < 0):
            raise ValueError("key hashes not sorted")
        if len(self.rows) and (self.rows.min() < 0 or self.rows.max() >= rows):
            raise ValueError("a posting points past the rows")
        self.hash_list: list[int] | None = None
        self.filter: memoryview | None = None
        self.memo: dict[str, list[int] | None] = {}
        self.asked = 0  # keys looked up beyond the memo: a bulk run's count earns the key table
        self.table: dict[str, int] | None = None

    def __getitem__(self, key: str) -> list[int]:
        got: list[int] | None = self.get(key)
        if got is None:
            raise KeyError(key)
        return got

    def get(self, key: str, default: Any = None) -> Any:
        """The rows filed under ``key`` (memoised: a day's screening asks for the same keys again and again).
        Most keys asked for (joined runs of a query's words and their deletions, new with every name) are
        filed under nothing and turned away by the presence filter, or by the key table once a bulk run
        has made one (``build_table``): those are not memoised, since filing them would cost more than
        the check and push the keys that recur out of the memo."""
        memo = self.memo
        got = memo.get(key, _NOT_ASKED)
        if got is not _NOT_ASKED:
            return default if got is None else got
        self.asked += 1
        if self.table is not None:
            i = self.table.get(key)
            if i is None:
                return default
            found: list[int] | None = self.rows[self.off[i] : self.off[i + 1]].tolist()
        elif self.filter is None and self.asked < _FILTER_AFTER:
            found = self._search_few(key, key_hash(key))
        else:
            if self.hash_list is None or self.filter is None:
                self.hash_list = self.hashes.tolist()  # bisect on a list: a numpy call per key costs more
                self.filter = _presence_filter(self.hashes)
            b = key.encode()
            crc = zlib.crc32(b)
            # the filter reads a key hash's leading bits, which are its CRC's (``key_hash``): no Adler-32
            # for the keys it turns away
            if not self.filter[crc >> (_FILTER_SHIFT - 32)]:
                if self.asked >= _TABLE_AFTER:
                    self.build_table()
                return default
            found = self._search(key, crc << 32 | zlib.adler32(b), self.hash_list)
        if len(memo) > _MEMO_SIZE:
            memo.clear()
        memo[key] = found
        return default if found is None else found

    def build_table(self) -> None:
        """Key -> position as a dict, for a long run: a second of work and some 150 MB that a bulk run
        earns back many times over (a dict lookup instead of two checksums and a filter read per key,
        most keys being asked once); a single screening never asks enough keys to build it."""
        keys: list[str] = self.key_text.arr.to_pylist()
        self.table = dict(zip(keys, range(len(keys)), strict=True))

    def _search(self, key: str, h: int, hash_list: list[int]) -> list[int] | None:
        """The rows of ``key`` (hash ``h``) by binary search, None when it is not filed."""
        i = bisect_left(hash_list, h)
        while i < len(hash_list) and hash_list[i] == h:
            if self.key_text[i] == key:
                found: list[int] = self.rows[self.off[i] : self.off[i + 1]].tolist()
                return found
            i += 1
        return None

    def _search_few(self, key: str, h: int) -> list[int] | None:
        """``_search`` on the numpy hashes themselves, for the first keys a process asks."""
        hashes = self.hashes
        i = int(np.searchsorted(hashes, np.uint64(h)))
        while i < len(hashes) and int(hashes[i]) == h:
            if self.key_text[i] == key:
                found: list[int] = self.rows[self.off[i] : self.off[i + 1]].tolist()
                return found
            i += 1
        return None

    def __iter__(self) -> Iterator[str]:
        return (self.key_text[i] for i in range(len(self.key_text)))

    def __len__(self) -> int:
        return len(self.key_text)


def _presence_filter(hashes: np.ndarray) -> memoryview:
    """One byte per value of a hash's leading ``64 - _FILTER_SHIFT`` bits, set when a key has them. Most
    keys a query asks for (its words' deletions, its joined runs) are filed under no row: the filter
    answers those in one byte read, where a binary search over a million hashes in memory costs several
    microseconds (a cache miss per step)."""
    table = np.zeros(1 << (64 - _FILTER_SHIFT), dtype=np.uint8)
    table[hashes >> np.uint64(_FILTER_SHIFT)] = 1
    return table.data


def decode(table: pa.Table) -> NameIndex:
    """The index ``encode`` wrote; raises ValueError (or an Arrow error) on columns that do not fit together."""
    cols = {name: table.column(name).chunk(0).values for name in table.column_names}
    rows = LazyRows(cols)
    starts, ends = number_view(cols["starts"], np.int64), number_view(cols["ends"], np.int64)
    weights = number_view(cols["weights"], np.float64)
    if not len(starts) == len(ends) == len(weights) == len(rows):
        raise ValueError("per-row arrays differ in length")
    ids, schemes = Strings(cols["id_key"]), Strings(cols["id_scheme"])
    id_rows = number_view(cols["id_row"], np.int32)
    id_off = _check_offsets(number_view(cols["id_off"], np.int64), len(ids), len(id_rows))
    if (len(id_rows) and (id_rows.min() < 0 or id_rows.max() >= len(rows))) or len(schemes) != len(id_rows):
        raise ValueError("an identifier points past the rows")
    identifiers = {ids[k]: [(schemes[j], int(id_rows[j])) for j in range(int(id_off[k]), int(id_off[k + 1]))]
                   for k in range(len(ids))}
    list_codes = np.array(cols["list_code"].to_pylist(), dtype=object)  # to_numpy would import pandas
    return NameIndex.from_parts(rows, starts, ends, weights, list_codes, identifiers, LazyPostings(cols, len(rows)))
