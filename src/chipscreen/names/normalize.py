"""Name normalisation: turn any spelling of a party's name into comparable, weighted tokens.

Why each step exists:
- Unicode folding (NFKC, case folding, transliteration with rigour) so that "ＨＵＡＷＥＩ", "Huawei" and
  "Хуавэй" meet; control characters and format characters are dropped, never matched.
- Legal forms ("Co., Ltd.", "OOO", "S.A. de C.V.", "有限公司") are recognised with rigour's org-type table
  plus our own list (``data/names/legal_forms.yml``: the stand-alone words rigour leaves, such as "Corp",
  forms glued onto a name, Han suffixes) and removed from comparison: they say what a party is, not which
  one.
- Trade-document abbreviations ("TECH", "INTL", "HLDGS") are expanded from ``data/names/abbreviations.yml``.
- Han characters are read as pinyin (``chipscreen.names.han``), Arabic compounds spelt one way
  (``chipscreen.names.arabic``), numbers read as digits (``chipscreen.names.numbers``), place names weighed
  as places (``chipscreen.names.places``).
- Every token gets a role (distinctive, generic, place, number, stop, initial) and a weight: generic words
  and place names weigh less than the words that identify a party.

The result is a ``NormalizedName`` per reading; ``notes`` records what was done so a score can be explained.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.names import extract_org_types, remove_org_types, remove_person_prefixes

from chipscreen.names.arabic import arabic_compounds
from chipscreen.names.han import cjk_person_readings, han_tokens
from chipscreen.names.legal_forms import glued_form_pattern
from chipscreen.names.lexicon import Tables, tables
from chipscreen.names.misspelt import read_misspelt
from chipscreen.names.numbers import ROMAN_NUMERAL, roman_numbers
from chipscreen.names.pinyin import drop_written_twice, read_pinyin
from chipscreen.names.places import join_places, territories_as_places
from chipscreen.names.scripts import HAN_RUN, script_of_word
from chipscreen.names.tokens import NormalizedName, Token, named
from chipscreen.names.words import ascii_lower, make_token

__all__ = ["MAX_NAME_CHARS", "clean_text", "normalize_name"]

MAX_NAME_CHARS = 400
"""Longer input is cut here (names on the lists are under 300 characters); the cut is noted."""
_CLEAN_MEMO_SIZE = 4_096
"""Cleaned texts kept: a query's second cleaning follows its first within the same screen call."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_FORMAT = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_APOS = re.compile(r"['’`ʼ‘]")
_SPLIT = re.compile(r"[^0-9a-z().]+")
_SLASH = re.compile(r"\s*/\s*(?=\D)")
_A_S = re.compile(r"(?<![\w/])[Aa]/[Ss](?![\w/])")
"""The Danish and Norwegian legal form "A/S", written with a slash that would otherwise split the name."""
_MIN_SLASH_PART = 3
"""Letters and digits each side of a slash needs to be an alternative name ("Al-Qa'ida/Islamic Army"), not
a part of one ("S/O", "c/o")."""


def clean_text(text: str) -> tuple[str, list[str]]:
    """NFKC, control/format characters removed, spaces squashed, length capped. Returns the notes too."""
    if not isinstance(text, str):
        text = str(text)
    cleaned, notes = _clean_cached(text)
    return cleaned, list(notes)


@lru_cache(maxsize=_CLEAN_MEMO_SIZE)
def _clean_cached(text: str) -> tuple[str, tuple[str, ...]]:
    """``clean_text``, memoised: a query is cleaned for its readings and again to look for an address
    tail (``tails.normalize_query``); the notes are a tuple, so no caller can change the memo's copy."""
    notes: list[str] = []
    folded = unicodedata.normalize("NFKC", text)
    if folded != text:
        notes.append("unicode NFKC folding")
    stripped = _CONTROL.sub(" ", _FORMAT.sub("", folded))
    if stripped != folded:
        notes.append("control characters removed")
        found = sorted({f"U+{ord(ch):04X}" for ch in _FORMAT.findall(folded)})
        if found:
            # a right-to-left override shows one name and holds another: the user must see it was there
            notes.append("bidi and format characters removed: " + ", ".join(found))
    stripped = " ".join(stripped.split())
    stripped = _A_S.sub("AS", stripped)
    glued = glued_form_pattern().sub(r"\1 \2", stripped)
    if glued != stripped:
        notes.append("legal form written onto the name split off")
        stripped = glued
    if len(stripped) > MAX_NAME_CHARS:
        stripped = stripped[:MAX_NAME_CHARS]
        notes.append(f"cut to {MAX_NAME_CHARS} characters")
    return stripped, tuple(notes)


_DOTTED_WORDS = re.compile(r"^[a-z0-9]{2,}(?:[._][a-z0-9]{2,})+$")


def _dots_between_words(word: str) -> str:
    """"Shanghai.Langqing.Electronic.Technology" is four words written with dots for spaces; a run of
    dotted letters ("s.r.l.", "u.s.a.") or a dotted abbreviation ("co.", "no.5") stays one word."""
    core = word.rstrip(".")
    if _DOTTED_WORDS.match(core) and max(len(p) for p in re.split(r"[._]", core)) >= 3 and not core[0].isdigit():
        return re.sub(r"[._]", " ", core)
    return word


def _drop_org_types(low: str, legal: list[str]) -> str:
    """``low`` without the legal forms rigour's org-type table finds in it, which go to ``legal``."""
    found = extract_org_types(low, generic=True)
    if found:
        kept = [m for m, _ in found if not ROMAN_NUMERAL.match(m.strip(" .,"))]
        if len(kept) == len(found):
            low = remove_org_types(low, " ")
        else:
            # rigour reads "II" as a legal form; in "Bowne Global Solutions II, Inc." it is a number
            for m in kept:
                low = re.sub(r"(?<!\w)" + re.escape(m) + r"(?!\w)", " ", low)
        legal.extend(kept)
    return low


def _latin_tokens(segment: str, t: Tables, notes: list[str], legal: list[str]) -> list[Token]:
    """Tokens of a non-Han segment (any script but Han)."""
    low = _drop_org_types(arabic_compounds(segment.casefold(), notes), legal)
    out: list[Token] = []
    depth = 0
    for word in low.split():
        script = script_of_word(word)
        # a word written with accents is a word, not a legal form ("Sá" is a surname, "SA" a company)
        accented = script == "Latin" and not word.isascii()
        if script != "Latin" or not word.isascii():
            word = ascii_lower(word)
        word = _dots_between_words(_APOS.sub("", word)).replace("&", " & ").replace("+", " + ")
        for piece in word.split():
            if piece in ("&", "+"):
                tok = make_token(piece, script, depth > 0, t, notes, accented)
                if tok:
                    out.append(tok)
                continue
            for part in _SPLIT.split(piece):
                opened = part.count("(")
                closed = part.count(")")
                depth += opened
                part = part.replace("(", "").replace(")", "").replace(".", "")
                if part:
                    # legal forms written as a run of dotted letters ("s.r.l.") only show after dots go
                    tok = make_token(part, script, depth > 0, t, notes, accented)
                    if tok is None:
                        legal.append(part)
                    else:
                        out.append(tok)
                depth = max(0, depth - closed)
    return out


def normalize_name(text: str) -> list[NormalizedName]:
    """All readings of a name, the default reading first (a second one only for Han trade names).

    Never raises on odd input: empty or symbol-only text gives a name without tokens, which matches
    nothing."""
    return list(_normalize_cached(text))


def _without_title(cleaned: str, notes: list[str]) -> str:
    no_prefix = remove_person_prefixes(cleaned)
    if no_prefix != cleaned and no_prefix.strip():
        notes.append("title removed")
        return no_prefix
    return cleaned


def _read_segments(
    cleaned: str, t: Tables, notes: list[str], legal: list[str]
) -> tuple[list[Token], list[Token] | None, bool]:
    """The tokens of each run of Han characters and of the text between them: the default reading, the
    trade-name reading (None when no known trade name was read), and whether there was Han at all."""
    default: list[Token] = []
    trade: list[Token] = []
    pos = 0
    has_trade = False
    has_han = False
    for m in HAN_RUN.finditer(cleaned):
        if m.start() > pos:
            toks = _latin_tokens(cleaned[pos : m.start()], t, notes, legal)
            default.extend(toks)
            trade.extend(toks)
        d, tr = han_tokens(m.group(0), t, notes, legal)
        has_han = True
        default.extend(d)
        if tr:
            has_trade = True
            trade.extend(tr)
        else:
            trade.extend(d)
        pos = m.end()
    if pos < len(cleaned):
        toks = _latin_tokens(cleaned[pos:], t, notes, legal)
        default.extend(toks)
        trade.extend(toks)
    return default, (trade if has_trade else None), has_han


def _slash_parts(text: str, cleaned: str, t: Tables, legal: list[str]) -> list[NormalizedName]:
    """"Al-Qa'ida/Islamic Army": a slash between words separates alternative names, each a reading."""
    parts = [p for p in _SLASH.split(cleaned) if any(ch.isalnum() for ch in p)]
    if len(parts) > 1 and all(sum(ch.isalnum() for ch in p) >= _MIN_SLASH_PART for p in parts):
        return [named(text, join_places(_latin_tokens(p, t, [], []), t), legal, (), "slash part") for p in parts]
    return []


@lru_cache(maxsize=200_000)
def _normalize_cached(text: str) -> tuple[NormalizedName, ...]:
    t = tables()
    cleaned, notes = clean_text(text)
    cleaned = _without_title(cleaned, notes)
    legal: list[str] = []
    default, trade, has_han = _read_segments(cleaned, t, notes, legal)
    if has_han:
        notes.append("Han read as pinyin")
    extra = _slash_parts(text, cleaned, t, legal) if "/" in cleaned and not has_han else []
    if legal:
        notes.append("legal form removed: " + ", ".join(dict.fromkeys(legal)))
    if any(tok.script not in ("Latin", "Han") for tok in default):
        notes.append("transliterated to Latin")
    default = join_places(drop_written_twice(read_pinyin(default, t, notes, legal), notes), t)
    org_like = bool(legal) or any(tok.role == "generic" for tok in default)
    default = read_misspelt(default, org_like, t, notes, legal)
    org_like = org_like or bool(legal) or any(tok.role == "generic" for tok in default)
    default = territories_as_places(default, t, org_like)
    if org_like:
        default = roman_numbers(default, t, notes)
    notes_t = tuple(dict.fromkeys(notes))
    out = [named(text, default, legal, notes_t, "default")]
    if trade is not None:
        out.append(named(text, join_places(trade, t), legal, notes_t, "trade-name"))
    out.extend(_script_halves(text, default, legal, notes_t, org_like))
    out.extend(e for e in extra if e.tokens)
    out.extend(_without_bracketed_acronym(text, cleaned))
    if has_han and not org_like:
        out.extend(cjk_person_readings(text, cleaned, t))
    return tuple(out)


_BRACKETED_ACRONYM = re.compile(r"^(?P<head>.*?\w.*?)\s*\((?P<acr>[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)?)\)\s*$")
_ACRONYM_MAX = 10
"""Letters of the longest bracketed acronym ("NSCC-TJ", "CASIC")."""
_ACRONYM_ALONE_MIN = 5
"""Letters from which a bracketed acronym is also a name alone ("NESCOM", "CASIC"): shorter ones ("MTC",
"DEC") name many parties, and match only beside the name."""


def _without_bracketed_acronym(text: str, cleaned: str) -> list[NormalizedName]:
    """"National University of Defense Technology (NUDT)": the bracketed acronym is an alias of the name,
    not a part of it, so the name without it is a reading too (an acronym starts with the name's first
    letter; "(Beijing)" is a place and stays)."""
    m = _BRACKETED_ACRONYM.match(cleaned)
    if m is None or len(m.group("acr")) > _ACRONYM_MAX:
        return []
    head, acr = m.group("head"), m.group("acr")
    if acr[0].casefold() != head.lstrip()[0].casefold() or (acr.isalpha() and not acr.isupper()):
        return []
    base = _normalize_cached(head)[0]
    if not base.tokens:
        return []
    note = f"bracketed acronym ({acr}) read as an alias"
    out = [named(text, list(base.tokens), list(base.legal_forms), (*base.notes, note), "without bracketed acronym")]
    alone = _normalize_cached(acr)[0] if len(acr.replace("-", "")) >= _ACRONYM_ALONE_MIN else None
    if alone is not None and alone.tokens:  # "NESCOM", "SUPARCO": customer data writes the acronym alone
        out.append(named(text, list(alone.tokens), [], (*alone.notes, note), "bracketed acronym alone"))
    return out


def _script_halves(
    text: str, default: list[Token], legal: list[str], notes: tuple[str, ...], org_like: bool
) -> list[NormalizedName]:
    """A name written twice, in two scripts ("华为 Huawei Technologies"): each half is a reading too."""
    han_part = [tok for tok in default if tok.script == "Han"]
    other_part = [tok for tok in default if tok.script != "Han"]
    if han_part and org_like and any(tok.role in ("distinctive", "number") for tok in other_part):
        return [named(text, other_part, legal, notes, "non-Han part"), named(text, han_part, legal, notes, "Han part")]
    return []
