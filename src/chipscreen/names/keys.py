"""How a word is keyed: phonetic keys, undoubled spellings, acronyms, identifiers, and the blocking keys.

The index files every listed name under keys, and a query looks up keys of the same kinds; the scorer
uses the same phonetic key, undoubled spelling and acronym to judge a pair. Both read them here, so that
a key the index files and the similarity the scorer gives can never drift apart.

Key kinds (a prefix each, so that one dictionary holds them all):
``t:`` the word, ``d:`` the word with one letter deleted (catches any single typo: SymSpell's idea), ``e:``
two letters deleted (long words), ``p:``/``x:`` a long word's prefix and suffix (two typos at the other
end), ``m:`` its metaphone (phonetic spellings), ``k:`` its consonant skeleton (Arabic/Hebrew/Thai queries),
``f:`` its Korean-folded form, ``g:`` a descriptive word of an all-descriptive name, ``a:`` a name's
initials (its acronym).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rigour.text.phonetics import metaphone

from chipscreen.names.folding import DOUBLE_LETTERS, korean_fold, skeleton
from chipscreen.names.lexicon import tables
from chipscreen.names.nicknames import nickname_partners
from chipscreen.names.romanisation import may_be_wade_giles, pinyin_spellings
from chipscreen.names.thresholds import Blocking, thresholds
from chipscreen.names.tokens import NormalizedName, Token

WORD = "t:"
DELETION = "d:"
TWO_DELETIONS = "e:"
PREFIX = "p:"
SUFFIX = "x:"
METAPHONE = "m:"
SKELETON = "k:"
KOREAN_FOLD = "f:"
GENERIC = "g:"
ACRONYM = "a:"

ABJAD_SCRIPTS = frozenset({"Arabic", "Hebrew", "Thai"})
"""Scripts that write consonants and leave vowels out (Thai: keyed the same way, compared by skeleton)."""
INDEXED_ROLES = frozenset({"distinctive", "number", "patronymic"})
"""Roles of the words the index files: other words can never make a hit on their own (the scorer caps
such matches), so they only add optimistic credit to a candidate's bound."""
RUN_SIZES = (2, 3)
"""Runs of this many adjacent words are also filed and looked up joined ("Hua Wei" / "Huawei"): both sides
of the index must use the same sizes."""

_CACHE_SIZE = 200_000
"""Entries of the per-word memos below (the same words recur across queries and candidates)."""
_IDENT_JUNK = re.compile(r"[^0-9A-Z]")


@lru_cache(maxsize=_CACHE_SIZE)
def undouble(text: str) -> str:
    """The word with doubled letters written once ("Mohammed" -> "mohamed")."""
    return DOUBLE_LETTERS.sub(r"\1", text)


@lru_cache(maxsize=_CACHE_SIZE)
def phonetic(text: str) -> str:
    """The word's metaphone, or "" for a word with anything but letters."""
    return metaphone(text) if text.isalpha() else ""


def initials(tokens: Sequence[Token]) -> str:
    """First letters of the words that are not stop words ("People's Liberation Army" -> "pla")."""
    return "".join(t.text[0] for t in tokens if t.role != "stop" and t.text[:1].isalpha())


def acronym_of(name: NormalizedName) -> str:
    """First letters of a name's words and of its legal form: "Semiconductor Manufacturing International
    Corporation" -> "smic", "People's Liberation Army" -> "pla"."""
    letters = initials(name.tokens)
    legal = "".join(f[0] for f in name.legal_forms if f[:1].isalpha() and f.isascii())
    return letters + legal


def identifier_key(value: str) -> str:
    """An identifier as lists and users both write it: upper case, letters and digits only
    ("91440300-MA5F" and "91440300ma5f" are one registration number)."""
    return _IDENT_JUNK.sub("", value.upper())


def _deletions(text: str) -> list[str]:
    return [text[:i] + text[i + 1 :] for i in range(len(text))]


def _deletions2(text: str) -> set[str]:
    """Every form of ``text`` with two letters deleted. Filed together with the word itself and its
    one-letter deletions under ``e:``, so that any two edits between two long words meet on a key."""
    return {d[:j] + d[j + 1 :] for d in _deletions(text) for j in range(len(d))}


