"""Finding and reading the shipped data files (``data/`` at the top of the checkout).

The lead's ``chipscreen.paths.data_dir()`` is the single source of truth; the fallback keeps this
package importable on its own (``Path(__file__).parents[3] / "data"``) should that module move.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from chipscreen.errors import ChipscreenError


def data_dir() -> Path:
    """The top-level ``data/`` folder (``$CHIPSCREEN_DATA`` honoured through chipscreen.paths).

    Memoised per value of ``$CHIPSCREEN_DATA``: resolving the path costs more than a classification."""
    return _data_dir_for(os.environ.get("CHIPSCREEN_DATA"))


@lru_cache(maxsize=16)
def _data_dir_for(_env: str | None) -> Path:
    try:
        from chipscreen.paths import data_dir as project_data_dir
    except ImportError:  # pragma: no cover - only if the lead's module is renamed
        return Path(__file__).resolve().parents[3] / "data"
    return project_data_dir()


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; a syntax error names the file and line instead of a traceback."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise ChipscreenError(f"{path}: data file not found") from None
    except yaml.YAMLError as exc:
        raise ChipscreenError(f"{path}: invalid YAML: {exc}") from None


def as_date(value: Any, where: str) -> dt.date | None:
    """YAML gives dates as ``date`` objects when unquoted and as strings when quoted: accept both."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ChipscreenError(f"{where}: not an ISO date (YYYY-MM-DD): {value!r}") from None


def render_citation(cite: Any) -> str:
    """A citation mapping (``fr``, ``fr_doc``, ``cfr``, ``text``, ``confidence``) as one readable line."""
    if cite is None:
        return ""
    if isinstance(cite, str):
        return cite
    parts: list[str] = []
    if cite.get("fr"):
        parts.append(str(cite["fr"]) + (f" (FR Doc {cite['fr_doc']})" if cite.get("fr_doc") else ""))
    elif cite.get("fr_doc"):
        parts.append(f"FR Doc {cite['fr_doc']}")
    for key in ("cfr", "text"):
        if cite.get(key):
            parts.append(str(cite[key]))
    out = "; ".join(parts)
    if cite.get("confidence"):
        out += f" [{cite['confidence']}]"
    return out
