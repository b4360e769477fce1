"""A store with the bundled lists and the illustrative scenario ownership data, shared by decision tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from decide_helpers import make_tx

from chipscreen.bundled import open_store
from chipscreen.decide import Decider
from chipscreen.model import Decision
from chipscreen.ownership.load import load as load_ownership
from chipscreen.paths import data_dir


@pytest.fixture(scope="session")
def decision_home(bundled_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("decision-home") / "home"
    shutil.copytree(bundled_home, home)
    with open_store(home) as store:
        load_ownership(store, data_dir() / "scenarios" / "ownership.csv")
    return home


@pytest.fixture(scope="session")
def decider(decision_home: Path) -> Iterator[Decider]:
    store = open_store(decision_home)
    yield Decider(store)
    store.close()


@pytest.fixture
def decide(decider: Decider) -> Callable[..., Decision]:
    def run(**kw: Any) -> Decision:
        return decider.decide(make_tx(**kw))

    return run
