"""Values as the rule data writes them (dates, citations) and the error that points at a key inside a file.

YAML gives a date as a ``date`` when unquoted and as a string when quoted, and a citation as a mapping
(``fr``, ``fr_doc``, ``cfr``, ``text``, ``confidence``) or plain text; every reader of ``data/rulebooks``
and ``data/country_groups.yaml`` accepts both the same way. The pydantic types below apply the same
readings inside the typed section models, so a rulebook and the country groups cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from chipscreen.dates import to_date


class SpecError(ValueError):
    """A problem at a key path inside one data file, raised where the file is not known.

    The reader of the file catches it once and reports it as a ``DataError`` naming the file as well."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


class Spec(BaseModel):
    """A section of a rule data file as written: unknown keys are errors (a misspelt key must not vanish)."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True, populate_by_name=True)


def key_path(prefix: str, loc: tuple[int | str, ...]) -> str:
    """``("thresholds", "tpp_a1", "value")`` as ``thresholds.tpp_a1.value``; list positions as ``[2]``."""
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part != "[key]":  # pydantic's marker for a problem with a mapping's key, not its value
            out += f".{part}" if out else part
    return out


def validation_problem(exc: ValidationError, prefix: str = "") -> SpecError:
    """The first problem pydantic found, at its key path, in words a data editor reads."""
    errors = exc.errors()
    err = errors[0]
    kind = err["type"]
    if kind == "missing":
        problem = "missing"
    elif kind == "extra_forbidden":
        problem = "unknown key"
    else:
        problem = err["msg"].removeprefix("Value error, ")
        if kind.endswith(("_type", "_parsing")):
            problem += f", got {err['input']!r}"
    if len(errors) > 1:
        problem += f" (and {len(errors) - 1} more problems)"
    return SpecError(key_path(prefix, err["loc"]), problem)


def one_of(what: str, allowed: tuple[str, ...]) -> BeforeValidator:
    """A check for a code from a fixed set that names the set in its message (``unknown inequality '=>'``)."""

    def check(value: Any) -> Any:
        if value not in allowed:
            raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")
        return value

    return BeforeValidator(check)


def as_date(value: Any, where: str) -> dt.date | None:
    """A YAML date, quoted or not; ``None`` stays ``None`` (an open end)."""
    try:
        return to_date(value)
    except ValueError as exc:
        raise SpecError(where, str(exc)) from None


def render_citation(cite: Any) -> str:
    """A citation mapping (``fr``, ``fr_doc``, ``cfr``, ``text``, ``confidence``) as one readable line."""
    if cite is None:
        return ""
    if isinstance(cite, str):
        return cite
    if not isinstance(cite, Mapping):
        raise ValueError(f"a citation is text or {{fr, fr_doc, cfr, text, confidence}}, got {cite!r}")
    parts: list[str] = []
    if cite.get("fr"):
        parts.append(str(cite["fr"]) + (f" (FR Doc {cite['fr_doc']})" if cite.get("fr_doc") else ""))
    elif cite.get("fr_doc"):
        parts.append(f"FR Doc {cite['fr_doc']}")
    for key in ("cfr", "text"):
        if cite.get(key):
            parts.append(str(cite[key]))
    out = "; ".join(parts)
    if cite.get("confidence"):
        out += f" [{cite['confidence']}]"
    return out


def _date_field(value: Any) -> dt.date | None:
    try:
        return as_date(value, "")
    except SpecError as exc:
        raise ValueError(exc.problem) from None


def _folded(value: Any) -> str:
    """Folded YAML text (``>-``) and hand-wrapped strings as one line with single spaces."""
    return " ".join(str(value).split())


IsoDate = Annotated[dt.date | None, BeforeValidator(_date_field)]
"""A date field of the rule data: a YAML date, an ISO string, or null."""

CitationText = Annotated[str, BeforeValidator(render_citation)]
"""A citation field, rendered once at load time as the one line every answer shows."""

FoldedText = Annotated[str, BeforeValidator(_folded)]
"""Prose whose line breaks carry no meaning (summaries, details, notes)."""

Confidence = Literal["H", "M", "L"]
"""How sure the data is of a fact: high, medium, low (shown as ``[M]`` beside the fact)."""

ConfidenceTag = Annotated[Confidence, one_of("confidence", get_args(Confidence))]
