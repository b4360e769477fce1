"""Threshold conditions as data, evaluated in three-valued (Kleene) logic.

A rulebook names each threshold once (parameter, inequality, value, citation) and the ECCN paragraphs
combine them with ``all`` / ``any`` / ``not``. A parameter the item does not state evaluates to
``None`` (unknown) rather than False, so that a missing die area makes a result *undetermined*
where performance density decides, and never silently clears an item.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Protocol

from chipscreen.rules.yaml_values import SpecError

Truth = bool | None

Op = Literal[">=", ">", "<", "<=", "=="]
"""An inequality as the rulebooks write it; each number carries its own, never implied by the code."""
Param = Literal["tpp", "pd", "io", "dram", "mbd", "datacenter"]
"""A parameter a threshold compares: the derived figures of one item (see classify.Facts)."""

OPS: dict[Op, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
}

# Parameter name in the rulebooks -> (attribute on Facts, item field a user must supply, label in the work).
PARAMS: dict[Param, tuple[str, str, str]] = {
    "tpp": ("tpp", "dense_tops", "TPP"),
    "pd": ("pd", "die_area_mm2", "PD"),
    "io": ("io", "io_bandwidth_gbs", "I/O GB/s"),
    "dram": ("dram", "dram_bandwidth_gbs", "DRAM GB/s"),
    "mbd": ("mbd", "memory_bandwidth_density", "MBD GB/s/mm²"),
    "datacenter": ("datacenter", "datacenter", "datacenter"),
}


class HasFacts(Protocol):
    """What conditions read: the derived parameters of one item (see classify.Facts)."""

    tpp: float | None
    pd: float | None
    io: float | None
    dram: float | None
    mbd: float | None
    datacenter: bool | None


@dataclass(frozen=True)
class Threshold:
    """One number of a rule with its inequality and citation, e.g. ``tpp >= 4800`` (3A090.a.1)."""

    name: str
    param: Param
    op: Op
    value: float | bool
    citation: str
    text: str = ""
    unit: str = ""

    def evaluate(self, facts: HasFacts) -> Truth:
        v = getattr(facts, PARAMS[self.param][0])
        if v is None:
            return None
        return OPS[self.op](v, self.value)

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{PARAMS[self.param][2]} {self.op} {fmt(self.value)}{unit}"


class Cond:
    """A compiled condition tree; ``evaluate`` is the hot path of bulk classification."""

    def evaluate(self, facts: HasFacts) -> Truth:
        raise NotImplementedError

    def explain(self, facts: HasFacts) -> str:
        raise NotImplementedError

    def leaves(self) -> list[Threshold]:
        raise NotImplementedError


class Leaf(Cond):
    __slots__ = ("attr", "label", "op", "t", "tail", "value")

    def __init__(self, t: Threshold) -> None:
        self.t = t
        self.attr, _, self.label = PARAMS[t.param]
        self.op, self.value = OPS[t.op], t.value
        self.tail = f" {t.op} {fmt(t.value)}: "  # formatted once: explanations are built per item in bulk

    def evaluate(self, facts: HasFacts) -> Truth:
        v = getattr(facts, self.attr)
        return None if v is None else self.op(v, self.value)

    def explain(self, facts: HasFacts) -> str:
        v = getattr(facts, self.attr)
        if v is None:
            return f"{self.label} unknown{self.tail}unknown"
        return f"{self.label} {fmt(v)}{self.tail}{'yes' if self.op(v, self.value) else 'no'}"

    def leaves(self) -> list[Threshold]:
        return [self.t]


class _Junction(Cond):
    """AND / OR in Kleene's three-valued logic: one ``dominant`` part decides (False for AND, True for OR);
    otherwise an unknown part leaves the whole unknown (a missing spec never reads as "not controlled")."""

    __slots__ = ("parts",)
    dominant: bool
    word: str

    def __init__(self, parts: list[Cond]) -> None:
        self.parts = parts

    def evaluate(self, facts: HasFacts) -> Truth:
        unknown = False
        for p in self.parts:
            r = p.evaluate(facts)
            if r is self.dominant:
                return self.dominant
            if r is None:
                unknown = True
        return None if unknown else not self.dominant

    def explain(self, facts: HasFacts) -> str:
        return "(" + f" {self.word} ".join(p.explain(facts) for p in self.parts) + ")"

    def leaves(self) -> list[Threshold]:
        return [t for p in self.parts for t in p.leaves()]


class All(_Junction):
    __slots__ = ()
    dominant = False
    word = "AND"


class Any_(_Junction):
    __slots__ = ()
    dominant = True
    word = "OR"


class Not(Cond):
    __slots__ = ("part",)

    def __init__(self, part: Cond) -> None:
        self.part = part

    def evaluate(self, facts: HasFacts) -> Truth:
        r = self.part.evaluate(facts)
        return None if r is None else not r

    def explain(self, facts: HasFacts) -> str:
        return f"NOT {self.part.explain(facts)}"

    def leaves(self) -> list[Threshold]:
        return self.part.leaves()


class Always(Cond):
    """``true`` in the data: e.g. an exception eligible for every item of a paragraph."""

    def evaluate(self, facts: HasFacts) -> Truth:
        return True

    def explain(self, facts: HasFacts) -> str:
        return "always"

    def leaves(self) -> list[Threshold]:
        return []


def kleene_and_not(cond: Truth, excluded: Truth) -> Truth:
    """``cond AND NOT excluded`` in three-valued logic (a paragraph minus an exclusion note)."""
    if cond is False or excluded is True:
        return False
    if cond is None or excluded is None:
        return None
    return True


def compile_cond(spec: Any, thresholds: Mapping[str, Threshold], where: str) -> Cond:
    """Build a condition from its data form: a threshold name, ``true``, or ``{all|any: [...]}`` / ``{not: x}``.

    ``where`` is the key path of ``spec`` in its file; a problem raises ``SpecError`` at the exact sub-key."""
    if spec is True:
        return Always()
    if isinstance(spec, str):
        if spec not in thresholds:
            raise SpecError(where, f"unknown threshold {spec!r}")
        return Leaf(thresholds[spec])
    if isinstance(spec, Mapping) and len(spec) == 1:
        ((key, val),) = spec.items()
        if key in ("all", "any") and isinstance(val, list) and val:
            parts = [compile_cond(v, thresholds, f"{where}.{key}[{i}]") for i, v in enumerate(val)]
            return All(parts) if key == "all" else Any_(parts)
        if key == "not":
            return Not(compile_cond(val, thresholds, f"{where}.not"))
    raise SpecError(where, f"a condition is a threshold name, true, or {{all|any: [..]}} / {{not: ..}}: {spec!r}")


def truth_word(t: Truth) -> str:
    return "unknown" if t is None else ("yes" if t else "no")


@lru_cache(maxsize=65536)
def fmt(x: float | bool | int) -> str:
    """Numbers in the work without float noise: 15831.2, 19.4486, 600 (cached: the same figures recur)."""
    if x is True or x is False:
        return "true" if x else "false"
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")
