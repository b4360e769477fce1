"""The name scorer's tuning constants, typed, from ``data/names/thresholds.yml``.

Every number that decides how alike two names are lives in that file, beside the case it encodes; this
module gives each a name and a type, so that the scorer, the pairing and the blocking index read one
value instead of restating it. A missing or mistyped key is a ``DataError`` naming the file and the key:
a bad edit to the data is reported where it was made, never as a traceback from deep in a comparison.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from chipscreen.errors import DataError
from chipscreen.paths import data_dir, read_yaml

THRESHOLDS_FILE = "thresholds.yml"


@dataclass(frozen=True, slots=True)
class Penalties:
    number_mismatch: float
    number_missing: float
    country_mismatch: float
    identifier_mismatch: float
    generic_only_cap: float
    contained_min_parts: int


@dataclass(frozen=True, slots=True)
class Bonuses:
    country_match: float


@dataclass(frozen=True, slots=True)
class TokenSimilarity:
    nickname: float
    romanisation: float


@dataclass(frozen=True, slots=True)
class KindRules:
    person_part_conflict: float
    person_part_alike: float
    part_core_min_chars: int
    part_core_share: float
    patronymic_reversed: float
    place_conflict: float
    org_extra_word_cap: float
    boilerplate: frozenset[str]
    cjk_common_name_cap: float
    nickname_cap: float
    weak_alias_cap: float
    cjk_short_name_chars: int
    org_legal_form_min_letters: int
    common_cjk_surnames: frozenset[str]


@dataclass(frozen=True, slots=True)
class Similarity:
    min_token: float
    initial: float
    latin_length_ratio: float
    doubled_letter: float
    short_word_chars: int
    short_word_min: float
    transliteration: float
    abjad_skeleton_min: float
    abjad_latin_min_chars: int
    thai_skeleton_min_chars: int
    korean_fold: float
    stem_min_chars: int
    stem_below: float
    stem_shared_chars: int
    stem_shared_share: float
    stem: float
    vowels_from: float
    vowels_length_diff: int
    vowels_only: float
    phonetic_from: float
    phonetic_min_chars: int
    phonetic: float
    joined_min: float
    joined_han_min: float


@dataclass(frozen=True, slots=True)
class Pairing:
    particle: float
    particle_max_chars: int
    particle_min_similarity: float
    truncated: float
    truncated_min_chars: int
    truncated_min_name_chars: int
    strong_pair: float
    full_name_pair: float
    contained_pair: float
    contained_mix: float
    legal_form_min_chars: int
    legal_form_similarity: float


@dataclass(frozen=True, slots=True)
class Acronym:
    long_chars: int
    long: float
    short: float
    word_min_chars: int
    max_chars: int
    differs_max_chars: int


@dataclass(frozen=True, slots=True)
class Blocking:
    deletion_min_chars: int
    two_deletions_min_chars: int
    affix_min_chars: int
    affix_chars: int
    key_min_chars: int
    acronym_min_chars: int
    identifier_min_chars: int


@dataclass(frozen=True, slots=True)
class Misspelt:
    one_edit_min_chars: int
    two_edits_min_chars: int
    first_letters_alike: frozenset[str]
    first_letter_typo_min_chars: int


@dataclass(frozen=True, slots=True)
class Partners:
    paired_min: float
    one_typo_min_chars: int
    two_typos_min_chars: int
    conflict_cap: float


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Every tuning constant of name scoring; see ``data/names/thresholds.yml`` for the case each encodes."""

    hit: float
    review: float
    penalties: Penalties
    bonuses: Bonuses
    token_similarity: TokenSimilarity
    kind_rules: KindRules
    similarity: Similarity
    pairing: Pairing
    acronym: Acronym
    blocking: Blocking
    misspelt: Misspelt
    partners: Partners


_T = TypeVar("_T")


def _value(kind: Any, raw: object, file: str, key: str) -> object:
    """``raw`` as a field of type ``kind`` (float, int or a set of words), or a DataError naming the key."""
    if raw is None:
        raise DataError(file, key, "missing")
    if kind is float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise DataError(file, key, f"expected a number, got {raw!r}")
        return float(raw)
    if kind is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise DataError(file, key, f"expected a whole number, got {raw!r}")
        return raw
    if not isinstance(raw, list) or not all(isinstance(w, str) for w in raw):
        raise DataError(file, key, f"expected a list of words, got {raw!r}")
    return frozenset(raw)


def _section(cls: type[_T], raw: object, file: str, where: str) -> _T:
    """One section of the file as ``cls``: every field present and of its type."""
    if not isinstance(raw, dict):
        raise DataError(file, where or None, "expected a mapping" if raw is not None else "missing")
    hints = typing.get_type_hints(cls)
    values: dict[str, object] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        key = f"{where}.{f.name}" if where else f.name
        kind = hints[f.name]
        if dataclasses.is_dataclass(kind):
            values[f.name] = _section(kind, raw.get(f.name), file, key)  # type: ignore[arg-type]
        else:
            values[f.name] = _value(kind, raw.get(f.name), file, key)
    return cls(**values)


def load_thresholds(path: Path) -> Thresholds:
    """Read and check one thresholds file (the shipped one is read once, by ``thresholds``)."""
    return _section(Thresholds, read_yaml(path), str(path), "")


@lru_cache(maxsize=1)
def thresholds() -> Thresholds:
    """The shipped thresholds, read once per process."""
    return load_thresholds(data_dir() / "names" / THRESHOLDS_FILE)
