"""The reference tables of ``data/names``, read once into typed shapes.

Every reader of the names engine's data goes through ``load_table`` (one file) or ``tables()`` (the tables
the normaliser consults for every word), so that a malformed file is reported as a ``DataError`` naming
the file and key, and the index cache key can cover every file of ``data/names``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from chipscreen.errors import DataError
from chipscreen.paths import data_dir, read_yaml

ROLES = ("distinctive", "number", "initial", "patronymic", "place", "generic", "stop")
"""What a word of a name can be; each role has its weight under ``weights`` in ``data/names/thresholds.yml``."""

LEGAL_FORMS_FILE = "legal_forms.yml"


def names_data_dir() -> Path:
    return data_dir() / "names"


def load_table(name: str) -> Any:
    """One of the names engine's tables in ``data/names``."""
    return read_yaml(names_data_dir() / name)


@lru_cache(maxsize=1 << 16)
def alnum(text: str) -> str:
    """Lower-case letters and digits only ("S.C." -> "sc"). Remembered: scoring asks for the same few thousand
    words over and over (160 times per name forward-screened in a monitor run), and the cache's lookup costs a
    fifth of the regular expression's pass."""
    return _NON_ALNUM.sub("", text.lower())


_NON_ALNUM = re.compile(r"[^0-9a-z]")
_NON_KEY = re.compile(r"[^0-9a-z&+']")


def ascii_key(text: str) -> str:
    """The form a table's word is looked up under: lower case, letters, digits, "&", "+" and apostrophes."""
    return _NON_KEY.sub("", text.lower())


@dataclass(frozen=True)
class LegalForm:
    """One legal form of ``data/names/legal_forms.yml`` and the readers that use it (see that file)."""

    form: str
    standalone: bool = False
    glued: str | None = None
    ownership: bool = False
    han: bool = False


_LEGAL_FORM_KEYS = frozenset({"form", "standalone", "glued", "ownership", "han"})


@lru_cache(maxsize=1)
def legal_form_table() -> tuple[LegalForm, ...]:
    """Every legal form, in the file's order (the ownership normaliser's pattern keeps that order)."""
    path = str(names_data_dir() / LEGAL_FORMS_FILE)
    entries = section(load_table(LEGAL_FORMS_FILE), LEGAL_FORMS_FILE, "forms", list)
    out: list[LegalForm] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        key = f"forms[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("form"), str):
            raise DataError(path, key, "expected a mapping with a text 'form'")
        unknown = set(entry) - _LEGAL_FORM_KEYS
        if unknown:
            raise DataError(path, key, f"unknown attribute(s): {', '.join(sorted(unknown))}")
        form = entry["form"]
        if form in seen:
            raise DataError(path, key, f"{form!r} is listed twice")
        seen.add(form)
        glued = entry.get("glued")
        flags = {k: entry.get(k, False) for k in ("standalone", "ownership", "han")}
        if (glued is not None and not isinstance(glued, str)) or not all(isinstance(v, bool) for v in flags.values()):
            raise DataError(path, key, "'glued' is text; 'standalone', 'ownership' and 'han' are true or false")
        out.append(LegalForm(form, flags["standalone"], glued, flags["ownership"], flags["han"]))
    return tuple(out)


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
    patronymic_endings: tuple[str, ...]


def section(raw: Any, file: str, key: str, kind: type[dict[Any, Any]] | type[list[Any]]) -> Any:
    """The ``key`` section of table ``file`` (read as ``raw``), checked to be a mapping or a list: a
    ``DataError`` naming the file and key otherwise, rather than a traceback where the section is used."""
    value = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(value, kind):
        what = "a mapping" if kind is dict else "a list"
        raise DataError(str(names_data_dir() / file), key, f"expected {what}")
    return value


def word_list(raw: Any, file: str, key: str) -> list[str]:
    """The ``key`` list of words of table ``file``: a YAML reader turns unquoted "on", "no", "yes" into
    booleans, which would silently become the words "True" / "False"; a ``DataError`` says to quote them."""
    words: list[str] = section(raw, file, key, list)
    for i, w in enumerate(words):
        if not isinstance(w, str):
            raise DataError(str(names_data_dir() / file), f"{key}[{i}]",
                            f"expected a word, got {w!r} (quote words YAML reads as booleans or numbers)")
    return words


def positive_int(raw: Any, file: str, key: str) -> int:
    """The ``key`` count of table ``file`` (read as ``raw``), checked to be a positive integer (YAML's booleans
    are ints to Python, and are refused)."""
    n = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise DataError(str(names_data_dir() / file), key, "expected a positive integer")
    return n


@lru_cache(maxsize=1)
def tables() -> Tables:
    abbreviations = _abbreviations()
    places_raw: dict[str, list[str] | None] = section(load_table("places.yml"), "places.yml", "places", dict)
    han_places = {h: p for p, hans in places_raw.items() for h in (hans or [])}
    gen = load_table("generic_words.yml")
    cjk = load_table("cjk.yml")
    cjk_words: dict[str, str] = section(cjk, "cjk.yml", "words", dict)
    trade_names: dict[str, str] = section(cjk, "cjk.yml", "trade_names", dict)
    thr = load_table("thresholds.yml")
    weights: dict[str, float] = section(thr, "thresholds.yml", "weights", dict)
    for key in (*ROLES, "bracketed"):
        if not isinstance(weights.get(key), int | float):
            raise DataError(str(names_data_dir() / "thresholds.yml"), f"weights.{key}", "expected a number")
    person = load_table("person_names.yml")
    forms = legal_form_table()
    legal = frozenset(ascii_key(f.form) for f in forms if f.standalone)
    han_legal = [f.form for f in forms if f.han]
    return Tables(
        abbreviations=abbreviations,
        legal_words=legal,
        stop_words=frozenset(word_list(gen, "generic_words.yml", "stop")),
        generic_words=frozenset(abbreviations.get(w, w)
                                for w in word_list(gen, "generic_words.yml", "generic")) - legal,
        places=frozenset(places_raw),
        places_always=frozenset(p for p, hans in places_raw.items() if hans),
        han_places=han_places,
        # longest first, so that 股份有限公司 goes before the 有限公司 and 公司 inside it
        han_legal_forms=tuple(sorted(han_legal, key=len, reverse=True)),
        han_words={str(k): str(v) for k, v in cjk_words.items()},
        han_trade_names={str(k): str(v) for k, v in trade_names.items()},
        han_vocab=frozenset(han_places) | frozenset(str(k) for k in cjk_words) | frozenset(str(k) for k in trade_names),
        weights={k: float(v) for k, v in weights.items()},
        patronymic_endings=tuple(str(e) for e in section(person, "person_names.yml", "patronymic_endings", list)),
    )


def _abbreviations() -> dict[str, str]:
    """Every spelling of ``abbreviations.yml`` -> its comparison form ("intl" -> "international")."""
    raw = load_table("abbreviations.yml")
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise DataError(str(names_data_dir() / "abbreviations.yml"), None, "expected a mapping form -> spellings")
    return {ascii_key(str(v)): str(canon) for canon, variants in raw.items() for v in variants}
