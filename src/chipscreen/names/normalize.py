"""Name normalisation: turn any spelling of a party's name into comparable, weighted tokens.

Why each step exists (issue 3):
- Unicode folding (NFKC, case folding, transliteration with rigour) so that "ＨＵＡＷＥＩ", "Huawei" and
  "Хуавэй" meet; control characters and format characters are dropped, never matched.
- Legal forms ("Co., Ltd.", "OOO", "S.A. de C.V.", "有限公司") are recognised with rigour's org-type table
  (plus the stand-alone words it leaves, such as "Corp") and removed from comparison: they say what a party
  is, not which one.
- Trade-document abbreviations ("TECH", "INTL", "HLDGS") are expanded from ``data/names/abbreviations.yml``.
- Han characters are read as pinyin with pypinyin so Chinese names meet the lists' Latin names; known
  organisation words (科技 -> technology) and place names are segmented first, and known trade names
  (科大讯飞 -> IFLYTEK) add a second reading of the query.
- Every token gets a role (distinctive, generic, place, number, stop, initial) and a weight: generic words
  and place names weigh less than the words that identify a party.

The result is a ``NormalizedName``; ``notes`` records what was done so a score can be explained.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rigour.names import extract_org_types, remove_org_types, remove_person_prefixes
from rigour.text.translit import ascii_text

from chipscreen.paths import data_dir, read_yaml

MAX_NAME_CHARS = 400
"""Longer input is cut here (names on the lists are under 300 characters); the cut is noted."""

ROLES = ("distinctive", "number", "initial", "patronymic", "place", "generic", "stop")


def names_data_dir() -> Path:
    return data_dir() / "names"


def load_table(name: str) -> Any:
    """One of the names engine's tables in ``data/names``."""
    return read_yaml(names_data_dir() / name)


@dataclass(frozen=True)
class Tables:
    """The reference tables of ``data/names``, loaded once."""

    abbreviations: dict[str, str]
    legal_words: frozenset[str]
    stop_words: frozenset[str]
    generic_words: frozenset[str]
    places: frozenset[str]
    places_always: frozenset[str]  # Chinese place names: places in every name, not only in organisations'
    han_places: dict[str, str]
    han_legal_forms: tuple[str, ...]
    han_words: dict[str, str]
    han_trade_names: dict[str, str]
    han_vocab: frozenset[str]  # every Han word the three tables above know, for segmenting
    weights: dict[str, float]
    thresholds: dict[str, Any]
    patronymic_endings: tuple[str, ...]


@lru_cache(maxsize=1)
def tables() -> Tables:
    abbrev_raw: dict[str, list[str]] = load_table("abbreviations.yml")
    abbreviations: dict[str, str] = {}
    for canon, variants in abbrev_raw.items():
        for v in variants:
            abbreviations[_ascii_key(str(v))] = str(canon)
    gen = load_table("generic_words.yml")
    places_raw: dict[str, list[str]] = load_table("places.yml")["places"]
    han_places = {h: p for p, hans in places_raw.items() for h in (hans or [])}
    cjk = load_table("cjk.yml")
    thr = load_table("thresholds.yml")
    legal = frozenset(_ascii_key(str(w)) for w in gen["legal"])
    stop = frozenset(str(w) for w in gen["stop"])
    generic = frozenset(abbreviations.get(str(w), str(w)) for w in gen["generic"]) - legal
    return Tables(
        abbreviations=abbreviations,
        legal_words=legal,
        stop_words=stop,
        generic_words=generic,
        places=frozenset(places_raw),
        places_always=frozenset(p for p, hans in places_raw.items() if hans),
        han_places=han_places,
        han_legal_forms=tuple(sorted(cjk["legal_forms"], key=len, reverse=True)),
        han_words={str(k): str(v) for k, v in cjk["words"].items()},
        han_trade_names={str(k): str(v) for k, v in cjk["trade_names"].items()},
        han_vocab=frozenset(han_places) | frozenset(str(k) for k in cjk["words"])
        | frozenset(str(k) for k in cjk["trade_names"]),
        weights={k: float(v) for k, v in thr["weights"].items()},
        thresholds=thr,
        patronymic_endings=tuple(str(e) for e in load_table("person_names.yml")["patronymic_endings"]),
    )


def alnum(text: str) -> str:
    """Lower-case letters and digits only ("S.C." -> "sc")."""
    return _NON_ALNUM.sub("", text.lower())


_NON_ALNUM = re.compile(r"[^0-9a-z]")


def _ascii_key(text: str) -> str:
    return re.sub(r"[^0-9a-z&+']", "", text.lower())


