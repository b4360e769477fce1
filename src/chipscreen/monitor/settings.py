"""The monitor's tuning, from ``data/monitor.yaml`` (each value explained there)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from chipscreen.errors import DataError
from chipscreen.paths import data_dir, read_yaml


@dataclass(frozen=True)
class MonitorSettings:
    bound_margin: float
    candidate_limit: int


@lru_cache(maxsize=1)
def settings() -> MonitorSettings:
    path = data_dir() / "monitor.yaml"
    doc = read_yaml(path)
    rev = doc.get("reverse") if isinstance(doc, dict) else None
    if not isinstance(rev, dict):
        raise DataError(str(path), "reverse", "expected bound_margin and candidate_limit")
    margin, limit = rev.get("bound_margin"), rev.get("candidate_limit")
    if isinstance(margin, bool) or not isinstance(margin, int | float) or not 0 <= margin < 1:
        raise DataError(str(path), "reverse.bound_margin", f"expected a number in [0, 1), got {margin!r}")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise DataError(str(path), "reverse.candidate_limit", f"expected a whole number >= 1, got {limit!r}")
    return MonitorSettings(float(margin), limit)
