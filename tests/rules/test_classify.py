"""Classification of items from their specs, as the rule text says (docs/export-controls.md §2, CCL 3A090/4A090)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_helpers import chip, d, ic

from chipscreen.errors import InputError
from chipscreen.model import Item
from chipscreen.rules import catalog, classify, classify_many, parse_item

# Dates on both sides of each rule change that moves a classification.
PRE = d("2022-10-06")  # before 3A090 existed
R2022 = d("2022-10-07")  # the 2022 test (I/O >= 600 AND TPP >= 4800)
LAST_2022 = d("2023-11-16")
R2023 = d("2023-11-17")  # TPP / PD test, Note 2
BEFORE_HBM = d("2024-12-01")
HBM = d("2024-12-02")  # 3A090.c

# Expected paragraph per catalog item: (2022 test, 2023 test, from 2024-12-02). None = outside 3A090/4A090.
EXPECTED: dict[str, tuple[str | None, str | None, str | None]] = {
    "nvidia-a100-sxm4-80gb": ("3A090", "3A090.a", "3A090.a"),
    "nvidia-a800-sxm4-80gb": (None, "3A090.a", "3A090.a"),  # NVLink cut to 400 GB/s passed the 2022 test
    "nvidia-h100-sxm5": ("3A090", "3A090.a", "3A090.a"),
    "nvidia-h100-pcie": ("3A090", "3A090.a", "3A090.a"),  # 600 GB/s bridge: exactly on the line
    "nvidia-h800-sxm": (None, "3A090.a", "3A090.a"),
    "nvidia-h200-sxm": ("3A090", "3A090.a", "3A090.a"),
    "nvidia-h20": (None, None, None),  # TPP 2368 < 2400 and PD 2.9 < 3.2: built to pass the 2023 test
    "nvidia-l20": (None, None, None),  # PD 3.14 < 3.2
    "nvidia-l2": (None, None, None),  # TPP 1544 < 1600 (die area unknown but irrelevant)
    "nvidia-l40": (None, "3A090.b", "3A090.b"),  # b.1 band
    "nvidia-l40s": (None, "3A090.a", "3A090.a"),
    "nvidia-rtx-4090": (None, "3A090.a", "3A090.a"),  # consumer, TPP 5285 >= 4800
    "nvidia-rtx-4090d": (None, None, None),  # consumer, TPP 4704 < 4800: Note 2
    "nvidia-rtx-5090": (None, "3A090.a", "3A090.a"),
    "nvidia-rtx-5090d": (None, None, None),  # consumer, TPP 4750 < 4800
    "nvidia-b200": ("3A090", "3A090.a", "3A090.a"),
    "amd-mi250x": ("3A090", "3A090.a", "3A090.a"),
    "amd-mi300x": ("3A090", "3A090.a", "3A090.a"),
    "amd-mi325x": ("3A090", "3A090.a", "3A090.a"),
    "intel-gaudi2-hl-225h": ("3A090", "3A090.a", "3A090.a"),  # 24 x 100 GbE x 2 = 600 GB/s
    "intel-gaudi2-hl-225b": (None, "3A090.a", "3A090.a"),  # 21 ports = 525 GB/s
    "intel-gaudi3": ("3A090", "3A090.a", "3A090.a"),
    "huawei-ascend-910b": ("undetermined", "3A090.a", "3A090.a"),  # I/O (HCCS) not published
    "hbm3-stack-819": (None, None, "3A090.c"),
    "gddr6-device-64": (None, None, None),  # MBD 0.4
    "nvidia-dgx-h100": ("4A090", "4A090.a", "4A090.a"),
    "nvidia-hgx-h20": (None, None, None),
}


def outcome(item: Item, day: object) -> str | None:
    res = classify(item, day)  # type: ignore[arg-type]
    return "undetermined" if res.status == "undetermined" else res.paragraph


def test_expectations_cover_the_whole_catalog() -> None:
    assert set(EXPECTED) == {e.item.id for e in catalog()}


@pytest.mark.parametrize("item_id", sorted(EXPECTED))
def test_every_catalog_item_on_both_sides_of_each_rule_change(item_id: str) -> None:
    e2022, e2023, ehbm = EXPECTED[item_id]
    item = chip(item_id)
    assert outcome(item, PRE) is None, "no advanced-computing ECCN before 2022-10-07"
    assert outcome(item, R2022) == e2022
    assert outcome(item, LAST_2022) == e2022
    assert outcome(item, R2023) == e2023
    assert outcome(item, BEFORE_HBM) == e2023
    assert outcome(item, HBM) == ehbm
    assert outcome(item, d("2026-06-01")) == ehbm


def test_eccn_is_3a090_or_4a090_or_null() -> None:
    assert classify(chip("nvidia-h100-sxm5"), R2023).eccn == "3A090"
    assert classify(chip("nvidia-dgx-h100"), R2023).eccn == "4A090"
    assert classify(chip("nvidia-h20"), R2023).eccn is None


# ------------------------------------------------------------------ TPP arithmetic (Technical Note 2)
def test_tpp_is_the_maximum_over_precisions_of_tops_times_bit_length() -> None:
    res = classify(chip("nvidia-h100-sxm5"), R2023)
    assert res.tpp_by_precision["fp16"] == pytest.approx(989.4 * 16)
    assert res.tpp_by_precision["fp8"] == pytest.approx(1978.9 * 8)
    assert res.tpp == pytest.approx(15831.2) and res.tpp_precision == "fp8"
    assert res.pd == pytest.approx(15831.2 / 814)
    assert any("TPP = max = 15831.2 (fp8)" in line for line in res.work)
    assert any(line.startswith("PD = ") for line in res.work)
    assert "88 FR 73458" in res.citation


def test_bis_worked_example_600_int8_equals_300_fp16_equals_4800() -> None:
    assert classify(ic(dense_tops={"int8": 600}), R2023).tpp == 4800
    assert classify(ic(dense_tops={"fp16": 300}), R2023).tpp == 4800


def test_known_tpp_figures() -> None:
    assert classify(chip("nvidia-a100-sxm4-80gb"), R2023).tpp == pytest.approx(4992)
    assert classify(chip("amd-mi325x"), R2023).tpp == pytest.approx(20919.2)
    assert classify(chip("nvidia-rtx-4090"), R2023).tpp == pytest.approx(5284.8)
    assert classify(chip("nvidia-rtx-4090d"), R2023).tpp == pytest.approx(4704)
    assert classify(chip("nvidia-h20"), R2023).tpp == pytest.approx(2368)


# ------------------------------------------------------------------ the 2022 test: I/O >= 600 AND TPP >= 4800
def test_2022_io_line_is_inclusive_at_600() -> None:
    assert outcome(chip("intel-gaudi2-hl-225h"), R2022) == "3A090"
    assert outcome(chip("intel-gaudi2-hl-225b"), R2022) is None
    assert outcome(ic(dense_tops={"fp16": 400}, io_bandwidth_gbs=600), R2022) == "3A090"
    assert outcome(ic(dense_tops={"fp16": 400}, io_bandwidth_gbs=599.99), R2022) is None


def test_2022_tpp_line_is_inclusive_at_4800() -> None:
    assert outcome(ic(dense_tops={"fp16": 300}, io_bandwidth_gbs=900), R2022) == "3A090"
    assert outcome(ic(dense_tops={"fp16": 299.99}, io_bandwidth_gbs=900), R2022) is None


def test_2022_test_ignores_datacenter_and_die_area() -> None:
    assert outcome(ic(dense_tops={"fp16": 400}, io_bandwidth_gbs=600, datacenter=False), R2022) == "3A090"


def test_2022_missing_io_is_undetermined_when_tpp_would_qualify() -> None:
    res = classify(ic(dense_tops={"fp16": 400}), R2022)
    assert res.status == "undetermined" and res.missing == ["io_bandwidth_gbs"]
    assert classify(ic(dense_tops={"fp16": 100}), R2022).status == "not_controlled"


def test_2022_test_is_gone_from_2023_17_11() -> None:
    # An A800-like part (I/O under 600) is caught by the TPP-only test from 2023-11-17.
    item = ic(dense_tops={"fp16": 312}, io_bandwidth_gbs=400, die_area_mm2=826)
    assert outcome(item, LAST_2022) is None
    assert outcome(item, R2023) == "3A090.a"


# ------------------------------------------------------------------ the 2023 test
def test_4800_tpp_line_separates_rtx_4090_from_4090d() -> None:
    assert outcome(chip("nvidia-rtx-4090"), R2023) == "3A090.a"
    assert outcome(chip("nvidia-rtx-4090d"), R2023) is None
    assert outcome(ic(dense_tops={"fp8": 600}, datacenter=False), R2023) == "3A090.a"
    assert outcome(ic(dense_tops={"fp8": 599.99}, datacenter=False, die_area_mm2=100), R2023) is None


def test_a2_performance_density_5_92_is_inclusive() -> None:
    # TPP 2960 over 500 mm² = PD 5.92 exactly.
    assert outcome(ic(dense_tops={"fp16": 185}, die_area_mm2=500), R2023) == "3A090.a"
    # Slightly lower PD falls to b.2 (TPP >= 1600 and 3.2 <= PD < 5.92).
    assert outcome(ic(dense_tops={"fp16": 185}, die_area_mm2=500.01), R2023) == "3A090.b"


def test_b2_performance_density_3_2_is_inclusive() -> None:
    assert outcome(ic(dense_tops={"fp16": 100}, die_area_mm2=500), R2023) == "3A090.b"  # 1600 / 500 = 3.2
    assert outcome(ic(dense_tops={"fp16": 100}, die_area_mm2=500.01), R2023) is None


def test_b1_band_2400_to_4800_with_pd_1_6_to_5_92() -> None:
    assert outcome(ic(dense_tops={"fp16": 150}, die_area_mm2=1500), R2023) == "3A090.b"  # 2400, PD 1.6
    assert outcome(ic(dense_tops={"fp16": 149.99}, die_area_mm2=1500), R2023) is None
    assert outcome(ic(dense_tops={"fp16": 150}, die_area_mm2=1500.01), R2023) is None  # PD just under 1.6


def test_below_1600_tpp_nothing_applies_whatever_the_density() -> None:
    assert outcome(ic(dense_tops={"fp16": 99.99}, die_area_mm2=1), R2023) is None


def test_note_2_consumer_parts_below_4800_are_outside_3a090() -> None:
    dense = {"fp16": 185}  # TPP 2960, PD 5.92: a.2 for a datacenter part
    assert outcome(ic(dense_tops=dense, die_area_mm2=500), R2023) == "3A090.a"
    res = classify(ic(dense_tops=dense, die_area_mm2=500, datacenter=False), R2023)
    assert res.paragraph is None and res.status == "not_controlled"
    assert any("(note2)" in line for line in res.work)


def test_unknown_datacenter_flag_is_undetermined_where_note_2_decides() -> None:
    res = classify(ic(dense_tops={"fp16": 185}, die_area_mm2=500, datacenter=None), R2023)
    assert res.status == "undetermined" and "datacenter" in res.missing
    # ... but irrelevant at TPP >= 4800.
    assert outcome(ic(dense_tops={"fp16": 400}, datacenter=None), R2023) == "3A090.a"


def test_missing_die_area_where_pd_decides_is_undetermined_never_clear() -> None:
    res = classify(ic(dense_tops={"fp16": 125}), R2023)  # TPP 2000: a.2, b.2 or nothing depending on PD
    assert res.status == "undetermined"
    assert res.missing == ["die_area_mm2"]
    assert res.candidates == ["3A090.a", "3A090.b"] and res.possibly_uncontrolled
    assert res.eccn is None and res.paragraph is None
    assert any("die_area_mm2" in n for n in res.notes)


def test_missing_die_area_is_irrelevant_when_tpp_decides() -> None:
    assert classify(chip("nvidia-b200"), R2023).paragraph == "3A090.a"
    assert classify(chip("nvidia-l2"), R2023).status == "not_controlled"


def test_missing_tops_is_undetermined() -> None:
    res = classify(ic(die_area_mm2=500), R2023)
    assert res.status == "undetermined" and "dense_tops" in res.missing


# ------------------------------------------------------------------ 3A090.c HBM (from 2024-12-02)
def test_hbm_density_line_is_strictly_greater_than_2() -> None:
    hbm = {"id": "m", "kind": "hbm"}
    assert outcome(Item(**hbm, memory_bandwidth_density=2.0), HBM) is None
    assert outcome(Item(**hbm, memory_bandwidth_density=2.0001), HBM) == "3A090.c"
    assert outcome(Item(**hbm, memory_bandwidth_density=7.4), BEFORE_HBM) is None


def test_hbm_density_computed_from_bandwidth_and_package_area() -> None:
    res = classify(Item(id="m", kind="hbm", dram_bandwidth_gbs=819, die_area_mm2=110), HBM)
    assert res.mbd == pytest.approx(819 / 110) and res.paragraph == "3A090.c"


def test_hbm_without_density_is_undetermined() -> None:
    res = classify(Item(id="m", kind="hbm"), HBM)
    assert res.status == "undetermined" and res.missing == ["memory_bandwidth_density"]


# ------------------------------------------------------------------ 4A090 systems
def test_systems_take_the_paragraph_of_the_ics_they_contain() -> None:
    res = classify(chip("nvidia-dgx-h100"), R2023)
    assert res.paragraph == "4A090.a" and res.contained is not None and res.contained.paragraph == "3A090.a"
    assert res.contained_count == 8
    assert any("8 x 15831.2" in line for line in res.work)
    assert outcome(chip("nvidia-dgx-h100"), R2022) == "4A090"


def test_system_of_3a090b_ics_is_4a090b_from_the_april_2024_rule() -> None:
    system = Item(id="l40-server", kind="system", datacenter=True, contains={"item": "nvidia-l40", "count": 4})
    assert outcome(system, d("2024-04-03")) is None  # not 4A090: 4A090.b was [Reserved] in 88 FR 73458
    assert outcome(system, d("2024-04-04")) == "4A090.b"  # created by 89 FR 23876


def test_system_with_undetermined_ic_is_undetermined() -> None:
    inner = ic(id="mystery", dense_tops={"fp16": 125})
    system = Item(id="box", kind="system", contains={"item": "mystery", "count": 2})
    res = classify(system, d("2024-04-04"), resolve=lambda _id: inner)
    assert res.status == "undetermined" and set(res.candidates) == {"4A090.a", "4A090.b"}


def test_unknown_contained_ic_is_an_input_error_naming_the_field() -> None:
    with pytest.raises(InputError, match=r"contains\.item"):
        classify(Item(id="box", kind="system", contains={"item": "no-such-chip", "count": 1}), R2023)


# ------------------------------------------------------------------ wrong specs
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"id": "x", "dense_tops": {"fp16": -1}}, "dense_tops"),
        ({"id": "x", "dense_tops": {"fp12": 10}}, "dense_tops"),
        ({"id": "x", "die_area_mm2": -5}, "die_area_mm2"),
        ({"id": "x", "kind": "gpu"}, "kind"),
        ({"id": "x", "tops": 5}, "tops"),
    ],
)
def test_wrong_specs_are_input_errors_naming_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_item(data)
    assert field in str(exc.value)


def test_explain_false_gives_the_same_decision() -> None:
    for e in catalog():
        a, b = classify(e.item, HBM), classify(e.item, HBM, explain=False)
        assert (a.status, a.paragraph, a.tpp) == (b.status, b.paragraph, b.tpp)
        assert b.work == [] or e.item.kind == "system"


# ------------------------------------------------------------------ properties
tops = st.floats(min_value=0, max_value=20000, allow_nan=False)
RANK = {None: 0, "3A090.b": 1, "3A090.a": 2}


@settings(max_examples=150, deadline=None)
@given(
    x=tops,
    y=tops,
    prec=st.sampled_from(["fp64", "fp32", "fp16", "bf16", "fp8", "int8", "fp4"]),
    area=st.floats(min_value=50, max_value=3000),
)
def test_more_tops_never_means_less_control(x: float, y: float, prec: str, area: float) -> None:
    lo, hi = sorted((x, y))
    a = classify(ic(dense_tops={prec: lo}, die_area_mm2=area), R2023, explain=False)
    b = classify(ic(dense_tops={prec: hi}, die_area_mm2=area), R2023, explain=False)
    assert (b.tpp or 0) >= (a.tpp or 0)
    assert RANK[b.paragraph] >= RANK[a.paragraph]


@settings(max_examples=150, deadline=None)
@given(t=tops, area=st.floats(min_value=1, max_value=3000), dc=st.booleans())
def test_adding_a_die_area_never_changes_a_determined_answer(t: float, area: float, dc: bool) -> None:
    without = classify(ic(dense_tops={"fp16": t}, datacenter=dc), R2023, explain=False)
    with_area = classify(ic(dense_tops={"fp16": t}, datacenter=dc, die_area_mm2=area), R2023, explain=False)
    assert with_area.status != "undetermined"
    if without.status != "undetermined":
        assert without.paragraph == with_area.paragraph
    else:
        assert with_area.paragraph in [*without.candidates, None]


# ------------------------------------------------------------------ the result is a Classification
def test_result_is_a_classification_usable_in_a_decision() -> None:
    from chipscreen.model import Classification, Decision

    res = classify(chip("nvidia-l40"), R2023)
    assert isinstance(res, Classification)
    dumped = res.model_dump(mode="json")
    assert dumped["paragraph"] == "3A090.b" and dumped["status"] == "controlled" and dumped["date"] == "2023-11-17"
    dec = Decision(id="t1", date=R2023, rulebook=res.rulebook, snapshot="s", classification=res, license_required=False)
    assert dec.model_dump(mode="json")["classification"]["paragraph"] == "3A090.b"
    assert Classification.model_validate(res.model_dump()).paragraph == "3A090.b"


def test_classify_many_equals_classify_one_by_one() -> None:
    import gc

    items = [e.item for e in catalog()]
    many = classify_many(items, HBM)
    assert [m.model_dump() for m in many] == [classify(i, HBM).model_dump() for i in items]
    assert gc.isenabled()
