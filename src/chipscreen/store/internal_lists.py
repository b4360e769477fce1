"""Internal lists kept side by side: ``lists load FILE --list NAME`` loads a parties CSV as the list NAME.

A parties CSV is the list ``PARTIES`` unless named, so a second company deny list used to replace the first.
Naming it gives it its own list code (the parties CSV reader takes it: ``parse_file(list_code=...)``), entity
ids derived from that code (so ``lists diff`` follows its entries),
and the same newest-wins and shrink rules as any list. A name the store takes from a government list file (EL,
SDN...) is refused: an internal file must never replace a government list.
"""

from __future__ import annotations

import re

from chipscreen.errors import InputError
from chipscreen.sources import parties_csv
from chipscreen.store import Store

INTERNAL_FORMAT = parties_csv.FORMAT  # the one format whose list the user names
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