@dataclass(frozen=True, slots=True)
class Token:
    """One comparable word of a name."""

    text: str  # comparison form: lower-case ASCII, abbreviation expanded
    raw: str  # the word as folded from the input, before abbreviation expansion
    role: str  # one of ROLES
    weight: float
    script: str = "Latin"  # script the word was written in: Latin, Han, Arabic, Hangul, ...


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uac00-\ud7af\uf900-\ufaff]")
"""A Chinese character (CJK unified ideographs, extension A, compatibility) or a Hangul syllable."""


@dataclass(frozen=True)
class NormalizedName:
    """A name ready for indexing and scoring, with a record of what normalisation did to it."""

    original: str
    tokens: tuple[Token, ...]
    legal_forms: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    reading: str = "default"  # "default", or "trade-name" for the second reading of a Han query
    numbers: frozenset[str] = field(default_factory=frozenset)
    # derived once here, read for every candidate the name is compared with
    total_weight: float = field(init=False, compare=False)
    cjk_chars: tuple[str, ...] = field(init=False, compare=False)  # Chinese characters and Hangul, in order
    only_cjk: bool = field(init=False, compare=False)  # every letter and digit is one of them
    org_like: bool = field(init=False, compare=False)  # see chipscreen.names.score.is_org_like
    acronym_word: str | None = field(init=False, compare=False)  # its one word, if that can be an acronym
    legal_words: frozenset[str] = field(init=False, compare=False)  # the words of its legal forms ("co", "ltd")

    def __post_init__(self) -> None:
        text = self.original
        cjk = () if text.isascii() else tuple(_CJK_CHAR.findall(text))
        words = [t.text for t in self.tokens if t.role != "stop"]
        object.__setattr__(self, "acronym_word", words[0] if len(words) == 1 and 3 <= len(words[0]) <= 6
                           and words[0].isalpha() else None)
        object.__setattr__(self, "legal_words", frozenset(
            w for form in self.legal_forms for w in (alnum(x) for x in form.split()) if w))
        object.__setattr__(self, "org_like", any(sum(ch.isalpha() for ch in f) >= 3 for f in self.legal_forms)
                           or any(t.role == "generic" for t in self.tokens))
        object.__setattr__(self, "total_weight", sum(t.weight for t in self.tokens))
        object.__setattr__(self, "cjk_chars", cjk)
        object.__setattr__(self, "only_cjk", bool(cjk) and len(cjk) == sum(ch.isalnum() for ch in text))

    @property
    def display(self) -> str:
        return " ".join(t.text for t in self.tokens)

    @property
    def has_distinctive(self) -> bool:
        return any(t.role in ("distinctive", "number") for t in self.tokens)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_FORMAT = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_APOS = re.compile(r"['’`ʼ‘]")
_SPLIT = re.compile(r"[^0-9a-z().]+")
_SLASH = re.compile(r"\s*/\s*(?=\D)")


_GLUED_FORM = re.compile(r"\b([A-Z]?[a-z]{3,})(AG|GmbH|LLC|Ltd|Inc|SA|SE|NV|BV|AB|SpA|Srl|KK|PLC|JSC)\b")
"""A legal form glued to a name in camel case ("SiemensAG")."""
_A_S = re.compile(r"(?<![\w/])[Aa]/[Ss](?![\w/])")
"""The Danish and Norwegian legal form "A/S", written with a slash that would otherwise split the name."""


def clean_text(text: str) -> tuple[str, list[str]]:
    """NFKC, control/format characters removed, spaces squashed, length capped. Returns the notes too."""
    notes: list[str] = []
    if not isinstance(text, str):
        text = str(text)
    folded = unicodedata.normalize("NFKC", text)
    if folded != text:
        notes.append("unicode NFKC folding")
    stripped = _CONTROL.sub(" ", _FORMAT.sub("", folded))
    if stripped != folded:
        notes.append("control characters removed")
    stripped = " ".join(stripped.split())
    stripped = _A_S.sub("AS", stripped)
    glued = _GLUED_FORM.sub(r"\1 \2", stripped)
    if glued != stripped:
        notes.append("legal form written onto the name split off")
        stripped = glued
    if len(stripped) > MAX_NAME_CHARS:
        stripped = stripped[:MAX_NAME_CHARS]
        notes.append(f"cut to {MAX_NAME_CHARS} characters")
    return stripped, notes


