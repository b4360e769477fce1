"""Where the shipped data lives (list snapshots, chip catalog, rulebooks, normalisation tables), and the
one reader of its YAML files."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from chipscreen.errors import DataError


def data_dir() -> Path:
    """The project's ``data/`` folder: ``$CHIPSCREEN_DATA`` when set, else the one beside ``src/``.

    chipscreen is installed from its checkout (``pip install -e .``, as the Makefile does), so the
    shipped data is read in place rather than copied into site-packages. Memoised per value of the
    variable: resolving the path costs more than a classification."""
    return _data_dir_for(os.environ.get("CHIPSCREEN_DATA"))


@lru_cache(maxsize=16)
def _data_dir_for(env: str | None) -> Path:
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data"


_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader (the same safe constructor, parsing in C: a tenth of the time of the first
query's YAML tables), or PyYAML's own where libyaml is not built."""


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; a missing file or a syntax error names the file (and line) instead of a traceback."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_SAFE_LOADER)
    except FileNotFoundError:
        raise DataError(str(path), None, "data file not found") from None
    except yaml.YAMLError as exc:
        raise DataError(str(path), None, f"invalid YAML: {exc}") from None
    except ValueError as exc:  # PyYAML's own date parsing: an impossible unquoted date such as 2025-15-05
        raise DataError(str(path), None, f"invalid value: {exc}") from None


_Table = TypeVar("_Table")


class DataTable(Generic[_Table]):
    """One shipped data table: ``parse`` (the file's YAML, and where it came from for errors) run once per path,
    so a table is read once per process however many decisions consult it. Called with no path it reads the
    shipped file, found under ``data_dir()`` at the call (``$CHIPSCREEN_DATA`` may change between calls)."""

    def __init__(self, parse: Callable[[Any, str], _Table], *default: str) -> None:
        self.default = default

        @lru_cache(maxsize=8)
        def load(path: Path) -> _Table:
            return parse(read_yaml(path), str(path))

        self._load = load

    def __call__(self, path: Path | None = None) -> _Table:
        return self._load(path or data_dir().joinpath(*self.default))

    def cache_clear(self) -> None:
        """Forget what was read (a benchmark measuring a reload, or a test that edits the file)."""
        self._load.cache_clear()


def parsed_file(parse: Callable[[Any, str], _Table], *default: str) -> DataTable[_Table]:
    """The ``DataTable`` of ``parse``, shipped as ``data/<default...>``."""
    return DataTable(parse, *default)
