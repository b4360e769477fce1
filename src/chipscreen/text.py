"""The one plain folding of free text for exact comparisons outside the names engine.

Exporter names in a rulebook's letters, name-only parties within one ownership file and the fields of two
versions of a list entry are compared as case-folded words separated by single spaces: punctuation and spacing
differ between a contract, a register and a list format, the words do not. The names engine has its own, much
richer normalisation (``chipscreen.names.normalize``) for scoring."""

from __future__ import annotations


def fold_words(text: str) -> str:
    """Case-folded letters and digits, every other run of characters one space ("ACME, Inc." -> "acme inc")."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split())
