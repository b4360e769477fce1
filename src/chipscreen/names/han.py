"""Names in Chinese characters: segmented into known words, read as pinyin, and, for a short person's
name, read in Japanese and Korean too.

Known organisation words (科技 -> technology) and place names are segmented first so that they meet the
lists' Latin words; known trade names (科大讯飞 -> IFLYTEK) add a second reading of the query; the rest is
read as pinyin with pypinyin, one token per syllable (the scorer joins them again).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from rigour.text.translit import ascii_text

from chipscreen.errors import DataError
from chipscreen.names.lexicon import Tables, load_table, names_data_dir
from chipscreen.names.scripts import HAN_RUN, KANA
from chipscreen.names.tokens import NormalizedName, Token, named
from chipscreen.names.words import make_token

__all__ = [
    "GIVEN_READINGS_MAX",
    "HAN_VOCAB_MAX",
    "READINGS_FILE",
    "Readings",
    "cjk_person_readings",
    "han_tokens",
    "hanja_converter",
    "kakasi_converter",
    "name_pinyin",
    "name_readings",
    "pinyin",
    "prime",
    "readings_given",
    "segment",
    "simplified",
]

HAN_VOCAB_MAX = 8
"""The longest Han word the tables segment (characters)."""
_PERSON_HAN_CHARS = (2, 6)
"""A person's name in characters has two to six of them (金正恩, 山田太郎); longer runs are organisations."""
_MIN_READING_WORDS = 2
"""A reading is kept when it gives a family and a given name at least; one word is a failed reading."""


Readings = dict[str, tuple[str, ...]]
_KNOWN: Readings = {}
"""Readings handed over by ``prime`` (read back from ``names.pinyin_cache``)."""
_LOADERS: list[Callable[[], Readings]] = []
_GIVEN: Readings = {}
"""Readings given in this process, by pypinyin or an earlier process: what the cache keeps for the next one."""
GIVEN_READINGS_MAX = 200_000
"""Readings kept for the cache per process, a bound on its size and on the time a command reads it in."""


def prime(loader: Callable[[], Readings]) -> None:
    """Readings of earlier processes, read by ``loader`` on the first run of Han characters only, stand in
    for pypinyin: importing it and training its segmenter cost a warm ``check`` of a Chinese name 0.8 s."""
    _LOADERS[:] = [loader]


def readings_given() -> Readings:
    """The readings this process gave (``names.pinyin_cache`` writes them out)."""
    return dict(_GIVEN)


@lru_cache(maxsize=100_000)
def pinyin(text: str) -> tuple[str, ...]:
    """The pinyin syllables of a run of Han characters (memoised: pypinyin spends about 40 µs on a run,
    and the same given and family names recur across a customer file). pypinyin is imported here, on
    first use, unless the run was read by an earlier process (``prime``): it takes most of a second to
    load its dictionaries."""
    while _LOADERS:
        _KNOWN.update(_LOADERS.pop()())
    got = _KNOWN.get(text)
    if got is None:
        from pypinyin import Style, lazy_pinyin

        got = tuple(s for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s)
    if len(_GIVEN) < GIVEN_READINGS_MAX:
        _GIVEN[text] = got
    return got


READINGS_FILE = "han_readings.yml"


@lru_cache(maxsize=1)
def name_readings() -> dict[str, str]:
    """``data/names/han_readings.yml``: a character's reading in names where pypinyin reads it otherwise."""
    raw = load_table(READINGS_FILE)
    got = raw.get("readings") if isinstance(raw, dict) else None
    if not isinstance(got, dict) or not all(
            isinstance(k, str) and len(k) == 1 and isinstance(v, str) and v.isascii() and v.isalpha()
            for k, v in got.items()):
        raise DataError(str(names_data_dir() / READINGS_FILE), "readings",
                        "expected a mapping of one Chinese character to its Pinyin syllable")
    return {str(k): str(v).lower() for k, v in got.items()}


def name_pinyin(text: str) -> tuple[str, ...]:
    """``pinyin(text)`` as a name reads it: the characters of ``han_readings.yml`` take their name reading
    (长海 -> "chang hai", where pypinyin says "zhang hai")."""
    got = pinyin(text)
    fix = name_readings()
    if len(got) == len(text) and any(ch in fix for ch in text):
        return tuple(fix.get(ch, syllable) for ch, syllable in zip(text, got, strict=True))
    return got


