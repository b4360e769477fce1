"""The nine test vectors of docs/ownership.md §1.5, end to end: CSV load, listed parties, ``Control.status``."""

from __future__ import annotations

from pathlib import Path

import pytest
from own_helpers import add_lists, load_edges, status

from chipscreen.store import Store

# case -> (edges, listed, {party: (captured, aggregate_pct)}, {party: look-through pct}, review parties)
VECTORS = {
    "ofac_ex1": ([("X", "A", "50"), ("A", "B", "50")], ["X"], {"A": (True, 50), "B": (True, 50)}, {"B": 25}, set()),
    "ofac_ex2": ([("X", "A", "50"), ("X", "B", "50"), ("A", "C", "25"), ("B", "C", "25")], ["X"],
                 {"C": (True, 50)}, {"C": 25}, set()),
    "ofac_ex3": ([("X", "A", "50"), ("X", "B", "10"), ("A", "B", "40")], ["X"], {"B": (True, 50)}, {"B": 30}, set()),
    "aggregate": ([("X", "A", "25"), ("Y", "A", "25")], ["X", "Y"], {"A": (True, 50)}, {"A": 50}, set()),
    "minority_intermediate": ([("X", "A", "40"), ("A", "B", "100")], ["X"], {"A": (False, 40), "B": (False, 0)},
                              {"B": 40}, set()),
    "lookthrough_overcount": ([("X", "A", "49"), ("A", "B", "98"), ("X", "B", "2")], ["X"], {"B": (False, 2)},
                              {"B": 50.02}, set()),
    "circular": ([("X", "A", "45"), ("Y", "A", "48"), ("A", "Y", "100")], ["X"], {"A": (False, 45), "Y": (False, 0)},
                 {"A": 86.54}, {"A", "Y"}),
    "just_under": ([("X", "A", "49.99")], ["X"], {"A": (False, 49.99)}, {"A": 49.99}, set()),
    "mutual": ([("X", "A", "45"), ("X", "B", "45"), ("A", "B", "10"), ("B", "A", "10")], ["X"],
               {"A": (False, 45), "B": (False, 45)}, {"A": 50, "B": 50}, {"A", "B"}),
}


@pytest.mark.parametrize("case", sorted(VECTORS))
@pytest.mark.parametrize("list_code,regime", [("EL", "bis_affiliates"), ("SDN", "ofac")])
def test_vector(case: str, list_code: str, regime: str, store: Store, tmp_path: Path) -> None:
    edges, listed, expected, looks, review = VECTORS[case]
    names = {f"{n} Holdings" for n in {e[0] for e in edges} | {e[1] for e in edges}}
    extra = {"programs": ["NPWMD"]} if list_code == "SDN" else {}
    add_lists(store, [(list_code, f"{x} Holdings", extra) for x in listed])
    load_edges(store, tmp_path, [(f"{a} Holdings", f"{b} Holdings", p) for a, b, p in edges])
    assert names
    for party, (captured, agg) in expected.items():
        st = status(store, f"{party} Holdings")
        rs = st.regimes[regime]
        assert rs.captured is captured, (case, party, rs)
        assert rs.aggregate_ppm == round(agg * 10_000), (case, party, rs.aggregate_ppm)
        assert rs.review is (party in review), (case, party)
        if captured:
            assert rs.applies and rs.proof is not None and rs.proof.aggregate_ppm == round(agg * 10_000)
            assert rs.contributing_lists == [list_code]
            assert st.captured
    for party, pct in looks.items():
        st = status(store, f"{party} Holdings")
        assert st.look_through_ppm == pytest.approx(pct * 10_000, abs=60), (case, party)
    for party in review:
        st = status(store, f"{party} Holdings")
        assert st.regimes[regime].status == "review"
        assert {"cycle_dependent", "circular_holdings"} <= {f.code for f in st.flags}
        proof = st.regimes[regime].proof
        assert proof is not None and proof.round == -1 and proof.aggregate_ppm >= 500_000


def test_ofac_example_1_proof_tree(store: Store, tmp_path: Path) -> None:
    """B is captured in round 2 through A (round 1), whose owner X is listed: the full stake, not 25%."""
    add_lists(store, [("SDN", "X Holdings")])
    load_edges(store, tmp_path, [("X Holdings", "A Holdings", "50"), ("A Holdings", "B Holdings", "50")])
    rs = status(store, "B Holdings").regimes["ofac"]
    assert rs.status == "captured" and rs.round == 2
    proof = rs.proof
    assert proof is not None and proof.round == 2 and proof.aggregate_ppm == 500_000
    (a,) = proof.owners
    assert a.name == "A Holdings" and a.stake_ppm == 500_000 and a.round == 1
    (x,) = a.owners
    assert x.name == "X Holdings" and x.round == 0 and x.lists == ["SDN"] and x.owners == []


def test_exact_integer_threshold(store: Store, tmp_path: Path) -> None:
    """10% + 35% + 5% is exactly 50%: float64 would give 0.49999999999999994 and miss it."""
    add_lists(store, [("SDN", "P1"), ("SDN", "P2"), ("SDN", "P3")])
    load_edges(store, tmp_path, [("P1", "T", "10"), ("P2", "T", "35"), ("P3", "T", "5")])
    rs = status(store, "T").regimes["ofac"]
    assert rs.captured and rs.aggregate_ppm == 500_000
    assert sorted(o.name for o in rs.proof.owners) == ["P1", "P2", "P3"]  # type: ignore[union-attr]


def test_aggregation_across_lists_for_bis(store: Store, tmp_path: Path) -> None:
    """BIS: owners from different feeding lists aggregate (EL 30% + MEU 20%); OFAC does not see EL/MEU."""
    add_lists(store, [("EL", "Alpha"), ("MEU", "Beta")])
    load_edges(store, tmp_path, [("Alpha", "Gamma", "30"), ("Beta", "Gamma", "20")])
    st = status(store, "Gamma")
    assert st.regimes["bis_affiliates"].captured
    assert st.regimes["bis_affiliates"].contributing_lists == ["EL", "MEU"]
    assert not st.regimes["ofac"].captured


def test_sdn_feeds_bis_only_for_744_8_programs(store: Store, tmp_path: Path) -> None:
    """An SDN outside the 744.8 programs (an [SDGT] designation falls under 744.12) captures under OFAC but not
    under the Affiliates rule; a Russia-related [RUSSIA-EO14024] designation feeds it since 89 FR 20107."""
    add_lists(store, [("SDN", "Terrco", {"programs": ["SDGT"]}), ("SDN", "Ruskom", {"programs": ["RUSSIA-EO14024"]})])
    load_edges(store, tmp_path, [("Terrco", "Subterr", "60")])
    st = status(store, "Subterr")
    assert st.regimes["ofac"].captured
    assert not st.regimes["bis_affiliates"].captured
    load_edges(store, tmp_path, [("Ruskom", "Subco", "60")])
    st = status(store, "Subco")
    assert st.regimes["ofac"].captured
    assert st.regimes["bis_affiliates"].captured
