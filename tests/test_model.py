"""The Decision contract's codes: declared once, and the only values a reason or flag can carry."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chipscreen.model import FLAG_CODES, REASON_CODES, ROUTE_CODES, Flag, Reason


def test_reason_and_flag_codes_are_declared_once() -> None:
    assert set(REASON_CODES) == {
        "destination",
        "headquarters",
        "is_informed",
        "entity_list",
        "meu",
        "affiliate_50",
        "end_use",
        "foundry_due_diligence",
    }
    assert set(ROUTE_CODES) == {"remote_access", "pre_rule_stock", "unlisted_affiliate"}
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
