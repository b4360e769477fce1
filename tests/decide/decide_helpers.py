"""Builders for transactions in decision tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chipscreen.model import Decision, Reason, Transaction


def make_tx(**kw: Any) -> Transaction:
    base: dict[str, Any] = {"id": "t", "kind": "export", "quantity": 1, "from": "US", "to": "CN"}
    base.update(kw)
    return Transaction.model_validate(base)


def codes(d: Decision) -> set[str]:
    return {r.code for r in d.reasons}


def flag_codes(d: Decision) -> set[str]:
    return {f.code for f in d.flags}


def exporter(name: str = "Example Distribution LLC") -> dict[str, str]:
    return {"role": "exporter", "name": name, "country": "US"}


def end_user(name: str, country: str = "CN", **kw: str) -> dict[str, str]:
    return {"role": "end_user", "name": name, "country": country, **kw}


def accelerator_ic(item_id: str = "new-accel", **facts: Any) -> dict[str, Any]:
    """An inline data-centre IC the catalog does not hold, well over 3A090.a (TPP 16,000; performance density
    20): the item the tests of items a user ships vary one fact of (origin, US content, US technology)."""
    return {"id": item_id, "kind": "ic", "datacenter": True, "dense_tops": {"fp16": 1000}, "die_area_mm2": 800,
            "io_bandwidth_gbs": 900, **facts}


def on_days(decide: Callable[..., Decision], days: tuple[str, str], **tx: Any) -> tuple[Decision, Decision]:
    """The same transaction decided on the day before a rule (or a listing) and on its first day."""
    return decide(date=days[0], **tx), decide(date=days[1], **tx)


def reason_of(d: Decision, code: str) -> Reason:
    """The decision's reason of this code (the test fails with StopIteration if it has none)."""
    return next(r for r in d.reasons if r.code == code)
