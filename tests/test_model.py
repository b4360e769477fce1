"""The Decision contract's codes: declared once, and the only values a reason or flag can carry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from chipscreen.model import FLAG_CODES, REASON_CODES, ROUTE_CODES, Flag, Reason

CONTRACTS = Path(__file__).resolve().parents[1] / "docs" / "contracts.md"


def contract_codes(start: str, end: str) -> set[str]:
    """The codes docs/contracts.md names between two phrases: in backticks, before a colon, a comma, a full
    stop or a line end."""
    text = CONTRACTS.read_text(encoding="utf-8")
    section = text[text.index(start): text.index(end, text.index(start))]
    return set(re.findall(r"`([a-z_0-9]+)`(?=[:,.]|\s*$)", section, re.M))


def test_reason_and_flag_codes_are_those_the_contract_documents() -> None:
    assert set(REASON_CODES) == contract_codes("**Reason codes**", "Each reason carries")
    assert set(ROUTE_CODES) == contract_codes("three circumvention routes", "and, as BIS's red-flag guidance")
    assert set(ROUTE_CODES) <= set(FLAG_CODES)
    assert not set(REASON_CODES) & set(FLAG_CODES)


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValidationError):
        Reason(code="embargo", citation="c", detail="d")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Flag(code="suspicious", detail="d")  # type: ignore[arg-type]


def test_codes_serialise_as_plain_strings() -> None:
    flag = Flag(code="remote_access", party="P", detail="d")
    assert flag.model_dump_json() == '{"code":"remote_access","party":"P","detail":"d","evidence":{}}'
