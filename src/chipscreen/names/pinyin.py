"""Hanyu Pinyin of a Chinese registered name, read as what its words mean.

"Shenzhen Dajiang Chuangxin Keji Youxian Gongsi" is 深圳市大疆创新科技有限公司 in Pinyin, SZ DJI Technology
Co., Ltd. on the lists: "Keji" is "technology" and "Youxian Gongsi" a legal form. Read as distinctive words
they find no partner and the party is lost. ``data/names/pinyin_words.yml`` gives the Pinyin of the
organisation words and legal forms; a run of one to four words whose letters, joined, are a key there is
read as that word, so syllables may be written joined or split ("Youxian Gongsi", "You Xian Gong Si").
"""

from __future__ import annotations

from functools import lru_cache

from chipscreen.names.lexicon import Tables, load_table, section
from chipscreen.names.tokens import Token
from chipscreen.names.words import role_of

__all__ = ["drop_written_twice", "pinyin_table", "read_pinyin"]

PINYIN_FILE = "pinyin_words.yml"
_MAX_RUN = 4
"""Words a Pinyin key may be split into ("You Xian Zeren Gongsi")."""
_LEGAL = ""


@lru_cache(maxsize=1)
def pinyin_table() -> dict[str, str]:
    """Joined Pinyin -> comparison form(s), or "" for a legal form."""
    raw = load_table(PINYIN_FILE)
    words: dict[str, str] = {str(k): str(v) for k, v in section(raw, PINYIN_FILE, "words", dict).items()}
    words.update((str(f), _LEGAL) for f in section(raw, PINYIN_FILE, "legal_forms", list))
    return words


def read_pinyin(tokens: list[Token], t: Tables, notes: list[str], legal: list[str]) -> list[Token]:
    """``tokens`` with each Pinyin organisation word read as its meaning and each Pinyin legal form
    dropped into ``legal``."""
    table = pinyin_table()
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        hit = _run_at(tokens, i, table)
        if hit is None:
            out.append(tokens[i])
            i += 1
            continue
        n, reading = hit
        raw = " ".join(tok.raw for tok in tokens[i : i + n])
        if reading == _LEGAL:
            legal.append(raw)
            notes.append(f"Pinyin legal form {raw!r} removed")
        else:
            factor = tokens[i].weight / t.weights[tokens[i].role]
            for word in reading.split():
                role = role_of(word, t)
                out.append(Token(word, raw, role, t.weights[role] * factor, "Latin"))
            notes.append(f"Pinyin {raw!r} read as {reading!r}")
        i += n
    return out


def _run_at(tokens: list[Token], i: int, table: dict[str, str]) -> tuple[int, str] | None:
    """The longest run of Latin words from ``i`` whose joined letters are a Pinyin key."""
    for n in range(min(_MAX_RUN, len(tokens) - i), 0, -1):
        run = tokens[i : i + n]
        if any(tok.script != "Latin" or tok.role in ("number", "generic") for tok in run):
            continue
        joined = "".join(tok.text for tok in run)
        if joined in table:
            return n, table[joined]
    return None


_MIN_TWICE_CHARS = 4
"""Letters of the shortest name that counts as written twice ("Hua Wei Huawei"); shorter runs of syllables
("Li Li") are a person's name."""


def drop_written_twice(tokens: list[Token], notes: list[str]) -> list[Token]:
    """A name written twice side by side, in syllables and joined ("Huawei Hua Wei"), or in characters and
    Latin letters ("华为 Huawei", whose characters read "hua wei"), is one name: the syllables are dropped."""
    for i, tok in enumerate(tokens):
        if len(tok.text) < _MIN_TWICE_CHARS or tok.role not in ("distinctive", "place"):
            continue
        for n in range(2, _MAX_RUN + 1):
            for start in (i + 1, i - n):
                run = tokens[start : start + n] if start >= 0 else []
                if len(run) == n and "".join(x.text for x in run) == tok.text:
                    notes.append(f"{' '.join(x.raw for x in run)!r} is {tok.raw!r} written again; counted once")
                    return [*tokens[:start], *tokens[start + n :]]
    return tokens
