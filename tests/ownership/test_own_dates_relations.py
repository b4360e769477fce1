"""Dates (edges that end, parties listed later), list-text relations, parents/HQ, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from own_helpers import IN_FORCE, add_lists, load_edges, status, write_csv
from typer.testing import CliRunner

from chipscreen.model import Relation
from chipscreen.ownership import load as own_load
from chipscreen.store import Store


def test_edge_that_ended(store: Store, tmp_path: Path) -> None:
    add_lists(store, [("SDN", "Owner Co")])
    own_load.load(store, write_csv(tmp_path / "d.csv", ["Owner Co,Target Co,60,2010-01-01,2020-12-31"]))
    assert status(store, "Target Co", dt.date(2020, 12, 31)).regimes["ofac"].captured
    after = status(store, "Target Co", dt.date(2021, 1, 1))
    assert not after.regimes["ofac"].captured and any(f.code == "no_ownership_data" for f in after.flags)
    assert not status(store, "Target Co", dt.date(2009, 12, 31)).regimes["ofac"].captured


def test_entity_listed_later(store: Store, tmp_path: Path) -> None:
    add_lists(store, [("EL", "Late Listed Ltd", {"start_date": dt.date(2024, 5, 1)})])
    load_edges(store, tmp_path, [("Late Listed Ltd", "Daughter Ltd", "75")])
    # The Affiliates rule itself is in force only from 2025-09-29; use the caller override to isolate dates.
    early = status(store, "Daughter Ltd", dt.date(2024, 4, 30)).regimes["bis_affiliates"]
    late = status(store, "Daughter Ltd", dt.date(2024, 5, 1)).regimes["bis_affiliates"]
    assert not early.captured and late.captured
    assert late.in_force is False and not late.applies  # captured by the test, but the rule was not in force
    assert not status(store, "Late Listed Ltd", dt.date(2024, 4, 30)).is_listed


def test_affiliates_rule_windows_and_override(store: Store, tmp_path: Path) -> None:
    add_lists(store, [("EL", "Parent EL")])
    load_edges(store, tmp_path, [("Parent EL", "Affiliate Co", "50")])
    assert status(store, "Affiliate Co", IN_FORCE).regimes["bis_affiliates"].applies
    suspended = status(store, "Affiliate Co", dt.date(2026, 1, 15)).regimes["bis_affiliates"]
    assert suspended.captured and suspended.in_force is False and not suspended.applies
    assert status(store, "Affiliate Co", dt.date(2026, 11, 10)).regimes["bis_affiliates"].applies
    from chipscreen.ownership.control import Control

    forced = Control(store).as_of(dt.date(2026, 1, 15), affiliates_rule_in_force=True).status("Affiliate Co")
    assert forced.regimes["bis_affiliates"].applies and "override" in forced.regimes["bis_affiliates"].in_force_source


def test_list_text_relations_are_relatives_not_capture(store: Store, tmp_path: Path) -> None:
    """OFAC "Linked To" and CSL "Affiliated Entity" links: relatives with a path, never a 50% capture. A
    "Linked To" link has no direction: the linked party is neither parent, subsidiary nor sister."""
    rels = [
        Relation(owner_id=None, owner_name="Big Listed Group", owned_name="Linked Trading LLC", kind="linked",
                 evidence="Linked To: BIG LISTED GROUP"),
        Relation(owner_name="Big Listed Group", owned_name="Unlisted Affiliate Co", kind="affiliate",
                 evidence="Affiliated Entity: Unlisted Affiliate Co"),
    ]
    add_lists(store, [("SDN", "Big Listed Group"), ("SDN", "Linked Trading LLC")], relations=rels)
    load_edges(store, tmp_path, [("Unlisted Affiliate Co", "Grandchild Co", "100")])
    st = status(store, "Unlisted Affiliate Co")
    assert not st.captured and st.regimes["ofac"].status == "not"
    parent = [r for r in st.relatives if r.relation == "parent"]
    assert [p.name for p in parent] == ["Big Listed Group"] and parent[0].path[0].relation == "affiliate"
    assert [r for r in st.relatives if r.relation == "sister"] == []
    assert [r.name for r in status(store, "Grandchild Co").relatives] == ["Big Listed Group"]
    assert [(r.relation, r.name) for r in status(store, "Big Listed Group").relatives] == [
        ("linked", "Linked Trading LLC")]


def test_ultimate_parent_majority_chain_hk_and_flags(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "chain.csv",
        ["Top HK,Mid Co,80,,,HK,", "Mid Co,Leaf Co,51,,,,", "Other,Leaf Co,49,,,,", "JV A,JV Co,50,,,,",
         "JV B,JV Co,50,,,,", "Cyc1,Cyc2,60,,,,", "Cyc2,Cyc1,60,,,,"],
        header="owner,owned,percent,start,end,owner_hq,owned_hq",
    )
    own_load.load(store, path)
    leaf = status(store, "Leaf Co")
    up = leaf.ultimate_parent
    assert up is not None and up.name == "Top HK" and up.method == "majority_chain"
    assert (up.hq_country, up.hq_country_for_test) == ("HK", "CN")
    assert [(s.name, s.share_ppm) for s in up.path] == [("Leaf Co", 510_000), ("Mid Co", 800_000), ("Top HK", None)]
    assert any(f.code == "joint_venture_50_50" for f in status(store, "JV Co").flags)
    cyc = status(store, "Cyc1")
    assert any(f.code == "majority_cycle" for f in cyc.flags)


def test_ambiguous_and_unknown_names(store: Store, tmp_path: Path) -> None:
    load_edges(store, tmp_path, [("A", "B", "10")])
    st = status(store, "Nobody Known")
    assert not st.found and st.flags[0].code == "not_found"


def test_cli_load_and_show(store: Store, tmp_path: Path) -> None:
    from chipscreen.cli import app

    add_lists(store, [("SDN", "Blocked Parent")])
    store.close()
    runner = CliRunner()
    csv_path = write_csv(tmp_path / "c.csv", ["Blocked Parent,Child Co,50,,", "Someone,Free Co,60,,"])
    home = ["--home", str(tmp_path)]
    res = runner.invoke(app, ["ownership", "load", str(csv_path), *home])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["ownership", "show", "Child Co", "--date", "2025-10-01", "--json", *home])
    assert res.exit_code == 1, res.output
    data = json.loads(res.output)
    assert data["regimes"]["ofac"]["status"] == "captured" and data["regimes"]["ofac"]["proof"]["round"] == 1
    res = runner.invoke(app, ["ownership", "show", "Free Co", "--date", "2025-10-01", *home])
    assert res.exit_code == 0 and "not listed" in res.output
    res = runner.invoke(app, ["ownership", "show", "Child Co", "--date", "2025-10-01", *home])
    assert res.exit_code == 1 and "proof" in res.output
    bad = write_csv(tmp_path / "bad.csv", ["A,B,x,,"])
    res = runner.invoke(app, ["ownership", "load", str(bad), *home])
    assert res.exit_code != 0
