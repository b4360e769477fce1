"""Bad input answered as ``{"detail": ...}`` with the field's path, never a 500: malformed JSON, wrong
types, an oversized body (413), an engine's ``InputError``, a service still warming up (503)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chipscreen.errors import ChipscreenError
from chipscreen.service.state import NotReady, UnknownDataset


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """pydantic's location as one path: ``body.queries.q1.properties`` (``body`` and ``query`` kept)."""
    return ".".join(str(p) for p in loc)


def validation_detail(errors: list[Any]) -> list[dict[str, Any]]:
    out = []
    for e in errors[:20]:
        msg = str(e.get("msg", "invalid"))
        out.append({"loc": list(e.get("loc", ())), "field": field_path(e.get("loc", ())), "msg": msg[:500],
                    "type": str(e.get("type", ""))})
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_detail(list(exc.errors()))}, status_code=422)

    @app.exception_handler(ValidationError)
    async def on_model(_: Request, exc: ValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_detail(list(exc.errors()))}, status_code=422)

    @app.exception_handler(NotReady)
    async def on_not_ready(_: Request, exc: NotReady) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(UnknownDataset)
    async def on_dataset(_: Request, exc: UnknownDataset) -> JSONResponse:
        return JSONResponse({"detail": str(exc.args[0])}, status_code=404)

    @app.exception_handler(Exception)
    async def on_bug(_: Request, exc: Exception) -> JSONResponse:
        # a bug, not bad input: still JSON, and the log (uvicorn's) has the traceback
        return JSONResponse({"detail": f"internal error: {type(exc).__name__}"}, status_code=500)

    @app.exception_handler(ChipscreenError)
    async def on_input(_: Request, exc: ChipscreenError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)[:2000]}, status_code=400)


class BodyLimit:
    """Refuses a request body over ``limit`` bytes with 413, by its Content-Length or as it streams in."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = JSONResponse({"detail": f"request body over {self.limit:,} bytes"}, status_code=413)
        await send({"type": "http.response.start", "status": 413, "headers": body.raw_headers})
        await send({"type": "http.response.body", "body": body.body})


class _TooLarge(Exception):
    pass
