"""Place names in names: in an organisation's name a country, region or city says where, not who
("Banco Santander Mexico", "Huawei Technologies (Shenzhen)"), so it weighs little and every spelling of a
country is read as one ("U.S." / "USA" / "United States" -> US)."""

from __future__ import annotations

from functools import lru_cache

from chipscreen.names.lexicon import Tables
from chipscreen.names.numbers import join_numbers
from chipscreen.names.tokens import Token
from chipscreen.territories import lookup_code

__all__ = ["is_country_word", "join_places", "territories_as_places", "territory_code"]

_MIN_TERRITORY_WORD = 4
"""Shorter words that rigour reads as territories ("uk", "usa") are places only where places.yml says so:
as words they are too often something else ("CAT", "ARM")."""


@lru_cache(maxsize=50_000)
def territory_code(word: str) -> str | None:
    """The ISO code of the country or region a word names ("mexico" -> "mx", "beijing" -> "cn-bj", "uk"
    -> "gb"), from rigour's territory table (its precomputed copy: ``chipscreen.territories``);
    rigour's pseudo-territory "Global" (zz) is a word, not a place."""
    if len(word) < 2 or not word.replace(" ", "").isalpha():
        return None
    code = lookup_code(word)
    return code if code != "zz" else None


def _is_territory(word: str) -> bool:
    return len(word) >= _MIN_TERRITORY_WORD and territory_code(word) is not None


def is_country_word(word: str) -> bool:
    """A word that names a country ("Mexico", "Norge", "Deutschland", "UK"; not a province or city such as
    "Beijing"): in an organisation's name it marks a national subsidiary or branch ("Banco Santander
    Mexico"). Asked only of words already read as places."""
    if len(word) == 2 and word.isupper():
        return True  # already a country's comparison form (see territories_as_places)
    code = territory_code(word)
    return code is not None and len(code) == 2


def territories_as_places(tokens: list[Token], t: Tables, org_like: bool) -> list[Token]:
    """In an organisation's name a country or region name ("Schweiz", "Mexico") says where, not who. In a
    person's name the same word is often a given name ("Georgia", "Jordan"), so it stays distinctive."""
    if not org_like:
        return tokens
    w = t.weights["place"]
    out: list[Token] = []
    for tok in tokens:
        if tok.role == "distinctive" and (tok.text in t.places or _is_territory(tok.text)):
            tok = Token(tok.text, tok.raw, "place", w * (tok.weight if tok.weight < 1 else 1.0), tok.script)
        if tok.role == "place":
            # one spelling per country, its ISO code in capitals, which no other (lower-case) word can
            # equal: "U.S." / "USA" / "United States" -> US, "Norge" / "Norway" -> NO; cities keep theirs
            code = territory_code(tok.text) or (territory_code(tok.raw) if " " in tok.raw else None)
            if code is not None and len(code) == 2:
                tok = Token(code.upper(), tok.raw, "place", tok.weight, tok.script)
        out.append(tok)
    return out


def join_places(tokens: list[Token], t: Tables) -> list[Token]:
    """Numbers written in two words joined first ("forty four" -> "44", see ``join_numbers``), then place
    names written in two words: "hong kong" -> "hongkong", "xi an" -> "xian"."""
    tokens = join_numbers(tokens)
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens):
            joined = tokens[i].text + tokens[i + 1].text
            if joined in t.places and tokens[i].role != "place" and len(tokens[i].text) > 1:
                w = t.weights["place"]
                out.append(Token(joined, tokens[i].raw + " " + tokens[i + 1].raw, "place", w, tokens[i].script))
                i += 2
                continue
        out.append(tokens[i])
        i += 1
    return out