def _script_of_word(word: str) -> str:
    for ch in word:
        if ch.isascii():
            continue
        o = ord(ch)
        if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFEFF:
            return "Arabic"
        if 0x0590 <= o <= 0x05FF:
            return "Hebrew"
        if 0x0E00 <= o <= 0x0E7F:
            return "Thai"
        if 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            return "Hangul"
        if 0x3040 <= o <= 0x30FF:
            return "Kana"
        if 0x0400 <= o <= 0x052F:
            return "Cyrillic"
        if 0x0370 <= o <= 0x03FF:
            return "Greek"
        if 0x0900 <= o <= 0x0DFF:
            return "Indic"
    return "Latin"


def _role(text: str, t: Tables, script: str = "Latin") -> str:
    if any(c.isdigit() for c in text):
        return "number"
    if text in t.stop_words and script in ("Latin", "Cyrillic", "Greek"):
        return "stop"
    if text in t.places_always:
        return "place"
    if text in t.generic_words:
        return "generic"
    if len(text) == 1:
        return "initial"
    if text.endswith(t.patronymic_endings) and len(text) >= 7:
        return "patronymic"
    return "distinctive"


_ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th|e|eme|er|o|a|ste|te)$")


@lru_cache(maxsize=1)
def number_words() -> dict[str, str]:
    """Cardinal and ordinal number words (one, first, seventy, erste, tres...) -> digits, from rigour's
    multilingual ordinals table, so that "1st International Bank" meets "First International Bank" and
    "Brigade Forty-Four" meets "Brigade 44"."""
    from rigour._core import ordinals_dict

    out: dict[str, str] = {}
    stop = tables().stop_words
    for number, forms in ordinals_dict().items():
        for form in forms:
            f = form.lower()
            if f.isascii() and f.isalpha() and len(f) >= 3 and f not in stop and not _ROMAN.match(f):
                out.setdefault(f, str(number))
    return out


_ROMAN = re.compile(r"^[ivxlcdm]+(?:th)?$")


@lru_cache(maxsize=1)
def nickname_pairs() -> frozenset[tuple[str, str]]:
    """English given names and their nicknames, both ways round ("ted" / "theodore", "bill" / "william"),
    from the hand-curated table of the ``nicknames`` package (carltonnorthern/nicknames, Apache-2.0): a
    customer signs up as "Ted", the list says "Theodore"."""
    from nicknames import NickNamer

    pairs: set[tuple[str, str]] = set()
    for canonical, nicks in NickNamer().nickname_lookup.items():
        for nick in nicks:
            if canonical != nick and canonical.isascii() and canonical.isalpha() and nick.isalpha():
                pairs.add((canonical, nick))
                pairs.add((nick, canonical))
    return frozenset(pairs)


@lru_cache(maxsize=1)
def nickname_partners() -> dict[str, tuple[str, ...]]:
    """Each word of ``nickname_pairs`` -> the words it pairs with (the index looks a query's nickname up
    under its given names, and a given name under its nicknames)."""
    out: dict[str, list[str]] = {}
    for a, b in sorted(nickname_pairs()):
        out.setdefault(a, []).append(b)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def nickname_words() -> frozenset[str]:
    """Every word of ``nickname_pairs``."""
    return frozenset(nickname_partners())


_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g", "@": "a"})


def _make_token(
    raw: str, script: str, bracketed: bool, t: Tables, notes: list[str], accented: bool = False
) -> Token | None:
    """The token of one word (None for a legal-form word), adding to ``notes`` what was done to it.
    Memoised per word: a bulk run meets the same given and family names again and again."""
    tok, added = _word_token(raw, script, bracketed, accented) if t is tables() else _build_token(
        raw, script, bracketed, t, accented)
    if added:
        notes.extend(added)
    return tok


@lru_cache(maxsize=200_000)
def _word_token(raw: str, script: str, bracketed: bool, accented: bool) -> tuple[Token | None, tuple[str, ...]]:
    return _build_token(raw, script, bracketed, tables(), accented)


def _build_token(
    raw: str, script: str, bracketed: bool, t: Tables, accented: bool
) -> tuple[Token | None, tuple[str, ...]]:
    notes: list[str] = []
    tok = _token_of(raw, script, bracketed, t, notes, accented)
    return tok, tuple(notes)


