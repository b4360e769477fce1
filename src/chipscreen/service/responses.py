"""JSON answers encoded by orjson: a /match answer carries each candidate's whole explanation, and the standard
library's encoder took about a tenth of the service's CPU per request."""

from __future__ import annotations

import json
from typing import Any

import orjson
from fastapi.responses import JSONResponse


class FastJSON(JSONResponse):
    """``JSONResponse`` with orjson's encoder: the same JSON (UTF-8, compact), about five times faster."""

    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content)
        except orjson.JSONEncodeError:  # an integer past 64 bits, which orjson refuses and JSON allows
            return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
