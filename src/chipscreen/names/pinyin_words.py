"""A name in Chinese characters written out in Hanyu Pinyin the way customer records write it: one Latin word
per Chinese word, syllables joined ("深圳市大疆创新科技有限公司" -> "Shenzhen Dajiang Chuangxin Keji Youxian Gongsi").

The Han reading of the normaliser (``han.py``) compares a name in characters with Latin names; this module gives
the other direction: the Pinyin spelling of a listed Chinese name is indexed as one more alias, so that a query
typed in Pinyin pairs word for word with it. Words are cut where the names tables know a word (``cjk.yml``
words and trade names, ``places.yml``, the Chinese legal forms of ``legal_forms.yml``, and the words of
``pinyin_cuts.yml``, which only says where to cut); a word of one character is not a cut (新, 云 are as often
part of a longer word). A known word of four or
more characters is written as two-character words (有限公司 -> "Youxian Gongsi", 集成电路 -> "Jicheng Dianlu"),
as Pinyin writers do; characters no table knows are grouped in twos (大疆创新 -> "Dajiang Chuangxin"), a
three-character rest staying one word (寒武纪 -> "Hanwuji"). An ordinal (第十四) is written as its number
("14"), so that the numbers rule of the scorer tells CETC's 13th and 14th institutes apart.
"""

from __future__ import annotations

import re
from functools import lru_cache

from chipscreen.errors import DataError
from chipscreen.names.han import HAN_VOCAB_MAX, name_pinyin
from chipscreen.names.lexicon import Tables, load_table, names_data_dir, tables
from chipscreen.names.scripts import HAN_RUN

__all__ = ["WORDS_FILE", "han_numeral_value", "pinyin_name", "segmentation_words"]

_NUMERALS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ORDINAL = re.compile("第([零〇○一二两三四五六七八九十百千]+|[0-9]+)")
_PLACE_SUFFIXES = ("市", "省")
"""A place's administrative suffix, left out of its Pinyin ("深圳市" -> "Shenzhen"): records drop it."""
_SPLIT_FROM = 4
"""A known word this long or longer is written as two-character words."""
WORDS_FILE = "pinyin_cuts.yml"


def han_numeral_value(text: str) -> int | None:
    """The value of a number in Chinese numerals (十四 -> 14, 二十八 -> 28, 七〇二 -> 702), None if malformed."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _NUMERALS and c not in _UNITS for c in text):
        return None
    if not any(c in _UNITS for c in text):  # digit by digit: 七〇二, 六二五
        return int("".join(str(_NUMERALS[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in _NUMERALS:
            digit = _NUMERALS[c]
        else:
            total += (1 if digit is None else digit) * _UNITS[c]
            digit = None
    return total + (digit or 0)


def _word(chars: str) -> str:
    return "".join(name_pinyin(chars)).capitalize()


def _pairs(chars: str) -> list[str]:
    """Characters grouped in twos; an odd length keeps its last three together."""
    if len(chars) <= 3:
        return [_word(chars)] if chars else []
    return [_word(chars[:2]), *_pairs(chars[2:])]


def segmentation_words() -> frozenset[str]:
    """The words of ``pinyin_cuts.yml``; a ``DataError`` naming the file and entry if one is not Chinese."""
    raw = load_table(WORDS_FILE)
    words = raw.get("words") if isinstance(raw, dict) else None
    if not isinstance(words, list):
        raise DataError(str(names_data_dir() / WORDS_FILE), "words", "expected a list of Chinese words")
    for i, w in enumerate(words):
        if not isinstance(w, str) or HAN_RUN.fullmatch(w) is None or len(w) > HAN_VOCAB_MAX:
            raise DataError(str(names_data_dir() / WORDS_FILE), f"words[{i}]",
                            f"expected a word of 2 to {HAN_VOCAB_MAX} Chinese characters, got {w!r}")
    return frozenset(words)


@lru_cache(maxsize=1)
def _vocab() -> tuple[frozenset[str], frozenset[str]]:
    """Every Han word of two or more characters the tables know (legal forms included), and the places."""
    t: Tables = tables()
    every = t.han_vocab | frozenset(t.han_legal_forms) | segmentation_words()
    return frozenset(w for w in every if len(w) > 1), frozenset(t.han_places)


def _known_at(run: str, i: int, vocab: frozenset[str]) -> str | None:
    for j in range(min(len(run), i + HAN_VOCAB_MAX), i, -1):
        if run[i:j] in vocab:
            return run[i:j]
    return None


def _run_words(run: str) -> list[str]:
    """The Pinyin words of one run of Han characters."""
    vocab, places = _vocab()
    words: list[str] = []
    unknown = ""
    i = 0
    while i < len(run):
        ordinal = _ORDINAL.match(run, i)
        known = None if ordinal else _known_at(run, i, vocab)
        if ordinal is None and known is None:
            unknown += run[i]
            i += 1
            continue
        words.extend(_pairs(unknown))
        unknown = ""
        if ordinal is not None:
            value = han_numeral_value(ordinal.group(1))
            words.append(str(value) if value is not None else _word(ordinal.group(0)))
            i = ordinal.end()
        elif known is not None:
            if known in places and len(known) > 2 and known.endswith(_PLACE_SUFFIXES):
                words.append(_word(known[:-1]))
            elif len(known) >= _SPLIT_FROM:
                words.extend(_pairs(known))
            else:
                words.append(_word(known))
            i += len(known)
    words.extend(_pairs(unknown))
    return words


def pinyin_name(name: str) -> str | None:
    """``name`` with every run of Chinese characters written in Pinyin words; other text (Latin words, digits)
    is kept, brackets become spaces. None when the name has no Chinese characters."""
    if not HAN_RUN.search(name):
        return None
    parts: list[str] = []
    pos = 0
    for m in HAN_RUN.finditer(name):
        parts.append(name[pos:m.start()])
        parts.append(" " + " ".join(_run_words(m.group(0))) + " ")
        pos = m.end()
    parts.append(name[pos:])
    text = re.sub(r"[()（）【】\[\]「」]", " ", "".join(parts))
    return " ".join(text.split()) or None
