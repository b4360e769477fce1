"""Country names and codes as the lists write them, mapped to ISO 3166-1 alpha-2 with rigour's territory
database (the table OpenSanctions maintains), so that no country table is kept by hand here."""

from __future__ import annotations

from functools import lru_cache

from rigour.territories import lookup_territory


@lru_cache(maxsize=4096)
def to_iso2(text: str | None) -> str | None:
    """ "China" -> "CN", "Korea, North" -> "KP", "Hong Kong SAR" -> "HK"; None when unknown.

    Hong Kong stays HK here: treating it as China is a rule applied by the rulebooks' country groups
    (``data/country_groups.yaml``), not a fact about the address."""
    if not text:
        return None
    text = text.strip().strip(".")
    if not text:
        return None
    territory = lookup_territory(text)
    if territory is None:
        return None
    code = territory.code.split("-")[0]
    if len(code) != 2:
        return None
    return code.upper()


def is_iso2(code: str) -> bool:
    """True for a code rigour knows as a territory (used to reject "XX" in transactions)."""
    return len(code) == 2 and code.isalpha() and lookup_territory(code.lower()) is not None
