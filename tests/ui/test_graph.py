"""Ownership proof trees drawn as SVG: every owner and stake of the tree, listed parties marked, and names
escaped (a party name is untrusted text)."""

from __future__ import annotations

import re

from chipscreen.ui.graph import from_path, from_proof, svg

PROOF = {"party_id": "p1", "name": "Hefei Xunfei Compute Services Co., Ltd.", "round": 1, "aggregate_ppm": 600_000,
         "owners": [{"party_id": "el-1", "name": "IFLYTEK", "lists": ["EL"], "stake_ppm": 600_000, "round": 0},
                    {"party_id": "x", "name": "<script>alert(1)</script>", "stake_ppm": 50_000, "round": 0}]}


def test_a_proof_tree_shows_each_owner_with_its_stake_and_marks_the_listed() -> None:
    drawn = str(svg(from_proof(PROOF), "who owns Hefei Xunfei"))
    assert drawn.startswith("<svg") and drawn.count("<rect") == 3
    assert "owns 60 %" in drawn and "owns 5 %" in drawn
    assert "IFLYTEK" in drawn and 'fill="#ffebee"' in drawn  # the listed owner stands out
    assert "captured: listed owners hold 60 %" in drawn


def test_names_are_escaped_and_long_names_cut_with_the_whole_name_in_the_title() -> None:
    drawn = str(svg(from_proof(PROOF), "t"))
    assert "<script>" not in drawn and "&lt;script&gt;" in drawn
    assert "<title>Hefei Xunfei Compute Services Co., Ltd. — captured" in drawn
    assert ">Hefei Xunfei Compute Services Co.…<" in drawn


def test_a_chain_to_the_ultimate_parent_is_drawn_left_to_right() -> None:
    chain = from_path([{"party_id": "a", "name": "Child", "relation": "ownership", "share_ppm": 1_000_000},
                       {"party_id": "b", "name": "Parent"}])
    assert chain is not None
    drawn = str(svg(chain, "chain"))
    x = {name: int(v) for v, name in re.findall(r'<text x="(\d+)" y="\d+" font-size="13">(\w+)<', drawn)}
    assert "ownership 100 %" in drawn and x["Child"] < x["Parent"]
    assert from_path([]) is None
