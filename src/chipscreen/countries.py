"""Country names and codes as the lists write them, mapped to ISO 3166-1 alpha-2 with rigour's territory
database (the table OpenSanctions maintains), so that no country table is kept by hand here."""

from __future__ import annotations

from functools import lru_cache

from rigour.territories import get_territory
from rigour.territories.territory import Territory

from chipscreen.territories import lookup_code


def territory_named(text: str) -> Territory | None:
    """``rigour.territories.lookup_territory(text)``, from the shipped copy of its name table
    (``chipscreen.territories``): rigour builds its own on its first call, 1.5 s of the first address a
    ``lists diff`` reads."""
    code = lookup_code(text)
    return get_territory(code) if code is not None else None


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
    territory = territory_named(text)
    if territory is None:
        return None
    code = territory.code.split("-")[0]
    if len(code) != 2:
        return None
    return code.upper()


def country_named(text: str | None) -> str | None:
    """The ISO code when ``text`` names a country itself ("China", "CN"), None for anything else, a region
    of one included ("Beijing", which ``to_iso2`` places in CN): the last part of an address is its country
    only when it names one."""
    territory = territory_named(text.strip().strip(".")) if text and text.strip().strip(".") else None
    if territory is None or "-" in territory.code:
        return None
    return to_iso2(text)


def is_iso2(code: str) -> bool:
    """True for a code rigour knows as a territory (used to reject "XX" in transactions)."""
    return len(code) == 2 and code.isalpha() and territory_named(code.lower()) is not None


# ISO 3166-1 section 8.1.3: codes left to users (AA, QM-QZ, XA-XZ, ZZ); rigour knows some of them (XK for
# Kosovo, ZZ for "unknown"), but none is a country a shipment can go to.
USER_ASSIGNED = frozenset(
    {"AA", "ZZ", *(f"Q{c}" for c in "MNOPQRSTUVWXYZ"), *(f"X{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
)


def iso3166_problem(code: str) -> str | None:
    """Why ``code`` is not an officially assigned ISO 3166-1 alpha-2 code (None when it is one).

    Regional and reserved codes (EU, UN), user-assigned codes (ZZ, XK) and codes of countries that no
    longer exist (SU, YU) are refused: no rule's country group can place them, so a destination written
    with one would be cleared."""
    upper = code.strip().upper()
    if len(upper) != 2 or not upper.isalpha():
        return "expected two letters"
    if upper in USER_ASSIGNED:
        return "a user-assigned code, not a country"
    territory = territory_named(upper.lower())
    if territory is None:
        return "no such country"
    if territory.code != upper.lower():
        return f"a reserved code; the country's code is {territory.code.upper()}" if len(territory.code) == 2 \
            else "a code of a country that no longer exists"
    if territory.alpha3 is None:
        return "a regional or organisation code, not a country"
    if territory.is_historical:
        return "a code of a country that no longer exists"
    return None
