"""The per-row work of a parties CSV done a column at a time, by Arrow, on batches of rows.

A 6M-row private list spent some 100 us a row in Python (cleaning, a regex and a Unicode normalisation for
each entity id, a country lookup), ten minutes in all; the same steps as Arrow kernels over a batch cost a
few microseconds a row. Each function gives exactly what its per-value counterpart in ``sources.base``
gives (``clean``, ``entity_id``, ``script_of``), which tests check value by value, so that a file loads to the
same entity ids whichever way it is read and ``lists diff`` follows them from one load to the next.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chipscreen.sources.base import script_of

PY_SPACE = (r"[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}"
            r"\x{3000}]+")
"""What Python's ``\\s+`` matches in text (``str.isspace``), written for Arrow's RE2, which means less by ``\\s``."""


def clean(values: pa.Array) -> pa.Array:
    """``base.clean`` of each value: whitespace runs made one space, trimmed; empty and "-0-" are null."""
    text = pc.utf8_trim(pc.replace_substring_regex(values, PY_SPACE, " "), " ")
    placeholder = pc.or_(pc.equal(text, ""), pc.equal(text, "-0-"))
    return pc.if_else(placeholder, pa.scalar(None, pa.string()), text)


def id_keys(names: pa.Array) -> list[str | None]:
    """The folded name ``base.entity_id`` hashes: NFKD, lower case, runs of anything but [0-9a-z] one space."""
    folded = pc.utf8_lower(pc.utf8_normalize(names, "NFKD"))
    return pc.utf8_trim(pc.replace_substring_regex(folded, "[^0-9a-z]+", " "), " ").to_pylist()  # type: ignore[no-any-return]


def entity_ids(list_code: str, names: pa.Array, countries: pa.Array) -> list[str]:
    """``base.entity_id(list_code, name, country)`` of each row."""
    prefix, sha1 = f"{list_code.lower()}-", hashlib.sha1
    return [prefix + sha1(f"{list_code}|{k}|{c or ''}".encode()).hexdigest()[:12]
            for k, c in zip(id_keys(names), countries.to_pylist(), strict=True)]


def scripts(names: pa.Array) -> pa.Array:
    """``base.script_of`` of each name: ASCII names by two kernels, the others (few, in most files) one by one."""
    latin = pc.if_else(pc.match_substring_regex(names, "[A-Za-z]"), "Latin", pa.scalar(None, pa.string()))
    other = np.flatnonzero(~pc.string_is_ascii(names).to_numpy(zero_copy_only=False))
    if not len(other):
        return latin
    values = latin.to_pylist()
    for i in other.tolist():
        values[i] = script_of(names[i].as_py())
    return pa.array(values, type=pa.string())


def lookup(values: pa.Array, find: Callable[[str], str | None]) -> pa.Array:
    """``find`` of each value, called once per distinct value (a country column holds a handful)."""
    encoded = pc.dictionary_encode(values)
    found = pa.array([find(v) for v in encoded.dictionary.to_pylist()], type=pa.string())
    return found.take(encoded.indices)
