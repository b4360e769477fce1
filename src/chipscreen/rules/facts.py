"""The derived figures of one item that the rulebook's conditions read (TPP per precision, PD, MBD), and the
arithmetic written out for the answer.

TPP follows Technical Note 2 to 3A090.a/.b: dense TOPS x bit length per precision, the maximum over
precisions; PD = TPP / applicable die area (docs/export-controls.md §2.1-§2.2)."""

from __future__ import annotations

from chipscreen.errors import ChipscreenError
from chipscreen.model import Item
from chipscreen.rules.expr import fmt

__all__ = ["Facts", "facts_work"]


class Facts:
    """The derived parameters of one item; conditions read these attributes (see expr.PARAMS)."""

    __slots__ = ("datacenter", "dram", "io", "mbd", "pd", "tpp", "tpp_by_precision", "tpp_precision")

    def __init__(self, item: Item, bits: dict[str, int] | None) -> None:
        by: dict[str, float] = {}
        best: str | None = None
        tpp: float | None = None
        if bits is not None:
            for prec, tops in item.dense_tops.items():
                b = bits.get(prec)
                if b is None:
                    raise ChipscreenError(f"dense_tops.{prec}: the rulebook gives no bit length for this precision")
                v = tops * b
                by[prec] = v
                if tpp is None or v > tpp:
                    tpp, best = v, prec
        self.tpp_by_precision = by
        self.tpp_precision = best
        self.tpp = tpp
        area = item.die_area_mm2
        self.pd = tpp / area if (tpp is not None and area) else None
        self.io = item.io_bandwidth_gbs
        self.dram = item.dram_bandwidth_gbs
        mbd = item.memory_bandwidth_density
        if mbd is None and item.kind == "hbm" and item.dram_bandwidth_gbs is not None and item.die_area_mm2:
            mbd = item.dram_bandwidth_gbs / item.die_area_mm2  # package or stack area for memory parts
        self.mbd = mbd
        self.datacenter = item.datacenter


def facts_work(item: Item, f: Facts, bits: dict[str, int]) -> list[str]:
    work: list[str] = []
    if f.tpp_by_precision:
        parts = [f"{p} {fmt(item.dense_tops[p])} x {bits[p]} = {fmt(v)}" for p, v in f.tpp_by_precision.items()]
        work.append("TPP per precision (dense TOPS x bit length): " + "; ".join(parts))
        work.append(f"TPP = max = {fmt(f.tpp)} ({f.tpp_precision})" if f.tpp is not None else "TPP unknown")
    elif item.kind == "ic":
        work.append("TPP unknown: no dense_tops given")
    if f.tpp is not None and item.kind == "ic":
        if f.pd is not None:
            work.append(
                f"PD = TPP / applicable die area = {fmt(f.tpp)} / {fmt(item.die_area_mm2 or 0)} mm² = {fmt(f.pd)}"
            )
        else:
            work.append("PD unknown: die_area_mm2 not given")
    if f.mbd is not None:
        src = (
            "given"
            if item.memory_bandwidth_density is not None
            else (f"{fmt(item.dram_bandwidth_gbs or 0)} GB/s / {fmt(item.die_area_mm2 or 0)} mm²")
        )
        work.append(f"memory bandwidth density = {fmt(f.mbd)} GB/s/mm² ({src})")
    return work
