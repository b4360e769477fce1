"""One real service for the package's tests: ``chipscreen serve`` in a subprocess on a free loopback port,
over a copy of the bundled home, with one key per scope."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from service_helpers import Server, copy_home, new_key, start_server, stop

from chipscreen.names import Screener
from chipscreen.store import Store


@pytest.fixture(scope="session")
def server(bundled_home: Path, bundled_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    Screener(bundled_store)  # the name index cached in the home (once per session), so the copy starts warm
    home = copy_home(bundled_home, tmp_path_factory.mktemp("service") / "home")
    keys = {"screen": new_key(home, "screening", "screen"), "decide": new_key(home, "orders", "decide"),
            "admin": new_key(home, "auditor", "admin"), "slow": new_key(home, "throttled", "screen", rate=2)}
    srv = start_server(home)
    srv.keys = keys
    yield srv
    stop(srv)
