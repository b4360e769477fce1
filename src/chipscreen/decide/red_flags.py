"""BIS's "Know Your Customer" red flags (Supp. No. 3 to part 732) that a transaction's own facts show.

A red flag needs no licence; it obliges the exporter to inquire before going on. Only a flag whose trigger
is a fact the Transaction carries is raised (``data/decide/red_flags.yaml``): a freight forwarder named as
the final destination is visible in the parties; "no web presence" is not, and is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chipscreen.decide.shipment import Shipment
from chipscreen.errors import DataError
from chipscreen.model import Flag
from chipscreen.paths import data_dir, parsed_file

__all__ = ["ForwarderFlag", "red_flag_rules", "red_flags"]


@dataclass(frozen=True)
class ForwarderFlag:
    title: str
    citation: str
    verified: bool
    roles: frozenset[str]
    pattern: re.Pattern[str]
    controlled_only: bool


def _parse(raw: Any, where: str) -> ForwarderFlag:
    try:
        r = raw["forwarder_final_destination"]
        words = [re.escape(str(w)) for w in r["words"]]
        if not words:
            raise DataError(where, "forwarder_final_destination.words", "at least one word is required")
        return ForwarderFlag(
            title=str(r["title"]),
            citation=str(r["citation"]),
            verified=bool(r["verified"]),
            roles=frozenset(str(x) for x in r["roles"]),
            pattern=re.compile(rf"\b({'|'.join(words)})\b", re.IGNORECASE),
            controlled_only=bool(r["controlled_only"]),
        )
    except (KeyError, TypeError) as exc:
        raise DataError(where, None, f"missing or malformed key {exc}") from None


_load = parsed_file(_parse)


def red_flag_rules(path: Path | None = None) -> ForwarderFlag:
    return _load(path or data_dir() / "decide" / "red_flags.yaml")


def red_flags(sh: Shipment, rules: ForwarderFlag | None = None) -> list[Flag]:
    """The red flags the shipment's parties show (each with the words of the name that raised it)."""
    r = rules or red_flag_rules()
    if not sh.moves or (r.controlled_only and not sh.cls.controlled):
        return []
    out: list[Flag] = []
    for party in sh.tx.parties:
        if party.role not in r.roles:
            continue
        words = sorted({m.group(0).lower() for m in r.pattern.finditer(party.name)})
        if words:
            out.append(
                Flag(
                    code="red_flag",
                    party=party.name,
                    detail=f"{r.title}: {party.role} {party.name!r} is named as a forwarding or logistics firm "
                    f"({', '.join(words)}); ask who the real end user is",
                    evidence={
                        "red_flag": "forwarder_final_destination",
                        "words": words,
                        "citation": r.citation,
                        "verified": r.verified,
                    },
                )
            )
    return out
