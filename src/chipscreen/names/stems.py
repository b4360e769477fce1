"""A pairing of two organisations' words that share only a stem is refused (issue 12).

Customer masters are full of real companies whose name shares a stem with a listed one: "Micron Technology"
against "JSC Microtechnology" (the run "micron technology" is 0.94 like "microtechnology"), "HiSilicon"
against "Silicon". Edit similarity calls these typos; they are other words. A
typo changes letters inside a word ("Hikvison", "Technolgies"); a stem relation writes one word whole inside
the other and adds letters at an end ("micro" + "n", "hi" + "silicon"). So, between two names that read as
organisations:

- two distinctive words, one written whole at the start or end of the other, the rest two letters or more
  and not a plural ending (``data/names/stems.yml``), do not pair ("Silicon" / "HiSilicon"; one added
  letter is as often a typo: "Cargill" / "Cargille"), unless the query's word is the listed word cut short:
  that is an abbreviation ("Polytech" / "Polytechnic"), as is a last word cut by a field's length;
- a run of words joined against one word ("micron technology" / "microtechnology") does not pair when its
  generic words are written whole in that word and its distinctive words, joined, are not: the compound
  shares the generic part and only a stem of the name.

Exact pairs, pairs of other scripts, and people's names (which vary at their ends: transliterations) are
left alone. The words of a refused pairing stay unpaired, so the score falls as for any unpaired word: the
rule lowers a score only by refusing a pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from chipscreen.errors import DataError
from chipscreen.names.lexicon import load_table, names_data_dir, positive_int
from chipscreen.names.pairing import Pair
from chipscreen.names.thresholds import thresholds
from chipscreen.names.tokens import Token

__all__ = ["STEMS_FILE", "shares_only_a_stem", "stem_rules"]

STEMS_FILE = "stems.yml"


@dataclass(frozen=True)
class StemRules:
    endings: frozenset[str]
    min_stem_chars: int
    min_affix_chars: int


@lru_cache(maxsize=1)
def stem_rules() -> StemRules:
    """``data/names/stems.yml``, checked."""
    raw = load_table(STEMS_FILE)
    path = str(names_data_dir() / STEMS_FILE)
    if not isinstance(raw, dict):
        raise DataError(path, "", "expected a mapping with endings and min_stem_chars")
    endings = raw.get("endings")
    if not isinstance(endings, list) or not all(isinstance(e, str) and e.isalpha() for e in endings):
        raise DataError(path, "endings", "expected a list of letter strings")
    return StemRules(frozenset(e.lower() for e in endings), positive_int(raw, STEMS_FILE, "min_stem_chars"),
                     positive_int(raw, STEMS_FILE, "min_affix_chars"))


def shares_only_a_stem(pair: Pair) -> bool:
    """Whether a fuzzy pair joins words that only share a stem (see the module's docstring)."""
    if pair.similarity >= 1.0:
        return False
    toks = (*pair.query, *pair.listed)
    if any(t.script != "Latin" for t in toks):
        return False
    q, c = pair.query, pair.listed
    if len(q) == 1 and len(c) == 1:
        return pair.similarity != thresholds().pairing.truncated and _affix_only(q[0], c[0])
    if len(c) == 1:
        return _stem_run(q, c[0])
    if len(q) == 1:
        return _stem_run(c, q[0])
    return False


def _affix_only(q: Token, c: Token) -> bool:
    if q.role != "distinctive" or c.role != "distinctive":
        return False
    x, y = q.text, c.text
    rules = stem_rules()
    if min(len(x), len(y)) < rules.min_stem_chars or abs(len(x) - len(y)) < rules.min_affix_chars:
        return False
    if y.startswith(x):
        return False  # the query cut the listed word short: an abbreviation ("Polytech" / "Polytechnic")
    if x.startswith(y):
        return x[len(y):] not in rules.endings  # the query adds an ending to the listed word: another word
    return x.endswith(y) or y.endswith(x)  # letters added before a whole word ("Silicon" / "HiSilicon")


def _stem_run(run: list[Token], word: Token) -> bool:
    generic = [t.text for t in run if t.role == "generic"]
    named = "".join(t.text for t in run if t.role != "generic")
    return bool(generic) and bool(named) and all(g in word.text for g in generic) and named not in word.text