def _token_of(
    raw: str, script: str, bracketed: bool, t: Tables, notes: list[str], accented: bool
) -> Token | None:
    if len(raw) >= 4 and not raw[0].isdigit():
        digits = sum(ch.isdigit() for ch in raw)
        if 0 < digits <= 2 and len(raw) - digits >= 3 and not _ORDINAL_SUFFIX.match(raw):
            # digits standing in for letters ("Ig0r Sech1n"), an old way round keyword screening
            unleet = raw.translate(_LEET)
            if unleet.isalpha():
                notes.append(f"digits read as letters {raw!r} -> {unleet!r}")
                raw = unleet
    canon = t.abbreviations.get(raw, raw)
    if raw[:1].isdigit():
        m = _ORDINAL_SUFFIX.match(raw)
        if m:
            canon = m.group(1)
            notes.append(f"ordinal {raw!r} -> {canon!r}")
    elif raw in number_words():
        canon = number_words()[raw]
        notes.append(f"number word {raw!r} -> {canon!r}")
    if canon != raw and raw not in ("&", "+"):
        notes.append(f"abbreviation {raw!r} -> {canon!r}")
    if (canon in t.legal_words or raw in t.legal_words) and not accented:
        return None
    if canon == "and":
        return Token("and", raw, "stop", t.weights.get("stop", 0.1), script)
    role = _role(canon, t, script)
    w = t.weights.get(role, 1.0) if role != "initial" else 0.5
    if bracketed:
        w *= t.weights.get("bracketed", 0.6)
    return Token(canon, raw, role, w, script)


@dataclass(frozen=True)
class _ArabicCompounds:
    """The spellings of ``data/names/arabic_compounds.yml`` as expressions over a lower-cased name."""

    abd_apart: re.Pattern[str]  # "abd al-rahman", "abd ar rahman", "abd allah"
    abd_fused: re.Pattern[str]  # "abdel", "abdurrahman", "abdelaziz"
    din_apart: re.Pattern[str]  # "al-din", "ad din"
    din_fused: re.Pattern[str]  # "eddine", "uddin", "shamseddine", "nasreddin"
    abd: str
    din: str


@lru_cache(maxsize=1)
def _arabic() -> _ArabicCompounds:
    raw = load_table("arabic_compounds.yml")
    abd = re.escape(str(raw["abd"]["word"]))
    vowels = "".join(str(v) for v in raw["article"]["vowels"])
    cons = "|".join(re.escape(str(c)) for c in raw["article"]["consonants"])
    din = "|".join(re.escape(str(w)) for w in raw["din"]["words"])
    din_ends = "|".join(re.escape(str(w)[1:]) for w in raw["din"]["words"])  # after a doubled d: in, een, ine
    return _ArabicCompounds(
        abd_apart=re.compile(rf"(?<![a-z]){abd}[\s-]+[{vowels}]({cons})(?=[\s-]|lah(?![a-z]))"),
        abd_fused=re.compile(rf"(?<![a-z]){abd}[{vowels}]({cons})([a-z]*)"),
        din_apart=re.compile(rf"(?<![a-z])[{vowels}][ld][\s-]+(?:{din})(?![a-z])"),
        # a stem ending in a consonant ("shams", "nasr"), so that "Aladdin" stays a name
        din_fused=re.compile(rf"(?<![a-z])([a-z]{{2,}}?[b-df-hj-np-tv-z])?[{vowels}]?dd(?:{din_ends})(?![a-z])"),
        abd=str(raw["abd"]["canonical"]),
        din=str(raw["din"]["canonical"]),
    )


def _next_letter(text: str, pos: int) -> str:
    """The first letter at or after ``pos``, past spaces, hyphens and marks such as the ʿayn sign."""
    for ch in text[pos:]:
        if "a" <= ch <= "z":
            return ch
        if ch not in " -\u02bf\u02be'`":
            return ""
    return ""


def _arabic_compounds(low: str, notes: list[str]) -> str:
    """One spelling for the Arabic compounds that romanisations write as one, two or three words ("Abd
    al-Rahman" / "Abdul Rahman" / "Abdurrahman", "Saif ad-Din" / "Seif Eddine" / "Saifuddin"): the UN and
    OFAC lists use the first, customers the others. The article's consonant, when it is not l, must be the
    next word's first letter (the assimilation that licenses it), so that "Abdon" or "Abd Ar" stay names."""
    if "abd" not in low and "dd" not in low and "din" not in low and "deen" not in low:
        return low
    a = _arabic()

    def abd_apart(m: re.Match[str]) -> str:
        cons = m.group(1)
        if cons != "l" and _next_letter(m.string, m.end()) != cons[0]:
            return m.group(0)
        return a.abd if m.string.startswith("lah", m.end()) else a.abd + " "

    def abd_fused(m: re.Match[str]) -> str:
        cons, rest = m.group(1), m.group(2)
        if cons == "l" or rest.startswith(cons) or (not rest and _next_letter(m.string, m.end()) == cons[0]):
            return a.abd + rest
        return m.group(0)

    out = a.abd_apart.sub(abd_apart, low)
    out = a.abd_fused.sub(abd_fused, out)
    out = a.din_apart.sub(a.din, out)
    out = a.din_fused.sub(lambda m: (m.group(1) or "") + a.din, out)
    if out != low:
        notes.append(f"Arabic compound spelt one way: {low!r} -> {out!r}")
    return out


