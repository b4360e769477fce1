"""Route flags on an item that is not subject to the EAR: the pattern stays visible to the analyst, and the
flag says the item is outside the EAR so that no one reads it as a licence matter."""

from __future__ import annotations

from collections.abc import Callable

from decide_helpers import accelerator_ic, end_user

from chipscreen.model import Decision, Flag

Decide = Callable[..., Decision]
FOREIGN = accelerator_ic("foreign-accel", us_origin=False, us_content_percent=5, us_technology=False)
CN_USER = end_user("Example Beijing Cloud Services Co., Ltd.", headquarters="CN")
HUB = {"role": "consignee", "name": "Example Penang Trading Sdn Bhd", "country": "MY"}


def route(d: Decision, code: str) -> Flag:
    return next(f for f in d.flags if f.code == code)


def test_unknown_ownership_on_a_foreign_chip_outside_the_ear_says_so(decide: Decide) -> None:
    d = decide(date="2024-06-03", item=FOREIGN, parties=[CN_USER], kind="in_country_transfer", **{"from": "CN"})
    flag = route(d, "unknown_ownership")
    assert not d.license_required
    assert flag.evidence["subject_to_ear"] is False
    assert "not subject to the EAR (no test brings the foreign-made item under the EAR" in flag.detail
    assert "no EAR licence or control applies" in flag.detail


def test_transshipment_of_a_foreign_chip_outside_the_ear_says_so(decide: Decide) -> None:
    d = decide(date="2024-06-03", item=FOREIGN, parties=[HUB, CN_USER], to="MY", **{"from": "MY"})
    flag = route(d, "transshipment")
    assert flag.evidence["subject_to_ear"] is False and "not subject to the EAR" in flag.detail


def test_the_same_chip_under_de_minimis_raises_the_plain_flag(decide: Decide) -> None:
    item = {**FOREIGN, "us_content_percent": 30}
    d = decide(date="2024-06-03", item=item, parties=[HUB, CN_USER], to="MY", **{"from": "MY"})
    flag = route(d, "transshipment")
    assert "subject_to_ear" not in flag.evidence and "not subject" not in flag.detail


def test_remote_access_to_a_listed_party_on_a_foreign_chip_says_so(decide: Decide) -> None:
    customer = {"role": "customer", "name": "Huawei Technologies Co., Ltd.", "country": "CN"}
    d = decide(date="2024-06-03", item=FOREIGN, parties=[customer], kind="cloud_service", to="MY", **{"from": "MY"})
    flag = route(d, "remote_access")
    assert flag.evidence["subject_to_ear"] is False and flag.evidence["grounds"]


def test_a_us_made_chip_keeps_its_route_flags_unchanged(decide: Decide) -> None:
    d = decide(date="2024-06-03", item="nvidia-h100-sxm5", parties=[HUB, CN_USER], to="MY")
    assert "not subject" not in route(d, "transshipment").detail
