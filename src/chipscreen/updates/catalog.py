"""``data/sources.yaml``: the official list publications, where they are served, and how to fetch them.

Read into typed records so that a bad edit is a ``DataError`` naming the key, never a wrong request. A
mirror base (``--mirror``, ``CHIPSCREEN_MIRROR``) replaces each publisher's host for closed networks: the
files are then fetched as ``BASE/<file>``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chipscreen.errors import DataError, InputError
from chipscreen.paths import data_dir, read_yaml

MIRROR_ENV = "CHIPSCREEN_MIRROR"
"""Environment variable naming the mirror base when ``--mirror`` is not given."""


@dataclass(frozen=True)
class HttpSettings:
    timeout_seconds: float
    attempts: int
    backoff_seconds: float
    user_agent: str


@dataclass(frozen=True)
class Source:
    """One publication: its URL, the reader for it and the lists it supplies."""

    name: str
    url: str
    file: str
    format: str
    lists: tuple[str, ...]
    default: bool
    citation: str

    def location(self, mirror: str | None) -> str:
        """Where to fetch it: the publisher's URL, or ``mirror/file``."""
        return f"{mirror.rstrip('/')}/{self.file}" if mirror else self.url


@dataclass(frozen=True)
class Catalog:
    http: HttpSettings
    sources: dict[str, Source]

    def select(self, names: list[str] | None) -> list[Source]:
        """The named sources (default: those marked ``default``); an unknown name is an InputError."""
        if not names:
            return [s for s in self.sources.values() if s.default]
        unknown = [n for n in names if n not in self.sources]
        if unknown:
            raise InputError(f"--source: unknown source {', '.join(unknown)}; one of {', '.join(self.sources)}")
        return [self.sources[n] for n in dict.fromkeys(names)]


def mirror_base(option: str | None) -> str | None:
    """The mirror base: the option, else ``$CHIPSCREEN_MIRROR``, else none (the publishers' URLs)."""
    base = option or os.environ.get(MIRROR_ENV) or None
    if base is not None and not base.startswith(("http://", "https://")):
        raise InputError(f"--mirror: {base!r} is not an http:// or https:// URL")
    return base


def _text(path: Path, doc: dict[str, Any], key: str, field: str) -> str:
    value = doc.get(field)
    if not isinstance(value, str) or not value.strip():
        raise DataError(str(path), f"{key}.{field}", f"expected a text, got {value!r}")
    return value.strip()


def _number(path: Path, doc: dict[str, Any], field: str) -> float:
    value = doc.get(field)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise DataError(str(path), f"http.{field}", f"expected a number > 0, got {value!r}")
    return float(value)


def _source(path: Path, name: str, doc: Any) -> Source:
    key = f"sources.{name}"
    if not isinstance(doc, dict):
        raise DataError(str(path), key, "expected {url, file, format, lists, default, citation}")
    url = _text(path, doc, key, "url")
    if not url.startswith("https://"):
        raise DataError(str(path), f"{key}.url", "expected an https:// URL of the publisher")
    lists = doc.get("lists")
    if not isinstance(lists, list) or not lists or not all(isinstance(c, str) for c in lists):
        raise DataError(str(path), f"{key}.lists", "expected the list codes the source supplies")
    return Source(name, url, _text(path, doc, key, "file"), _text(path, doc, key, "format"), tuple(lists),
                  bool(doc.get("default", False)), _text(path, doc, key, "citation"))


def read_catalog(path: Path | None = None) -> Catalog:
    """The sources file (default the shipped ``data/sources.yaml``)."""
    path = path or data_dir() / "sources.yaml"
    doc = read_yaml(path)
    http, sources = (doc.get("http"), doc.get("sources")) if isinstance(doc, dict) else (None, None)
    if not isinstance(http, dict):
        raise DataError(str(path), "http", "expected timeout_seconds, attempts, backoff_seconds, user_agent")
    if not isinstance(sources, dict) or not sources:
        raise DataError(str(path), "sources", "expected one entry per publication")
    settings = HttpSettings(_number(path, http, "timeout_seconds"), int(_number(path, http, "attempts")),
                            _number(path, http, "backoff_seconds"), _text(path, http, "http", "user_agent"))
    return Catalog(settings, {str(n): _source(path, str(n), s) for n, s in sources.items()})