def _vocab_starts_at(chunk: str, j: int, vocab: frozenset[str]) -> bool:
    """Whether a known Han word starts at position ``j`` of ``chunk`` (a loop: cheaper than ``any`` on the
    few lengths it tries)."""
    for k in range(j + 1, min(len(chunk), j + HAN_VOCAB_MAX) + 1):  # noqa: SIM110
        if chunk[j:k] in vocab:
            return True
    return False


def _longest_word_at(chunk: str, i: int, vocab: frozenset[str]) -> str | None:
    """The longest known Han word starting at position ``i`` of ``chunk``."""
    for j in range(min(len(chunk), i + HAN_VOCAB_MAX), i, -1):
        piece = chunk[i:j]
        if piece in vocab:
            return piece
    return None


def segment(chunk: str, vocab: frozenset[str]) -> list[tuple[str, bool]]:
    """``chunk`` cut into known words and runs of unknown characters (piece, known). Longest words are
    taken from the left and, separately, from the right; the cut with fewer unknown runs wins, the left one
    on a tie. From the left alone, 龙芯中科技术 (Loongson Zhongke Jishu) became 龙芯中 / 科技 / 术: a known
    word (科技) that straddles two others leaves a stray character, and the reading "long xin zhong keji
    shu" no longer meets the Pinyin a customer writes."""
    left, right = _forward(chunk, vocab), _backward(chunk, vocab)
    return right if _unknown_runs(right) < _unknown_runs(left) else left


def _unknown_runs(cut: list[tuple[str, bool]]) -> int:
    return sum(not known for _, known in cut)


