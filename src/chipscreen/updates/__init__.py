"""Keeping the lists current: ``chipscreen lists update`` fetches the official publications of
``data/sources.yaml`` and loads what changed as a new snapshot.

``catalog`` reads the sources file, ``fetch`` is the HTTP client (timeouts, retries with backoff, conditional
GET, length check, mirror base), ``state`` remembers per source what the last fetch saw (ETag, Last-Modified,
content hash) in the store, and ``update`` puts them together: nothing is parsed when nothing changed, and
nothing is written unless every fetched file parsed and the shrink guard let the new lists through.
"""

from __future__ import annotations

from chipscreen.updates.catalog import HttpSettings, Source, read_catalog
from chipscreen.updates.fetch import Fetched, FetchError, fetch
from chipscreen.updates.update import SourceOutcome, UpdateResult, update

__all__ = [
    "FetchError",
    "Fetched",
    "HttpSettings",
    "Source",
    "SourceOutcome",
    "UpdateResult",
    "fetch",
    "read_catalog",
    "update",
]
