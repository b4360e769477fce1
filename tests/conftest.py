"""Shared fixtures: the bundled snapshot is loaded once per test session into a temporary home."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chipscreen.bundled import open_store
from chipscreen.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def bundled_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("bundled-home")
    open_store(home).close()
    return home


@pytest.fixture(scope="session")
def bundled_store(bundled_home: Path) -> Iterator[Store]:
    """Read-mostly store with the bundled lists; tests that write must make their own."""
    store = open_store(bundled_home)
    yield store
    store.close()


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "home")
    yield store
    store.close()


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():  # the large fixtures are part of the test set-up: missing them is a failure
        pytest.fail(f"{SHARED} is not present: tests that read the shared fixtures need the checkout's ../shared")
    return SHARED


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``chipscreen ARGS`` through its real entry point (exit codes and error handling included)."""
    import sys

    from chipscreen.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        argv = sys.argv
        sys.argv = ["chipscreen", *args]
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        finally:
            sys.argv = argv
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def edited(tmp_path: Path) -> Callable[[Path, str, str], Path]:
    """A copy of a data file in the test's folder with the first ``old`` replaced by ``new``: the bad edit a
    user might make, the rest of the file as shipped. ``old`` must be in the file, so the edit cannot miss."""

    def edit(original: Path, old: str, new: str) -> Path:
        text = original.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {original}"
        copy = tmp_path / original.name
        copy.write_text(text.replace(old, new, 1), encoding="utf-8")
        return copy

    return edit
