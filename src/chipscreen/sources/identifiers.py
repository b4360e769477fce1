"""Identifier type labels as OFAC and the CSL write them, mapped to the schemes screening compares.

Only registry identifiers of organisations and vessels are decisive in screening; personal documents are
kept under their own scheme so that nothing the list states is lost."""

from __future__ import annotations

import re

_SCHEMES: tuple[tuple[str, str], ...] = (
    (r"unified social credit code|\buscc\b", "uscc"),
    (r"legal entity (number|identifier)|\blei\b", "lei"),
    (r"\bisin\b", "isin"),
    (r"\bimo\b|vessel registration identification", "imo"),
    (r"swift|\bbic\b", "swift"),
    (r"tax id|\binn\b|\bkpp\b|\bvat\b|\bnit\b|\brfc\b|\bruc\b", "tax"),
    (
        r"registration (number|id)|c\.?r\.? no|company number|business registration|commercial registry|"
        r"\bogrn\b|\bokpo\b|registered charity",
        "registration",
    ),
    (r"passport", "passport"),
    (r"national id|cedula|\bcurp\b|identification number|personal id", "national_id"),
)

_NOT_IDS = re.compile(r"date|gender|sanctions|nationality|website|email|phone|address|title|program|alt\.", re.I)


def scheme_for(label: str) -> str | None:
    """ "Unified Social Credit Code (USCC)" -> "uscc"; labels that are not identifiers -> None."""
    label = label.strip()
    if not label or _NOT_IDS.search(label):
        return None
    low = label.lower()
    for pattern, scheme in _SCHEMES:
        if re.search(pattern, low):
            return scheme
    return None
