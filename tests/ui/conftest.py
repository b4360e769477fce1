"""One desk server per session (tests/ui/desk_server.py) and, for the browser tests, Debian's Chromium driven
by Playwright. A missing browser or Playwright fails the tests (``make chromium`` installs the browser)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "service"))  # the service tests' server helpers
from desk_server import DeskServer, prepare, start, stop

from chipscreen.names import Screener
from chipscreen.store import Store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(os.environ.get("CHIPSCREEN_UI_ARTIFACTS", Path(__file__).resolve().parents[2] / "artifacts" / "ui"))


@pytest.fixture(scope="session")
def desk(bundled_home: Path, bundled_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeskServer]:
    Screener(bundled_store)  # the index cached in the home, so the copy starts warm
    home = tmp_path_factory.mktemp("desk") / "home"
    server = start(home, prepare(bundled_home, home))
    yield server
    stop(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed: pip install -e '.[ui-test]' (never `playwright install`)")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
