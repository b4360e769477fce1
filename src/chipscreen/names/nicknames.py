"""English given names and their nicknames ("Ted" / "Theodore", "Bill" / "William"): a customer signs up
as "Ted", the list says "Theodore"."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["nickname_pairs", "nickname_partners", "nickname_words"]


@lru_cache(maxsize=1)
def nickname_pairs() -> frozenset[tuple[str, str]]:
    """English given names and their nicknames, both ways round ("ted" / "theodore", "bill" / "william"),
    from the hand-curated table of the ``nicknames`` package (carltonnorthern/nicknames, Apache-2.0),
    imported on first use."""
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
