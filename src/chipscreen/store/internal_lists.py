"""Internal lists kept side by side: ``lists load FILE --list NAME`` loads a parties CSV as the list NAME.

A parties CSV is the list ``PARTIES`` unless named, so a second company deny list used to replace the first.
Naming it gives it its own list code, entity ids derived from that code (so ``lists diff`` follows its entries),
and the same newest-wins and shrink rules as any list. A name the store takes from a government list file (EL,
SDN...) is refused: an internal file must never replace a government list.
"""

from __future__ import annotations

import re
from dataclasses import replace

from chipscreen.errors import InputError
from chipscreen.sources.base import Entry, ParsedDataset, entity_id
from chipscreen.store import Store

INTERNAL_FORMAT = "parties-csv"  # the one format whose list the user names
_NAME = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


def list_name(name: str) -> str:
    """The list code a user's ``--list`` value stands for: upper case letters, digits, ``-`` and ``_``."""
    code = name.strip().upper()
    if not _NAME.match(code):
        raise InputError(f"--list: {name!r} is not a list name (letters, digits, - and _, at most 32)")
    return code


def refuse_government_code(store: Store, code: str) -> None:
    """A name the latest snapshot takes from a file other than a parties CSV is a government list's."""
    snap = store.latest_snapshot()
    did = snap.lists.get(code) if snap else None
    if did is not None and store.dataset(did).format != INTERNAL_FORMAT:
        raise InputError(f"--list: {code} is a list loaded from {store.dataset(did).name}; "
                         "an internal list needs a name of its own")


def _renamed(entry: Entry, code: str) -> Entry:
    party, listing = entry.party, entry.listing
    pid = party.id if party.id.startswith("parties-") else entity_id(code, party.names[0].value, party.country)
    return Entry(party=party.model_copy(update={"id": pid}),
                 listing=listing.model_copy(update={"list_code": code, "party_id": pid}))


def as_internal_list(ds: ParsedDataset, code: str) -> ParsedDataset:
    """The parsed parties CSV as the list ``code``."""
    if ds.format != INTERNAL_FORMAT:
        raise InputError(f"{ds.path}: --list names an internal list; it applies to parties CSV files, "
                         f"not {ds.format}")
    return replace(ds, entries=[_renamed(e, code) for e in ds.entries])
