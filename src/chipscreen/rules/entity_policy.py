"""The Entity List's per-entry licence review policy (``data/lists/entity_list_review_policies.yaml``).

The bundled Entity List is an eCFR parse without the "License review policy" column, yet the column differs
per entry: SMIC's is case by case except for items uniquely required at 10 nm and below, Huawei's a
presumption of denial. The table gives the column for the Chinese AI, computing and semiconductor entries;
the decision engine applies it to the entry's Entity List reason and quotes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chipscreen.errors import DataError
from chipscreen.model import ReviewPolicy
from chipscreen.paths import parsed_file


class _EntrySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    names: list[str] = Field(default_factory=list)
    names_containing: list[str] = Field(default_factory=list)
    policy: ReviewPolicy
    text: str
    exception: str = ""
    citation: str
    source: str
    verified: bool


@dataclass(frozen=True)
class EntityPolicy:
    """One entry's review-policy column: the policy for advanced-computing items and the text as written."""

    id: str
    policy: ReviewPolicy
    text: str
    exception: str
    citation: str
    source: str
    verified: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "review_policy": self.policy,
            "review_policy_text": self.text,
            "review_policy_exception": self.exception or None,
            "review_policy_citation": self.citation,
            "review_policy_source": self.source,
            "review_policy_verified": self.verified,
        }


@dataclass(frozen=True)
class EntityPolicies:
    exact: dict[str, EntityPolicy]
    contains: tuple[tuple[str, EntityPolicy], ...]

    def of(self, name: str) -> EntityPolicy | None:
        """The column for a listed entry, by its primary name (exact first, then a name fragment)."""
        hit = self.exact.get(name.casefold())
        if hit is not None:
            return hit
        folded = name.casefold()
        return next((p for frag, p in self.contains if frag in folded), None)


def parse_entity_policies(raw: Any, where: str) -> EntityPolicies:
    """The table as written; a malformed row is a ``DataError`` naming the file and the row."""
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        raise DataError(where, "entries", "expected a list of entries")
    exact: dict[str, EntityPolicy] = {}
    contains: list[tuple[str, EntityPolicy]] = []
    for i, row in enumerate(raw["entries"]):
        try:
            spec = _EntrySpec.model_validate(row)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise DataError(where, f"entries[{i}].{'.'.join(str(p) for p in err['loc'])}", err["msg"]) from None
        pol = EntityPolicy(spec.id, spec.policy, spec.text, spec.exception, spec.citation, spec.source, spec.verified)
        if not spec.names and not spec.names_containing:
            raise DataError(where, f"entries[{i}]", "names or names_containing is required")
        exact.update({n.casefold(): pol for n in spec.names})
        contains.extend((frag.casefold(), pol) for frag in spec.names_containing)
    return EntityPolicies(exact, tuple(contains))


_load = parsed_file(parse_entity_policies, "lists", "entity_list_review_policies.yaml")


def entity_policy(name: str, path: Path | None = None) -> EntityPolicy | None:
    """The review-policy column of the Entity List entry with this primary name, if the table has it."""
    return _load(path).of(name)


def unverified_marks(listing: Mapping[str, Any]) -> str:
    """What an Entity List reason must say it rests on without the primary text: its start date (a secondary
    source, or the publication date for a rule not in the effective-date table) or its review policy (taken
    from an announcement, not the Supp. No. 4 column). Empty when both were read in the primary text."""
    marks = [
        what
        for what, key in (("start date", "listed_since_verified"), ("review policy", "review_policy_verified"))
        if listing.get(key) is False
    ]
    return f" ({'; '.join(f'{m} unverified' for m in marks)}: primary text not read)" if marks else ""
