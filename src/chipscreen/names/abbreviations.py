"""Abbreviations that stand for several words, written out in a further reading of a query.

"Beijing Academy of AI" or "Fujian Jinhua IC Co Ltd" leave the listed "Artificial Intelligence" and
"Integrated Circuit" unpaired: one word of the query stands for two of the listed name, which the word-by-word
variants of ``abbreviations.yml`` cannot say. ``data/names/abbreviation_phrases.yml`` lists such
abbreviations; a query carrying one is read also with the words written out, and the reading notes which.
Only the query is rewritten: listed names keep their own words, and the query's own reading stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from chipscreen.errors import DataError
from chipscreen.names.lexicon import load_table, names_data_dir, section

__all__ = ["PHRASES_FILE", "Expansion", "expand_abbreviations"]

PHRASES_FILE = "abbreviation_phrases.yml"


@dataclass(frozen=True)
class Expansion:
    """A query with its multi-word abbreviations written out, and what was read as what."""

    text: str
    read: tuple[str, ...]  # "AI = artificial intelligence", in the order found


@dataclass(frozen=True)
class _Table:
    pattern: re.Pattern[str]
    words: dict[str, str]


@lru_cache(maxsize=1)
def _table() -> _Table:
    raw = section(load_table(PHRASES_FILE), PHRASES_FILE, "phrases", dict)
    words: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not isinstance(value, str) or not key.strip() or not value.strip():
            raise DataError(str(names_data_dir() / PHRASES_FILE), f"phrases.{key}", "expected abbreviation: words")
        words[key.strip()] = " ".join(value.split())
    # longest first ("R & D" before "R"), each a whole word: not inside "AIR" or "Taichung"
    alternatives = "|".join(re.escape(k) for k in sorted(words, key=len, reverse=True))
    return _Table(re.compile(rf"(?<![\w&'-])(?:{alternatives})(?![\w&'-])"), words)


def expand_abbreviations(text: str) -> Expansion | None:
    """``text`` with every multi-word abbreviation written out, or None when it has none or is nothing else."""
    table = _table()
    read: list[str] = []

    def put(m: re.Match[str]) -> str:
        words = table.words[m.group(0)]
        read.append(f"{m.group(0)} = {words}")
        return words

    out = table.pattern.sub(put, text)
    if not read or not _WORD.search(table.pattern.sub(" ", text)):
        return None  # the abbreviation alone ("PLA") is an acronym, which the scorer keeps in the review band
    return Expansion(out, tuple(dict.fromkeys(read)))


_WORD = re.compile(r"\w")
