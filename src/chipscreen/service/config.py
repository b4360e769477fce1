"""What a running service is configured with: where its home is, whether keys are required, and its limits.

The limits' defaults and the names the lists go by are data (``data/service/service.yml``); the command line
overrides the limits for one run."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from chipscreen.errors import DataError
from chipscreen.paths import data_dir, read_yaml

LIMIT_KEYS = ("max_body_bytes", "max_batch", "match_limit_default", "match_limit_max", "search_limit_max",
              "rate_per_minute", "reconcile_batch_size", "reload_seconds", "retire_seconds", "gc_slow_full_ms")


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int
    max_batch: int
    match_limit_default: int
    match_limit_max: int
    search_limit_max: int
    rate_per_minute: int
    reconcile_batch_size: int
    yente_threshold: float
    reload_seconds: int
    retire_seconds: int
    gc_slow_full_ms: int


@dataclass(frozen=True)
class Group:
    """A yente "dataset" that stands for several lists (``lists`` empty: every list of the snapshot)."""

    name: str
    title: str
    lists: tuple[str, ...]


@dataclass(frozen=True)
class ServiceData:
    limits: Limits
    titles: dict[str, str]
    groups: dict[str, Group]
    warm_names: tuple[str, ...] = ()  # screened once before the service is ready (state.py)
    audit_checkpoint_seconds: float = 0.0  # how often the audit log's thread checkpoints its WAL (audit.py)
    audit_wal_pages_ceiling: int = 1000  # WAL pages at which an append checkpoints after all (SQLite's 1000)


@dataclass
class ServiceConfig:
    """One run of the service. ``auth=False`` (``--no-auth``) serves without keys, for a laptop only."""

    home: Path
    auth: bool = True
    limits: Limits = field(default_factory=lambda: default_limits())


def default_limits() -> Limits:
    return service_data().limits


def service_file() -> Path:
    return data_dir() / "service" / "service.yml"


@lru_cache(maxsize=1)
def service_data() -> ServiceData:
    """``data/service/service.yml`` read once; a missing or mistyped key names the file and the key."""
    path = service_file()
    raw: Any = read_yaml(path)
    try:
        lim = raw["limits"]
        limits = Limits(**{k: int(lim[k]) for k in LIMIT_KEYS}, yente_threshold=float(lim["yente_threshold"]))
        titles = {str(k): str(v) for k, v in raw["titles"].items()}
        groups = {
            str(name): Group(str(name), str(spec["title"]), tuple(str(c) for c in spec.get("lists") or ()))
            for name, spec in raw["groups"].items()
        }
        warm_names = tuple(str(n) for n in raw["warm_names"])
        checkpoint = float(raw["audit"]["checkpoint_seconds"])
        ceiling = int(raw["audit"]["wal_pages_ceiling"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(str(path), None, f"bad service data: {exc!r}") from None
    if "default" not in groups:
        raise DataError(str(path), "groups.default", "the group of every list must be declared")
    if checkpoint < 0:
        raise DataError(str(path), "audit.checkpoint_seconds", "0 (SQLite's own policy) or a period in seconds")
    if ceiling < 1:
        raise DataError(str(path), "audit.wal_pages_ceiling", "a number of pages, at least 1")
    return ServiceData(limits, titles, groups, warm_names, checkpoint, ceiling)
