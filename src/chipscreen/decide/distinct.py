"""A decision states each finding once: the same reason reached through two parties' paths, or the same
flag raised by two routes, reads as one line, in a stable order that makes two runs byte-identical."""

from __future__ import annotations

from typing import TypeVar

from chipscreen.model import Flag, Reason

__all__ = ["distinct"]

_Finding = TypeVar("_Finding", Reason, Flag)


def distinct(findings: list[_Finding]) -> list[_Finding]:
    """The first of each (code, party, detail), sorted by that key."""
    seen: dict[tuple[str, str | None, str], _Finding] = {}
    for f in findings:
        seen.setdefault((f.code, f.party, f.detail), f)
    return sorted(seen.values(), key=lambda f: (f.code, f.party or "", f.detail))
