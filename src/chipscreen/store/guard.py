"""The shrink guard: a load (or a list update) may not silently empty a list.

A small or partial file dated later used to replace a whole list (a one-entity Entity List file left the EL
with 1 of 3,409 entries). A new version of a list that loses more than ``shrink.max_fraction`` of its entries,
or more than ``shrink.max_entries`` of them (``data/store/safety.yml``), is refused unless the caller accepts
it. Public so that every path that re-points a list (``lists load``, ``lists update``) applies the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from chipscreen.errors import ChipscreenError
from chipscreen.store.settings import Safety, safety


class ShrinkRefusedError(ChipscreenError):
    """A load would shrink a list past the guard's bounds; nothing was written."""


@dataclass(frozen=True)
class Shrink:
    """One list that would lose too many entries."""

    list_code: str
    before: int
    after: int

    @property
    def removed(self) -> int:
        return self.before - self.after

    def __str__(self) -> str:
        share = 100 * self.removed / self.before
        return (f"{self.list_code} would go from {self.before:,} to {self.after:,} entries "
                f"(-{self.removed:,}, {share:.1f} %)")


def shrinks(
    before: Mapping[str, int],
    after: Mapping[str, int],
    lists: Iterable[str] | None = None,
    settings: Safety | None = None,
) -> list[Shrink]:
    """The lists (``lists``, default every list of ``before``) that lose more entries than the guard allows."""
    s = settings or safety()
    found = []
    for code in sorted(set(lists) if lists is not None else set(before)):
        old, new = before.get(code, 0), after.get(code, 0)
        removed = old - new
        if removed > 0 and (removed > s.shrink_max_entries or removed / old > s.shrink_max_fraction):
            found.append(Shrink(code, old, new))
    return found


def refuse_shrinks(
    before: Mapping[str, int], after: Mapping[str, int], lists: Iterable[str] | None = None
) -> None:
    """Raise ``ShrinkRefusedError`` naming every list that shrinks too far."""
    found = shrinks(before, after, lists)
    if not found:
        return
    s = safety()
    raise ShrinkRefusedError(
        "; ".join(str(f) for f in found)
        + f". Nothing was loaded: a list that loses more than {s.shrink_max_fraction:.0%} or "
        f"{s.shrink_max_entries} entries is usually a partial or wrong file. Check the file, or pass "
        "--accept-shrink if the list really shrank (an internal list is kept beside the others with --list NAME)"
    )
