"""One HTTP download, done safely: conditional, bounded in time, retried, and checked before it is used.

The file goes to a temporary path beside the store (never over anything), its length is checked against the
server's Content-Length, and its SHA-256 is computed while it streams, so the caller can tell "same bytes
under a new ETag" from a real change without reading it again. A 304 answer means nothing is downloaded at
all. The standard library's client is used on purpose: it honours ``https_proxy`` / ``no_proxy`` like every
other tool on the machine, and a closed network's mirror is one more base URL (``catalog.mirror_base``).
"""

from __future__ import annotations

import contextlib
import hashlib
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chipscreen.errors import ChipscreenError
from chipscreen.updates.catalog import HttpSettings

CHUNK = 1 << 20
"""Bytes read per call while streaming a body to disk."""


class FetchError(ChipscreenError):
    """A download that failed or was refused; nothing was loaded."""


@dataclass(frozen=True)
class Fetched:
    """What one request found: ``changed`` False is a 304 (``path`` is then None)."""

    url: str
    changed: bool
    path: Path | None = None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    size: int = 0
    attempts: int = 1


class _Retry(Exception):
    """A failure worth another attempt (a 5xx, a timeout, a dropped connection)."""


def _request(url: str, settings: HttpSettings, etag: str | None, last_modified: str | None) -> urllib.request.Request:
    headers = {"User-Agent": settings.user_agent, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return urllib.request.Request(url, headers=headers)


def _download(url: str, settings: HttpSettings, etag: str | None, last_modified: str | None,
              target: Path) -> Fetched:
    """One attempt; raises ``_Retry`` for what another attempt may cure, ``FetchError`` for what it won't."""
    try:
        resp = urllib.request.urlopen(_request(url, settings, etag, last_modified), timeout=settings.timeout_seconds)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(url, changed=False, etag=etag, last_modified=last_modified)
        if exc.code >= 500 or exc.code == 429:
            raise _Retry(f"HTTP {exc.code} {exc.reason}") from None
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}; nothing was loaded") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _Retry(f"{type(reason).__name__}: {reason}" if str(reason) else type(reason).__name__) from None
    with resp:
        if resp.status == 304:
            return Fetched(url, changed=False, etag=etag, last_modified=last_modified)
        expected = resp.headers.get("Content-Length")
        digest, size = hashlib.sha256(), 0
        try:
            with target.open("wb") as out:
                while chunk := resp.read(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
        except (TimeoutError, ConnectionError, OSError) as exc:
            raise _Retry(f"the body stopped after {size:,} bytes ({type(exc).__name__})") from None
        if expected is not None and expected.isdigit() and int(expected) != size:
            raise _Retry(f"truncated body: {size:,} of the {int(expected):,} bytes announced (Content-Length)")
        if size == 0:
            raise FetchError(f"{url}: the server sent an empty body; nothing was loaded")
        return Fetched(url, True, target, resp.headers.get("ETag"), resp.headers.get("Last-Modified"),
                       digest.hexdigest(), size)


def fetch(url: str, target: Path, settings: HttpSettings, *, etag: str | None = None,
          last_modified: str | None = None, sleep: Callable[[float], None] = time.sleep) -> Fetched:
    """Download ``url`` to ``target`` unless the server says it has not changed since ``etag`` /
    ``last_modified``. Retries ``settings.attempts`` times with doubling waits; the last failure raises
    ``FetchError`` naming the URL, the attempts and the reason, and leaves no file at ``target``."""
    last = ""
    for attempt in range(1, settings.attempts + 1):
        try:
            got = _download(url, settings, etag, last_modified, target)
        except _Retry as exc:
            last = str(exc)
            with contextlib.suppress(OSError):
                target.unlink()
            if attempt < settings.attempts:
                sleep(settings.backoff_seconds * 2 ** (attempt - 1))
            continue
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()
            raise
        return Fetched(got.url, got.changed, got.path, got.etag, got.last_modified, got.sha256, got.size, attempt)
    raise FetchError(f"{url}: failed after {settings.attempts} attempt(s): {last}; nothing was loaded")
