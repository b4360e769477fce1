"""Edge kinds of the ownership graph, and the legal-form words the name key drops.

The tables themselves and every statement on them are the store's (``chipscreen.store.ownership``).
"""

from __future__ import annotations

LEGAL_FORMS: tuple[str, ...] = (
    "co", "ltd", "limited", "llc", "inc", "incorporated", "corp", "corporation", "company", "gmbh", "ag", "sa",
    "plc", "jsc", "ojsc", "pjsc", "cjsc", "ooo", "zao", "oao", "pao", "ao", "bv", "nv", "pte", "pty", "srl",
    "spa", "kk", "lp", "llp", "the", "ооо", "оао", "зао", "пао", "ао", "тов",
)
"""Words dropped from a name to make its exact-match key (``own_norm``): legal forms, and "the"."""
LEGAL_FORMS_PATTERN = "|".join(LEGAL_FORMS)
"""``LEGAL_FORMS`` as a regular-expression alternation (the SQL macro and its Python twin share it)."""

# Edge kinds. Only OWNERSHIP edges carry shares into the 50% fixpoint; the others are relatives.
OWNERSHIP = "ownership"
PARENT_DIRECT = "parent_direct"  # GLEIF IS_DIRECTLY_CONSOLIDATED_BY, list-stated parent
PARENT_ULTIMATE = "parent_ultimate"  # GLEIF IS_ULTIMATELY_CONSOLIDATED_BY
BRANCH = "branch"  # GLEIF IS_INTERNATIONAL_BRANCH_OF (a branch is the entity itself: FAQ #45)
CONTROL = "control"  # BODS voting rights / board appointment: control, not ownership (BIS FAQ #43)
LINKED = "linked"  # OFAC "Linked To"
AFFILIATE = "affiliate"  # CSL "Affiliated Entity"
EDGE_KINDS = (OWNERSHIP, PARENT_DIRECT, PARENT_ULTIMATE, BRANCH, CONTROL, LINKED, AFFILIATE)
REL_KINDS = (PARENT_DIRECT, PARENT_ULTIMATE, BRANCH, CONTROL, LINKED, AFFILIATE, OWNERSHIP)
"""Non-ownership edges carry their kind as an int8 index into this tuple."""
