"""rigour's territory lookup, answered from a precomputed copy of its name table.

``rigour.territories.lookup_territory`` builds its table of territory names (29,000 normalisations, three
seconds or more) on its first call: a one-name ``chipscreen screen`` paid it on every run, and so did a
``lists diff`` or a ``monitor run`` on the first address whose last part is a place ("..., Ramallah"), which
``countries`` reads to tell a country from a place (the names engine reads places in names). The table is
data that changes only with rigour, so ``tools/make_territory_names.py`` writes it once to
``data/names/territory_names.json`` with the rigour version it came from; this module answers exactly as
``lookup_territory`` does (codes first, then the normalised name) from that copy while that version is the
one installed, and asks rigour itself otherwise (slower, never different).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.metadata import version

from chipscreen.errors import DataError
from chipscreen.paths import data_dir

__all__ = ["TABLE_PATH", "lookup_code"]

TABLE_PATH = data_dir() / "names" / "territory_names.json"


@lru_cache(maxsize=1)
def _shipped_names() -> dict[str, str] | None:
    """The shipped table (normalised name -> territory code), or None when it was made from another
    rigour than the one installed."""
    try:
        doc = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
        made_by, names = str(doc["rigour"]), doc["names"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(str(TABLE_PATH), str(exc), "missing or malformed; run tools/make_territory_names.py") \
            from None
    if made_by != version("rigour") or not isinstance(names, dict):
        return None
    return {str(k): str(v) for k, v in names.items()}


def lookup_code(text: str) -> str | None:
    """The code of the territory ``text`` names (a code, QID or name), as ``lookup_territory(text)``."""
    from rigour.territories import lookup_by_identifier, lookup_territory
    from rigour.territories.util import normalize_territory_name

    names = _shipped_names()
    if names is None:
        found = lookup_territory(text)
        return found.code if found is not None else None
    by_id = lookup_by_identifier(text)
    if by_id is not None:
        return by_id.code
    return names.get(normalize_territory_name(text))