def _latin_tokens(segment: str, t: Tables, notes: list[str], legal: list[str]) -> list[Token]:
    """Tokens of a non-Han segment (any script but Han)."""
    low = _arabic_compounds(segment.casefold(), notes)
    found = extract_org_types(low, generic=True)
    if found:
        kept = [m for m, _ in found if not _ROMAN_NUMERAL.match(m.strip(" .,"))]
        if len(kept) == len(found):
            low = remove_org_types(low, " ")
        else:
            # rigour reads "II" as a legal form; in "Bowne Global Solutions II, Inc." it is a number
            for m in kept:
                low = re.sub(r"(?<!\w)" + re.escape(m) + r"(?!\w)", " ", low)
        legal.extend(kept)
    out: list[Token] = []
    depth = 0
    for word in low.split():
        script = _script_of_word(word)
        # a word written with accents is a word, not a legal form ("Sá" is a surname, "SA" a company)
        accented = script == "Latin" and not word.isascii()
        if script != "Latin" or not word.isascii():
            word = _ascii_lower(word)
        word = _APOS.sub("", word).replace("&", " & ").replace("+", " + ")
        for piece in word.split():
            if piece in ("&", "+"):
                tok = _make_token(piece, script, depth > 0, t, notes, accented)
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
                    tok = _make_token(part, script, depth > 0, t, notes, accented)
                    if tok is None:
                        legal.append(part)
                    else:
                        out.append(tok)
                depth = max(0, depth - closed)
    return out


@lru_cache(maxsize=200_000)
def _ascii_lower(word: str) -> str:
    """A word transliterated to lower-case ASCII (cached: transliteration is slow and words recur)."""
    return ascii_text(word).lower()


@lru_cache(maxsize=100_000)
def _pinyin(text: str) -> tuple[str, ...]:
    """The pinyin syllables of a run of Han characters (memoised: pypinyin spends about 40 µs on a run,
    and the same given and family names recur across a customer file)."""
    from pypinyin import Style, lazy_pinyin

    return tuple(s for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s)


_HAN_VOCAB_MAX = 8
"""The longest Han word the tables segment (characters)."""


def _vocab_starts_at(chunk: str, j: int, vocab: frozenset[str]) -> bool:
    """Whether a known Han word starts at position ``j`` of ``chunk`` (a loop: cheaper than ``any`` on the
    few lengths it tries)."""
    for k in range(j + 1, min(len(chunk), j + _HAN_VOCAB_MAX) + 1):  # noqa: SIM110
        if chunk[j:k] in vocab:
            return True
    return False


def _han_tokens(run: str, t: Tables, notes: list[str], legal: list[str]) -> tuple[list[Token], list[Token]]:
    """Tokens of a run of Han characters: the pinyin reading, and (when a known trade name is present)
    a second reading with the trade name's Latin form. Returns (default, trade) token lists."""
    for form in t.han_legal_forms:
        if form in run:
            run = run.replace(form, " ")
            legal.append(form)
    default: list[Token] = []
    trade: list[Token] = []
    used_trade = False
    vocab = t.han_vocab
    for chunk in run.split():
        i = 0
        while i < len(chunk):
            match = None
            for j in range(min(len(chunk), i + _HAN_VOCAB_MAX), i, -1):
                piece = chunk[i:j]
                if piece in vocab:
                    match = piece
                    break
            if match is None:
                # unknown characters: pinyin, one token per syllable (joined again by the scorer)
                j = i + 1
                while j < len(chunk) and not _vocab_starts_at(chunk, j, vocab):
                    j += 1
                syllables = _pinyin(chunk[i:j])
                for s in syllables:
                    tok = _make_token(s, "Han", False, t, notes)
                    if tok:
                        default.append(tok)
                        trade.append(tok)
                i = j
                continue
            if match in t.han_trade_names:
                used_trade = True
                syll = _pinyin(match)
                for s in syll:
                    tok = _make_token(s, "Han", False, t, notes)
                    if tok:
                        default.append(tok)
                for w in t.han_trade_names[match].split():
                    # the trade name is a Latin word, compared as one (typos and plurals allowed)
                    tok = _make_token(w, "Latin", False, t, notes)
                    if tok:
                        trade.append(tok)
                notes.append(f"trade name {match} -> {t.han_trade_names[match]!r}")
            else:
                words = (t.han_words.get(match) or t.han_places[match]).split()
                for w in words:
                    tok = _make_token(w, "Latin", False, t, notes)
                    if tok:
                        default.append(tok)
                        trade.append(tok)
            i += len(match)
    return default, (trade if used_trade else [])


