"""Red flags of Supp. No. 3 to part 732 that a transaction's facts show: a freight forwarder named as the
final destination of a controlled item. Facts the transaction does not carry raise nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from decide_helpers import end_user

from chipscreen.decide.red_flags import red_flag_rules
from chipscreen.errors import DataError
from chipscreen.model import Decision, Flag

Decide = Callable[..., Decision]


def red(d: Decision) -> list[Flag]:
    return [f for f in d.flags if f.code == "red_flag"]


def test_a_forwarder_as_end_user_of_an_h100_is_flagged_with_its_words(decide: Decide) -> None:
    d = decide(
        date="2024-06-03",
        to="MY",
        item="nvidia-h100-sxm5",
        parties=[end_user("Example Penang Freight Forwarding Sdn Bhd", "MY")],
    )
    (flag,) = red(d)
    assert flag.evidence["words"] == ["forwarding", "freight"] and "732 Supp. 3" in flag.evidence["citation"]


def test_an_ordinary_end_user_or_a_forwarder_as_consignee_raises_nothing(decide: Decide) -> None:
    plain = decide(date="2024-06-03", to="MY", item="nvidia-h100-sxm5", parties=[end_user("Example KL Sdn Bhd", "MY")])
    consignee = {"role": "consignee", "name": "Example Penang Logistics Sdn Bhd", "country": "MY"}
    chain = decide(
        date="2024-06-03", to="MY", item="nvidia-h100-sxm5", parties=[consignee, end_user("Example KL Sdn Bhd", "MY")]
    )
    assert red(plain) == [] and red(chain) == []


def test_a_word_inside_another_word_does_not_count(decide: Decide) -> None:
    d = decide(date="2024-06-03", to="MY", item="nvidia-h100-sxm5", parties=[end_user("Expressway Data Sdn Bhd", "MY")])
    assert red(d) == []


def test_an_uncontrolled_item_raises_nothing(decide: Decide) -> None:
    d = decide(
        date="2024-06-03",
        to="MY",
        item={"id": "router", "kind": "system", "eccn": "EAR99"},
        parties=[end_user("Example Cargo Sdn Bhd", "MY")],
    )
    assert red(d) == []


def test_a_rule_file_with_no_words_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "red_flags.yaml"
    bad.write_text(
        "forwarder_final_destination: {title: t, citation: c, verified: false, roles: [end_user], "
        "words: [], controlled_only: true}\n"
    )
    with pytest.raises(DataError, match="words"):
        red_flag_rules(bad)
