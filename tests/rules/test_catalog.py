"""The shipped chip catalog: the 23 chips of docs/export-controls.md §5, memory and systems, each figure sourced."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from chipscreen.errors import ChipscreenError, NotFoundError
from chipscreen.paths import data_dir
from chipscreen.rules import catalog
from chipscreen.rules.catalog import parse_catalog

SECTION_5 = [
    "nvidia-a100-sxm4-80gb",
    "nvidia-a800-sxm4-80gb",
    "nvidia-h100-sxm5",
    "nvidia-h100-pcie",
    "nvidia-h800-sxm",
    "nvidia-h200-sxm",
    "nvidia-h20",
    "nvidia-l20",
    "nvidia-l2",
    "nvidia-l40",
    "nvidia-l40s",
    "nvidia-rtx-4090",
    "nvidia-rtx-4090d",
    "nvidia-rtx-5090",
    "nvidia-rtx-5090d",
    "nvidia-b200",
    "amd-mi250x",
    "amd-mi300x",
    "amd-mi325x",
    "intel-gaudi2-hl-225h",
    "intel-gaudi2-hl-225b",
    "intel-gaudi3",
    "huawei-ascend-910b",
]


def test_catalog_holds_the_23_chips_an_hbm_stack_and_a_system() -> None:
    cat = catalog()
    assert set(SECTION_5) <= {e.item.id for e in cat}
    assert len(SECTION_5) == 23
    assert cat.item("hbm3-stack-819").kind == "hbm"
    dgx = cat.item("nvidia-dgx-h100")
    assert dgx.kind == "system" and dgx.contains is not None and dgx.contains.count == 8


def test_every_figure_names_its_source() -> None:
    for e in catalog():
        for fig in ("dense_tops", "die_area_mm2", "io_bandwidth_gbs", "dram_bandwidth_gbs", "memory_bandwidth_density"):
            if getattr(e.item, fig) not in (None, {}):
                assert e.sources.get(fig), f"{e.item.id}.{fig}"


def test_datacenter_flags_follow_the_vendor_segment() -> None:
    cat = catalog()
    assert not any(cat.item(i).datacenter for i in SECTION_5 if "rtx" in i)
    assert all(cat.item(i).datacenter for i in SECTION_5 if "rtx" not in i)


def test_unknown_id_is_not_found_with_a_hint() -> None:
    with pytest.raises(NotFoundError, match="nvidia-h100"):
        catalog().item("h100")


def test_a_figure_without_source_is_rejected(tmp_path: Path) -> None:
    raw = yaml.safe_load((data_dir() / "chips.yaml").read_text(encoding="utf-8"))
    del raw["chips"][0]["sources"]["die_area_mm2"]
    with pytest.raises(ChipscreenError, match="die_area_mm2 has no source"):
        parse_catalog(raw, "chips.yaml")


def test_a_bad_figure_is_rejected_naming_the_chip_and_field() -> None:
    raw = yaml.safe_load((data_dir() / "chips.yaml").read_text(encoding="utf-8"))
    raw["chips"][2]["dense_tops"]["fp16"] = -1
    with pytest.raises(ChipscreenError, match=r"nvidia-h100-sxm5.*dense_tops"):
        parse_catalog(raw, "chips.yaml")


def test_a_bad_chip_is_a_data_error_with_file_and_row() -> None:
    from chipscreen.errors import DataError

    raw = yaml.safe_load((data_dir() / "chips.yaml").read_text(encoding="utf-8"))
    raw["chips"][2]["dense_tops"]["fp16"] = -1
    with pytest.raises(DataError) as exc:
        parse_catalog(raw, "chips.yaml")
    assert (exc.value.file, exc.value.key) == ("chips.yaml", "chips[2] (nvidia-h100-sxm5)")
    assert exc.value.problem.startswith("dense_tops: fp16:")
