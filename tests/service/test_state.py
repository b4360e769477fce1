"""What a warmed service holds before its first request: the tables the screener loads on first use (screened
once with the warm-up names of data/service/service.yml), and the facts installed parts derive per entity.

Warmed in a fresh interpreter: this one has long since loaded every table."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from service_helpers import copy_home

from chipscreen.names import Screener
from chipscreen.store import Store

WARM = """
import json, sys
from pathlib import Path
from chipscreen.names.han import hanja_converter, kakasi_converter
from chipscreen.service.config import ServiceConfig
from chipscreen.service.state import ServiceState

state = ServiceState(ServiceConfig(home=Path(sys.argv[1])))
state.derive("entries", len)
before = [kakasi_converter.cache_info().currsize, hanja_converter.cache_info().currsize]
state.warm()
view = state.view()
after = [kakasi_converter.cache_info().currsize, hanja_converter.cache_info().currsize]
print(json.dumps({"before": before, "after": after, "entities": sorted(view.entities),
                  "facts": view.facts["entries"], "listings": {k: len(v) for k, v in view.listings.items()}}))
state.close()
"""


@pytest.fixture(scope="module")
def warmed(bundled_home: Path, bundled_store: Store, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    Screener(bundled_store)  # the index cached in the home, as a service finds it: building one reads every name
    home = copy_home(bundled_home, tmp_path_factory.mktemp("warm") / "home")
    done = subprocess.run([sys.executable, "-c", WARM, str(home)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    got: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return got


def test_warming_loads_the_japanese_and_korean_readings_before_any_request(warmed: dict[str, Any]) -> None:
    assert warmed["before"] == [0, 0]
    assert warmed["after"] == [1, 1]


def test_the_view_carries_each_derived_fact_for_every_entity(warmed: dict[str, Any]) -> None:
    assert sorted(warmed["facts"]) == warmed["entities"]
    assert warmed["facts"] == warmed["listings"]  # len(entries) of an entity = its listings
