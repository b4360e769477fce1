"""The shapes normalisation produces: a ``Token`` per comparable word, a ``NormalizedName`` per reading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chipscreen.names.lexicon import ROLES, alnum
from chipscreen.names.scripts import CJK_CHAR
from chipscreen.names.thresholds import thresholds

__all__ = ["ROLES", "NormalizedName", "Token", "named"]


@dataclass(frozen=True, slots=True)
class Token:
    """One comparable word of a name."""

    text: str  # comparison form: lower-case ASCII, abbreviation expanded
    raw: str  # the word as folded from the input, before abbreviation expansion
    role: str  # one of ROLES
    weight: float
    script: str = "Latin"  # script the word was written in: Latin, Han, Arabic, Hangul, ...


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
    # the name reads as an organisation's: a descriptive (generic) word, or a legal form of
    # kind_rules.org_legal_form_min_letters letters (two-letter forms such as SE, SA are also name parts)
    org_like: bool = field(init=False, compare=False)
    acronym_word: str | None = field(init=False, compare=False)  # its one word, if that can be an acronym
    legal_words: frozenset[str] = field(init=False, compare=False)  # the words of its legal forms ("co", "ltd")

    def __post_init__(self) -> None:
        text = self.original
        cjk = () if text.isascii() else tuple(CJK_CHAR.findall(text))
        words = [t.text for t in self.tokens if t.role != "stop"]
        thr = thresholds()
        shortest, longest = thr.acronym.word_min_chars, thr.acronym.max_chars
        form_letters = thr.kind_rules.org_legal_form_min_letters
        object.__setattr__(self, "acronym_word", words[0] if len(words) == 1 and shortest <= len(words[0]) <= longest
                           and words[0].isalpha() else None)
        object.__setattr__(self, "legal_words", frozenset(
            w for form in self.legal_forms for w in (alnum(x) for x in form.split()) if w))
        object.__setattr__(self, "org_like", any(sum(ch.isalpha() for ch in f) >= form_letters
                                                 or _written_as_form(f, text) for f in self.legal_forms)
                           or any(t.role == "generic" for t in self.tokens))
        object.__setattr__(self, "total_weight", sum((t.weight for t in self.tokens), 0.0))
        object.__setattr__(self, "cjk_chars", cjk)
        object.__setattr__(self, "only_cjk", bool(cjk) and len(cjk) == sum(ch.isalnum() for ch in text))

    @property
    def display(self) -> str:
        return " ".join(t.text for t in self.tokens)

    @property
    def has_distinctive(self) -> bool:
        return any(t.role in ("distinctive", "number") for t in self.tokens)


def _written_as_form(form: str, original: str) -> bool:
    """A two-letter legal form written as no initials are: its letters split by a slash ("A/S"), or last,
    without dots, after a comma that follows two words or more ("Mendez Sweden, AB"); "S.A." or "AB" alone,
    and "Smith, AB", may be a person's initials."""
    letters = [ch for ch in form if ch.isalpha()]
    if len(letters) != 2:
        return False
    a, b = letters
    if re.search(rf"(?<![^\W\d_]){a}\s*/\s*{b}(?![^\W\d_])", original, re.IGNORECASE):
        return True
    head, comma, tail = original.rpartition(",")
    return bool(comma) and tail.strip().lower() == a + b and len(head.split()) >= 2


def named(original: str, tokens: list[Token], legal: list[str], notes: tuple[str, ...], reading: str) -> NormalizedName:
    """A reading of ``original`` from its tokens, legal forms (each once, in order) and notes."""
    numbers = frozenset(tok.text for tok in tokens if tok.role == "number")
    return NormalizedName(original, tuple(tokens), tuple(dict.fromkeys(legal)), notes, reading, numbers)