def token_keys(tok: Token, *, query: bool = False) -> list[str]:
    """The keys one word is filed (or, with ``query=True``, looked up) under, the word itself first. A
    query word only uses the keys that can lead to a similar word under the scorer's rules for its script."""
    text = tok.text
    keys = [WORD + text]
    if tok.role == "number":
        return keys
    script = tok.script
    if query and script == "Han":
        return keys  # pinyin syllables match exactly (runs of them are joined separately)
    t = thresholds()
    b = t.blocking
    if query and script in ABJAD_SCRIPTS and script != "Thai":
        sk = skeleton(text)
        if len(sk) >= b.key_min_chars:
            keys.append(SKELETON + sk)
        return keys
    _add_spelling_keys(keys, text, query, b, t.similarity.phonetic_min_chars)
    if not query or script == "Thai":
        sk = skeleton(text)
        if len(sk) >= b.key_min_chars:
            keys.append(SKELETON + sk)
    if not query or script == "Hangul":
        keys.append(KOREAN_FOLD + korean_fold(text))
    if script == "Latin":
        # a Chinese name in Wade-Giles is filed and looked up under its Pinyin too ("hsi" / "xi"), at a
        # similarity (0.9) no higher than the fuzzy credit of a Latin word
        keys.extend(WORD + p for p in pinyin_spellings(text) if p != text)
        if query:
            # a nickname finds its given names and a given name its nicknames ("Ted" / "Theodore"), at a
            # similarity (0.85) under the fuzzy credit of every Latin word (0.9 or more)
            keys.extend(WORD + other for other in nickname_partners().get(text, ()))
    return keys


def _add_spelling_keys(keys: list[str], text: str, query: bool, b: Blocking, phonetic_min_chars: int) -> None:
    """A word's typo and phonetic keys (deletions, prefix and suffix, metaphone), by its length."""
    n = len(text)
    if n >= b.deletion_min_chars:
        keys.extend(DELETION + d for d in _deletions(text))
        keys.append(DELETION + text)
        if n < b.two_deletions_min_chars and not query:
            keys.append(TWO_DELETIONS + text)
    if n >= b.two_deletions_min_chars:
        # two deletions: any two edits in a long word ("Selenskyj" / "Zelenskyy", "Trafalgura" / "Trafigura")
        dels = _deletions(text)
        keys.extend(TWO_DELETIONS + d for d in {text, *dels, *_deletions2(text)})
    if n >= b.affix_min_chars:
        keys.append(PREFIX + text[: b.affix_chars])
        keys.append(SUFFIX + text[-b.affix_chars :])
    if n >= phonetic_min_chars:
        ph = phonetic(text)
        if ph and len(ph) >= b.key_min_chars:
            keys.append(METAPHONE + ph)


def joined_keys(text: str, query: bool, scripts: set[str], wade_giles: bool = True) -> list[str]:
    """The keys of a run of words joined, the run itself first (``wade_giles``: whether one of its words
    may be Wade-Giles, as one must be for the run to be)."""
    keys = [WORD + text, KOREAN_FOLD + korean_fold(text)] if not query or "Hangul" in scripts else [WORD + text]
    if wade_giles and scripts == {"Latin"}:
        keys.extend(WORD + p for p in pinyin_spellings(text) if p != text)  # "tse tung" -> zedong
    if query:
        if len(text) >= thresholds().blocking.deletion_min_chars:
            keys.extend([DELETION + text[:i] + text[i + 1 :] for i in range(len(text))])  # its deletions
            keys.append(DELETION + text)
        if scripts & ABJAD_SCRIPTS:
            keys.append(SKELETON + skeleton(text))
    else:
        keys.append(DELETION + text)
    return keys


@lru_cache(maxsize=_CACHE_SIZE)
def query_token_keys(tok: Token) -> tuple[str, ...]:
    """``token_keys(tok, query=True)``, memoised: a day's screening meets the same words again and again."""
    return tuple(token_keys(tok, query=True))


