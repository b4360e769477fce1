"""The service's JSON encoder answers whatever JSON can carry."""

from __future__ import annotations

import json

from chipscreen.service.responses import FastJSON


def test_an_integer_past_64_bits_is_still_encoded() -> None:
    body = FastJSON({"limit": 2**110, "name": "华为"}).body
    assert json.loads(body) == {"limit": 2**110, "name": "华为"}