def _join_numbers(tokens: list[Token]) -> list[Token]:
    """"forty four" (from "Forty-Four") and "forty 4" -> "44": a tens word, then a unit word or digit."""
    out: list[Token] = []
    for tok in tokens:
        prev = out[-1] if out else None
        if (prev is not None and prev.role == "number" and tok.role == "number" and prev.text.isdigit()
                and tok.text.isdigit() and len(prev.text) == 2 and prev.text.endswith("0") and len(tok.text) == 1
                and not prev.raw[:1].isdigit()):
            out[-1] = Token(str(int(prev.text) + int(tok.text)), prev.raw + " " + tok.raw, "number", prev.weight,
                            prev.script)
            continue
        out.append(tok)
    return out


@lru_cache(maxsize=50_000)
def _territory_code(word: str) -> str | None:
    """The ISO code of the country or region a word names ("mexico" -> "mx", "beijing" -> "cn-bj", "uk"
    -> "gb"), from rigour's territory table; rigour's pseudo-territory "Global" (zz) is a word, not a
    place."""
    from rigour.territories import lookup_territory

    if len(word) < 2 or not word.replace(" ", "").isalpha():
        return None
    found = lookup_territory(word)
    return found.code if found is not None and found.code != "zz" else None


def _is_territory(word: str) -> bool:
    """A word of four letters or more that names a territory (shorter codes such as "uk" are places only
    where the places table says so: as words they are too often something else)."""
    return len(word) >= 4 and _territory_code(word) is not None


def is_country_word(word: str) -> bool:
    """A word that names a country ("Mexico", "Norge", "Deutschland", "UK"; not a province or city such as
    "Beijing"): in an organisation's name it marks a national subsidiary or branch ("Banco Santander
    Mexico"). Asked only of words already read as places."""
    if len(word) == 2 and word.isupper():
        return True  # already a country's comparison form (see _territories_as_places)
    code = _territory_code(word)
    return code is not None and len(code) == 2


def _territories_as_places(tokens: list[Token], t: Tables, org_like: bool) -> list[Token]:
    """In an organisation's name a country or region name ("Schweiz", "Mexico") says where, not who. In a
    person's name the same word is often a given name ("Georgia", "Jordan"), so it stays distinctive."""
    if not org_like:
        return tokens
    w = t.weights.get("place", 0.25)
    out: list[Token] = []
    for tok in tokens:
        if tok.role == "distinctive" and (tok.text in t.places or _is_territory(tok.text)):
            tok = Token(tok.text, tok.raw, "place", w * (tok.weight if tok.weight < 1 else 1.0), tok.script)
        if tok.role == "place":
            # one spelling per country, its ISO code in capitals, which no other (lower-case) word can
            # equal: "U.S." / "USA" / "United States" -> US, "Norge" / "Norway" -> NO; cities keep theirs
            code = _territory_code(tok.text) or (_territory_code(tok.raw) if " " in tok.raw else None)
            if code is not None and len(code) == 2:
                tok = Token(code.upper(), tok.raw, "place", tok.weight, tok.script)
        out.append(tok)
    return out


_ROMAN_NUMERAL = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_ROMAN_ONLY_LAST = frozenset({"i", "v", "x", "xi", "vi"})
"""Roman numerals that are also common words or syllables ("Xi", "Vi") or initials: numbers only as the
last word of a name ("Bain Capital Fund XI", "Citigroup Capital Trust I")."""


def _roman_value(text: str) -> int:
    total = 0
    for k, ch in enumerate(text):
        v = _ROMAN_VALUES[ch]
        total += -v if k + 1 < len(text) and _ROMAN_VALUES[text[k + 1]] > v else v
    return total


