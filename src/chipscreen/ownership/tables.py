"""Edge kinds of the ownership graph, and the legal-form words the name key drops.

The tables themselves and every statement on them are the store's (``chipscreen.store.ownership``); this
module makes the one ``OwnershipTables`` of a store with the engine's legal forms.
"""

from __future__ import annotations

import weakref

from chipscreen.errors import DataError
from chipscreen.names.legal_forms import ownership_legal_forms
from chipscreen.names.lexicon import LEGAL_FORMS_FILE, names_data_dir
from chipscreen.ownership.rows_cache import CachedOwnershipTables
from chipscreen.store import Store
from chipscreen.store.ownership import OwnershipTables


def _plain_words(forms: tuple[str, ...]) -> tuple[str, ...]:
    """The forms go into a SQL regular expression: only letters and digits may (no quote, no metacharacter)."""
    for form in forms:
        if not form or not all(ch.isalnum() for ch in form):
            raise DataError(str(names_data_dir() / LEGAL_FORMS_FILE), "forms", f"ownership form {form!r}: letters only")
    return forms


LEGAL_FORMS: tuple[str, ...] = _plain_words(ownership_legal_forms())
"""Words dropped from a name to make its exact-match key (``own_norm``): legal forms, and "the"
(``data/names/legal_forms.yml``, the entries marked ``ownership``)."""
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
REL_KINDS = (PARENT_DIRECT, PARENT_ULTIMATE, BRANCH, CONTROL, LINKED, AFFILIATE, OWNERSHIP)
"""Non-ownership edges carry their kind as an int8 index into this tuple."""


_BY_STORE: weakref.WeakKeyDictionary[Store, OwnershipTables] = weakref.WeakKeyDictionary()


def ownership_tables(store: Store) -> OwnershipTables:
    """The store's ``OwnershipTables``, made once per store: its ``own_norm`` macro drops ``LEGAL_FORMS``."""
    got = _BY_STORE.get(store)
    if got is None:
        got = _BY_STORE[store] = CachedOwnershipTables(store, LEGAL_FORMS_PATTERN)
    return got
