"""``chipscreen lists update`` and ``lists changes`` through the real entry point, against a local mirror."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from publishing import Publisher


def test_update_then_changes_then_nothing_new(tmp_path: Path, shared: Path, publisher: Publisher,
                                              run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    home = str(tmp_path / "home")
    monkeypatch.setenv("CHIPSCREEN_MIRROR", publisher.base)
    publisher.publish("/consolidated.json", (shared / "csl" / "csl_sample_2019.csv").read_bytes(), mode="500")
    code, out, err = run_cli("lists", "update", "--home", home)
    assert code == 2 and "HTTP 500" in err and "Traceback" not in err + out
    before = json.loads(run_cli("lists", "show", "--home", home, "--json")[1])["snapshot"]

    publisher.publish("/consolidated.csv", (shared / "csl" / "consolidated_sample_2025.csv").read_bytes())
    code, out, err = run_cli("lists", "update", "--source", "csl-csv", "--home", home)
    assert code == 2 and "would go from" in err and "--accept-shrink" in err  # 13 rows against the bundled lists
    code, out, _ = run_cli("lists", "update", "--source", "csl-csv", "--accept-shrink", "--home", home, "--json")
    got = json.loads(out)
    assert code == 0 and got["previous"] == before and got["snapshot"] != before
    assert [s["status"] for s in got["sources"]] == ["loaded"]

    code, out, _ = run_cli("lists", "changes", "--since", before, "--home", home, "--json")
    steps = json.loads(out)["steps"]
    assert code == 0 and [(s["old"], s["new"]) for s in steps] == [(before, got["snapshot"])]
    assert {c["change"] for c in steps[0]["changes"]} == {"added", "removed", "changed"}

    code, out, _ = run_cli("lists", "update", "--source", "csl-csv", "--home", home)
    assert code == 0 and "unchanged" in out and "Nothing changed" in out


def test_an_unknown_source_or_mirror_is_a_clear_error(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli("lists", "update", "--source", "nope", "--home", str(tmp_path))
    assert code == 2 and "unknown source nope" in err
    code, _, err = run_cli("lists", "update", "--mirror", "ftp://x", "--home", str(tmp_path))
    assert code == 2 and "not an http:// or https:// URL" in err