def _roman_numbers(tokens: list[Token], t: Tables, notes: list[str]) -> list[Token]:
    """In an organisation's name a Roman numeral is a number ("Bowne Global Solutions II", "KKR Asian
    Fund IV"): the numbers of two names must agree, whichever way they are written."""
    out: list[Token] = []
    last = len(tokens) - 1
    for k, tok in enumerate(tokens):
        text = tok.text
        if (tok.script == "Latin" and (tok.role in ("distinctive", "initial") or k == last) and text
                and tok.raw.isalpha()
                and _ROMAN_NUMERAL.match(text) and (k == last or text not in _ROMAN_ONLY_LAST)):
            value = str(_roman_value(text))
            notes.append(f"roman numeral {tok.raw!r} -> {value!r}")
            out.append(Token(value, tok.raw, "number", t.weights.get("number", 1.0), tok.script))
        else:
            out.append(tok)
    return out


def _join_places(tokens: list[Token], t: Tables) -> list[Token]:
    """"hong kong" -> "hongkong", "xi an" -> "xian": place names written in two words."""
    tokens = _join_numbers(tokens)
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens):
            joined = tokens[i].text + tokens[i + 1].text
            if joined in t.places and tokens[i].role != "place" and len(tokens[i].text) > 1:
                w = t.weights.get("place", 0.35)
                out.append(Token(joined, tokens[i].raw + " " + tokens[i + 1].raw, "place", w, tokens[i].script))
                i += 2
                continue
        out.append(tokens[i])
        i += 1
    return out


def normalize_name(text: str) -> list[NormalizedName]:
    """All readings of a name, the default reading first (a second one only for Han trade names).

    Never raises on odd input: empty or symbol-only text gives a name without tokens, which matches
    nothing."""
    return list(_normalize_cached(text))


@lru_cache(maxsize=200_000)
def _normalize_cached(text: str) -> tuple[NormalizedName, ...]:
    t = tables()
    cleaned, notes = clean_text(text)
    no_prefix = remove_person_prefixes(cleaned)
    if no_prefix != cleaned and no_prefix.strip():
        notes.append("title removed")
        cleaned = no_prefix
    legal: list[str] = []
    default: list[Token] = []
    trade: list[Token] = []
    pos = 0
    has_trade = False
    has_han = False
    for m in _HAN.finditer(cleaned):
        if m.start() > pos:
            toks = _latin_tokens(cleaned[pos : m.start()], t, notes, legal)
            default.extend(toks)
            trade.extend(toks)
        d, tr = _han_tokens(m.group(0), t, notes, legal)
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
    if has_han:
        notes.append("Han read as pinyin")
    extra: list[NormalizedName] = []
    if "/" in cleaned and not has_han:
        # "Al-Qa'ida/Islamic Army": a slash between words separates alternative names
        parts = [p for p in _SLASH.split(cleaned) if any(ch.isalnum() for ch in p)]
        if len(parts) > 1 and all(sum(ch.isalnum() for ch in p) >= 3 for p in parts):
            extra = [_named(text, _join_places(_latin_tokens(p, t, [], []), t), legal, (), "slash part")
                     for p in parts]
    if legal:
        notes.append("legal form removed: " + ", ".join(dict.fromkeys(legal)))
    if any(tok.script not in ("Latin", "Han") for tok in default):
        notes.append("transliterated to Latin")
    default = _join_places(default, t)
    org_like = bool(legal) or any(tok.role == "generic" for tok in default)
    default = _territories_as_places(default, t, org_like)
    if org_like:
        default = _roman_numbers(default, t, notes)
    notes_t = tuple(dict.fromkeys(notes))
    out = [_named(text, default, legal, notes_t, "default")]
    if has_trade:
        out.append(_named(text, _join_places(trade, t), legal, notes_t, "trade-name"))
    han_part = [tok for tok in default if tok.script == "Han"]
    other_part = [tok for tok in default if tok.script != "Han"]
    if han_part and org_like and any(tok.role in ("distinctive", "number") for tok in other_part):
        # a name written twice, in two scripts ("华为 Huawei Technologies"): each half is a reading too
        out.append(_named(text, other_part, legal, notes_t, "non-Han part"))
        out.append(_named(text, han_part, legal, notes_t, "Han part"))
    out.extend(e for e in extra if e.tokens)
    if has_han and not org_like:
        out.extend(_cjk_person_readings(text, cleaned, t))
    return tuple(out)


_KANA = re.compile(r"[\u3040-\u30ff]")


