"""An item whose figures leave its classification open: the answer under every classification it could have.

When the answer is the same under all of them (a Malaysian end user in 2024 with no listed or
D:5-headquartered party needs no licence for 3A090.a, 3A090.b or an uncontrolled chip alike), that answer is
the answer, and the flag says why. When the answers differ, a licence is assumed and the flag names the
figures that would decide it and what each classification would lead to.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from chipscreen.model import Flag
from chipscreen.rules import ItemClassification, LicenseRequirement
from chipscreen.rules.question import LicenceQuestion

__all__ = ["Alternatives", "alternatives", "possible_classifications"]

Answer = Callable[[LicenceQuestion], LicenseRequirement]
NOT_CONTROLLED = "not controlled"


def possible_classifications(cls: ItemClassification) -> dict[str, ItemClassification]:
    """Every classification the item could have, each as a determined one, by label."""
    out: dict[str, ItemClassification] = {}
    for cand in cls.candidates:
        out[cand] = cls.model_copy(
            update={"status": "controlled", "paragraph": cand, "candidates": [], "possibly_uncontrolled": False}
        )
    if cls.possibly_uncontrolled or not cls.candidates:
        out[NOT_CONTROLLED] = cls.model_copy(
            update={
                "status": "not_controlled",
                "eccn": None,
                "paragraph": None,
                "candidates": [],
                "possibly_uncontrolled": False,
            }
        )
    return out


@dataclass(frozen=True)
class Alternatives:
    """The answer under each possible classification, for one question."""

    answers: dict[str, LicenseRequirement]
    missing: tuple[str, ...]
    destination: str

    @property
    def same(self) -> bool:
        return len({a.license_required for a in self.answers.values()}) == 1

    @property
    def license_required(self) -> bool:
        """The answer when it is the same everywhere; otherwise a licence is assumed."""
        return any(a.license_required for a in self.answers.values())

    def flag(self) -> Flag:
        need = {label: a.license_required for label, a in self.answers.items()}
        labels = ", ".join(self.answers)
        missing = ", ".join(self.missing) or "the figures"
        if self.same and not self.license_required:
            detail = (
                f"classification undetermined ({missing} missing), but no licence is needed to {self.destination} "
                f"under any classification the item could have ({labels})"
            )
        elif self.same:
            detail = (
                f"classification undetermined ({missing} missing), but a licence is needed to {self.destination} "
                f"under every classification the item could have ({labels})"
            )
        else:
            each = "; ".join(f"{label}: {'licence' if v else 'no licence'}" for label, v in need.items())
            detail = (
                f"classification undetermined and the answer depends on it ({each}); a licence is assumed until "
                f"{missing} is supplied"
            )
        return Flag(
            code="undetermined_classification",
            detail=detail,
            evidence={
                "missing": list(self.missing),
                "alternatives": need,
                "same_answer": self.same,
                "destination": self.destination,
            },
        )


def alternatives(q: LicenceQuestion, answer: Answer) -> Alternatives:
    """``q`` asked once per classification the item could have."""
    cls = q.classification
    answers = {
        label: answer(dataclasses.replace(q, classification=alt))
        for label, alt in possible_classifications(cls).items()
    }
    return Alternatives(answers, tuple(cls.missing), q.destination)