@lru_cache(maxsize=_CACHE_SIZE)
def index_token_keys(tok: Token) -> tuple[str, ...]:
    """``token_keys(tok)``, memoised: the lists repeat words across names and aliases."""
    return tuple(token_keys(tok))


def name_keys(name: NormalizedName) -> set[str]:
    """Every key a listed name (one reading of it) is filed under: its words', its runs', its acronym's."""
    keys: set[str] = set()
    toks = name.tokens
    for tok in toks:
        if tok.role in INDEXED_ROLES:
            keys.update(index_token_keys(tok))
    if not any(t.role in INDEXED_ROLES for t in toks):
        keys.update(GENERIC + t.text for t in toks if t.role in ("generic", "place"))
    for size in RUN_SIZES:
        for s in range(len(toks) - size + 1):
            run = toks[s : s + size]
            if any(t.role in INDEXED_ROLES for t in run):
                keys.update(joined_keys("".join(t.text for t in run), False, {t.script for t in run}))
    words = [t for t in toks if t.role != "stop"]
    if len(words) >= 2:
        t = thresholds()
        for acro in {initials(words), acronym_of(name)}:
            if t.blocking.acronym_min_chars <= len(acro) <= t.acronym.max_chars:
                keys.add(ACRONYM + acro)
    return keys


@dataclass(frozen=True, slots=True)
class KeyPlan:
    """What one query reading looks up, word by word: the index's candidate search gathers rows by it
    and the monitor's reverse index files watched names under its keys, so the two cannot drift apart."""

    words: tuple[tuple[str, ...], ...]
    """Per query word, its keys (the word itself first); empty for a word the index does not file."""
    runs: tuple[tuple[int, int, tuple[str, ...]], ...]
    """(first word, words in the run, the joined run's keys, the run itself first) per run of adjacent words."""
    acronym: str | None
    """The ``a:`` key of a one-word query that may be an acronym."""
    generic: tuple[str, ...]
    """An all-descriptive query's ``g:`` keys (every one must match; empty with fewer than two words)."""

    def keys(self) -> set[str]:
        """Every key of the plan."""
        out = {k for keys in self.words for k in keys}
        for _, _, keys in self.runs:
            out.update(keys)
        if self.acronym is not None:
            out.add(self.acronym)
        out.update(self.generic)
        return out


def query_key_plan(query: NormalizedName) -> KeyPlan:
    """The keys ``NameIndex.candidates`` looks up for one query reading: its indexed words', its runs' of
    two and three words, its one word as an acronym; an all-descriptive query's ``g:`` words instead."""
    toks = query.tokens
    if not any(t.role in INDEXED_ROLES for t in toks):
        words = [GENERIC + t.text for t in toks if t.role in ("generic", "place")]
        return KeyPlan((), (), None, tuple(words) if len(words) >= 2 else ())
    runs: list[tuple[int, int, tuple[str, ...]]] = []
    for size in RUN_SIZES:
        for s in range(len(toks) - size + 1):
            run = toks[s : s + size]
            if any(t.role in INDEXED_ROLES for t in run):
                joined = "".join(t.text for t in run)
                keys = joined_keys(joined, True, {t.script for t in run},
                                   any(may_be_wade_giles(t.text) for t in run))
                if joined in tables().generic_words:
                    # "Micro-electronics" joins to a generic word: a listed name made of generic words
                    # only is filed under its ``g:`` words, never its runs ("United Microelectronics Center")
                    keys.append(GENERIC + joined)
                runs.append((s, size, tuple(keys)))
    return KeyPlan(tuple(query_token_keys(t) if t.role in INDEXED_ROLES else () for t in toks), tuple(runs),
                   None if query.acronym_word is None else ACRONYM + query.acronym_word, ())


def query_keys(query: NormalizedName) -> set[str]:
    """Every key ``NameIndex.candidates`` looks up for one query reading (``query_key_plan``): a row it
    returns is filed under at least one of them. Reverse screening (``chipscreen.monitor``) files watched
    names under these keys, so that a listed name's ``name_keys`` find every watched name whose forward
    screening could reach it."""
    return query_key_plan(query).keys()