def _cjk_person_readings(original: str, cleaned: str, t: Tables) -> list[NormalizedName]:
    """Japanese and Korean readings of a short name in Chinese characters (山田太郎 -> "Yamada Taro",
    金正恩 -> "Kim Jong Un"), when the optional ``pykakasi`` / ``hanja`` packages are installed
    (``pip install chipscreen[cjk]``). Only for person-like names: up to six characters, no legal form and
    no organisation word, so that company names keep their Chinese (pinyin) reading alone."""
    han_runs = [m.group(0) for m in _HAN.finditer(cleaned)]
    han_chars = sum(len(r) for r in han_runs)
    has_kana = bool(_KANA.search(cleaned))
    # a Japanese or Korean name in characters is written as one run (山田太郎, 金正恩) or with kana; single
    # characters separated by spaces are how Chinese given and family names are listed
    if not 2 <= han_chars <= 6 or (not has_kana and (len(han_runs) != 1 or len(cleaned.split()) != 1)):
        return []
    out: list[NormalizedName] = []
    kakasi = kakasi_converter()
    if kakasi is not None:
        words = [w["hepburn"] for w in kakasi.convert(cleaned) if w.get("hepburn", "").strip()]
        toks = []
        for w in " ".join(words).split():
            w = re.sub(r"[^a-z]", "", w.lower()).replace("ou", "o").replace("uu", "u")
            if w:
                toks.append(_reading_token(w, "Japanese", t))
        if len(toks) >= 2:
            out.append(_named(original, toks, [], ("Japanese reading (pykakasi)",), "Japanese reading"))
    hanja = hanja_converter()
    if hanja is not None and not _KANA.search(cleaned):
        parts = cleaned.split()
        # the surname 金 reads 김 (Kim), not 금 (gold)
        hangul = " ".join(("김" + hanja.translate(p[1:], "substitution")) if p.startswith("金")
                          else hanja.translate(p, "substitution") for p in parts)
        toks = []
        for w in hangul.split():
            for piece in ascii_text(w).lower().replace("-", " ").split():
                toks.append(_reading_token(piece, "Hangul", t))
        if len(toks) >= 2:
            out.append(_named(original, toks, [], ("Korean reading (hanja)",), "Korean reading"))
    return out


def _reading_token(text: str, script: str, t: Tables) -> Token:
    """A syllable group of a Japanese or Korean reading: always a name part (never a legal form or a stop
    word, whatever it spells in Latin: "sa", "de")."""
    role = "initial" if len(text) == 1 else "distinctive"
    return Token(text, text, role, 0.5 if role == "initial" else t.weights.get("distinctive", 1.0), script)


@lru_cache(maxsize=1)
def kakasi_converter() -> Any:
    try:
        import pykakasi
    except ImportError:
        return None
    return pykakasi.kakasi()


@lru_cache(maxsize=1)
def hanja_converter() -> Any:
    try:
        import hanja
    except ImportError:
        return None
    return hanja


def _named(
    original: str, tokens: list[Token], legal: list[str], notes: tuple[str, ...], reading: str
) -> NormalizedName:
    numbers = frozenset(tok.text for tok in tokens if tok.role == "number")
    return NormalizedName(original, tuple(tokens), tuple(dict.fromkeys(legal)), notes, reading, numbers)


# ---------------------------------------------------------------------------------------------- keys
_VOWELS = str.maketrans("", "", "aeiouywv")
DOUBLE_LETTERS = re.compile(r"(.)\1+")
_CONS = str.maketrans({"q": "k", "c": "k", "v": "f", "j": "g", "x": "s", "z": "s", "p": "b"})


@lru_cache(maxsize=100_000)
def skeleton(token: str) -> str:
    """Consonant skeleton, used for scripts that write few vowels (Arabic, Hebrew, Thai): "mohamed",
    "muhammad" and محمد (mhmd) all give "mhmd"."""
    s = DOUBLE_LETTERS.sub(r"\1", token.lower())
    s = s.replace("kh", "h").replace("ph", "f").replace("th", "t").replace("sh", "s").replace("ch", "s")
    s = s.replace("gh", "g").replace("dh", "d")
    return s.translate(_VOWELS).translate(_CONS)


_KOREAN_FOLD = (("eo", "o"), ("eu", "u"), ("ae", "e"), ("oo", "u"), ("ee", "i"), ("rk", "k"), ("g", "k"),
                ("b", "p"), ("d", "t"), ("r", "l"), ("-", ""))


_KOREAN_I = re.compile(r"^(?:lh|l|y)i")


@lru_cache(maxsize=100_000)
def korean_fold(token: str) -> str:
    """Fold the romanisations of Korean (Revised / McCune-Reischauer / popular: "gimjeongeun",
    "kim jong un") onto one spelling."""
    s = token.lower()
    for a, b in _KOREAN_FOLD:
        s = s.replace(a, b)
    s = _KOREAN_I.sub("i", s)  # the surname 이 is written Lee, Yi, Rhee, Ri or I
    return DOUBLE_LETTERS.sub(r"\1", s)