def _forward(chunk: str, vocab: frozenset[str]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(chunk):
        match = _longest_word_at(chunk, i, vocab)
        if match is None:
            j = i + 1
            while j < len(chunk) and not _vocab_starts_at(chunk, j, vocab):
                j += 1
            out.append((chunk[i:j], False))
            i = j
            continue
        out.append((match, True))
        i += len(match)
    return out


def _backward(chunk: str, vocab: frozenset[str]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    j = len(chunk)
    while j > 0:
        match = _longest_word_ending_at(chunk, j, vocab)
        if match is None:
            i = j - 1
            while i > 0 and _longest_word_ending_at(chunk, i, vocab) is None:
                i -= 1
            out.append((chunk[i:j], False))
            j = i
            continue
        out.append((match, True))
        j -= len(match)
    out.reverse()
    return out


def _longest_word_ending_at(chunk: str, j: int, vocab: frozenset[str]) -> str | None:
    for i in range(max(0, j - HAN_VOCAB_MAX), j):
        if chunk[i:j] in vocab:
            return chunk[i:j]
    return None


def _tokens_of(words: list[str] | tuple[str, ...], script: str, t: Tables, notes: list[str]) -> list[Token]:
    out: list[Token] = []
    for w in words:
        tok = make_token(w, script, False, t, notes)
        if tok:
            out.append(tok)
    return out


def _drop_legal_forms(run: str, t: Tables, legal: list[str]) -> str:
    for form in t.han_legal_forms:
        if form in run:
            run = run.replace(form, " ")
            legal.append(form)
    return run


@lru_cache(maxsize=50_000)
def simplified(run: str) -> str:
    """A run of Han characters in simplified characters (華為技術 -> 华为技术), by OpenCC's t2s table: records
    from Hong Kong and Taiwan write a mainland company's name in traditional characters, while the tables and
    the registered names are simplified. Imported on first use, as pypinyin is (0.2 s)."""
    global _T2S
    if _T2S is None:
        import opencc

        _T2S = opencc.OpenCC("t2s")
    return str(_T2S.convert(run))


_T2S: Any = None


def _org_simplified(run: str, t: Tables) -> str:
    """``run`` in simplified characters when that makes an organisation word or legal form of the tables
    appear (華為技術有限公司); a person's name keeps its own characters (麗雲 is a given name, not 丽云)."""
    simple = simplified(run)
    if simple == run:
        return run
    words = [p for p, known in segment(simple, t.han_vocab) if known and len(p) > 1]
    if any(f in simple for f in t.han_legal_forms) or any(p in t.han_words or p in t.han_trade_names for p in words):
        return simple
    return run


def han_tokens(run: str, t: Tables, notes: list[str], legal: list[str]) -> tuple[list[Token], list[Token]]:
    """Tokens of a run of Han characters, read in simplified characters: the pinyin reading, and (when a known
    trade name is present) a second reading with the trade name's Latin form. Returns (default, trade)."""
    run = _drop_legal_forms(_org_simplified(run, t), t, legal)
    default: list[Token] = []
    trade: list[Token] = []
    used_trade = False
    vocab = t.han_vocab
    for chunk in run.split():
        for piece, known in segment(chunk, vocab):
            if not known:
                # unknown characters between known words: pinyin, one token per syllable
                toks = _tokens_of(name_pinyin(piece), "Han", t, notes)
                default.extend(toks)
                trade.extend(toks)
            elif piece in t.han_trade_names:
                used_trade = True
                default.extend(_tokens_of(name_pinyin(piece), "Han", t, notes))
                # the trade name is a Latin word, compared as one (typos and plurals allowed)
                trade.extend(_tokens_of(t.han_trade_names[piece].split(), "Latin", t, notes))
                notes.append(f"trade name {piece} -> {t.han_trade_names[piece]!r}")
            else:
                toks = _tokens_of((t.han_words.get(piece) or t.han_places[piece]).split(), "Latin", t, notes)
                default.extend(toks)
                trade.extend(toks)
    return default, (trade if used_trade else [])


def cjk_person_readings(original: str, cleaned: str, t: Tables) -> list[NormalizedName]:
    """Japanese and Korean readings of a short name in Chinese characters (山田太郎 -> "Yamada Taro",
    金正恩 -> "Kim Jong Un"), when the optional ``pykakasi`` / ``hanja`` packages are installed
    (``pip install chipscreen[cjk]``). Only for person-like names: up to six characters, no legal form and
    no organisation word, so that company names keep their Chinese (pinyin) reading alone."""
    han_runs = [m.group(0) for m in HAN_RUN.finditer(cleaned)]
    han_chars = sum(len(r) for r in han_runs)
    has_kana = bool(KANA.search(cleaned))
    # a Japanese or Korean name in characters is written as one run (山田太郎, 金正恩) or with kana; single
    # characters separated by spaces are how Chinese given and family names are listed
    fewest, most = _PERSON_HAN_CHARS
    if not fewest <= han_chars <= most or (not has_kana and (len(han_runs) != 1 or len(cleaned.split()) != 1)):
        return []
    out: list[NormalizedName] = []
    japanese = _japanese_reading(original, cleaned, t)
    if japanese is not None:
        out.append(japanese)
    korean = None if has_kana else _korean_reading(original, cleaned, t)
    if korean is not None:
        out.append(korean)
    return out


def _japanese_reading(original: str, cleaned: str, t: Tables) -> NormalizedName | None:
    kakasi = kakasi_converter()
    if kakasi is None:
        return None
    words = [w["hepburn"] for w in kakasi.convert(cleaned) if w.get("hepburn", "").strip()]
    toks = []
    for w in " ".join(words).split():
        w = re.sub(r"[^a-z]", "", w.lower()).replace("ou", "o").replace("uu", "u")
        if w:
            toks.append(_reading_token(w, "Japanese", t))
    if len(toks) < _MIN_READING_WORDS:
        return None
    return named(original, toks, [], ("Japanese reading (pykakasi)",), "Japanese reading")


def _korean_reading(original: str, cleaned: str, t: Tables) -> NormalizedName | None:
    hanja = hanja_converter()
    if hanja is None:
        return None
    # the surname 金 reads 김 (Kim), not 금 (gold)
    hangul = " ".join(("김" + hanja.translate(p[1:], "substitution")) if p.startswith("金")
                      else hanja.translate(p, "substitution") for p in cleaned.split())
    toks = []
    for w in hangul.split():
        for piece in ascii_text(w).lower().replace("-", " ").split():
            toks.append(_reading_token(piece, "Hangul", t))
    if len(toks) < _MIN_READING_WORDS:
        return None
    return named(original, toks, [], ("Korean reading (hanja)",), "Korean reading")


def _reading_token(text: str, script: str, t: Tables) -> Token:
    """A syllable group of a Japanese or Korean reading: always a name part (never a legal form or a stop
    word, whatever it spells in Latin: "sa", "de")."""
    role = "initial" if len(text) == 1 else "distinctive"
    return Token(text, text, role, t.weights["initial" if role == "initial" else "distinctive"], script)


@lru_cache(maxsize=1)
def kakasi_converter() -> Any:
    """pykakasi's converter, or None where the optional package is not installed."""
    try:
        import pykakasi
    except ImportError:
        return None
    make: Callable[[], Any] = pykakasi.kakasi  # the package has no type hints
    return make()


@lru_cache(maxsize=1)
def hanja_converter() -> Any:
    """The ``hanja`` module, or None where the optional package is not installed."""
    try:
        import hanja
    except ImportError:
        return None
    return hanja
