"""Who may ask: the key from ``Authorization: ApiKey <key>`` (yente's clients) or ``?api_key=`` (OpenRefine),
its scope, and its rate (counted across worker processes: ``rates.py``). No key: 401; a key without the
scope: 403; over its rate: 429 with Retry-After."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request
from fastapi.security import APIKeyHeader, APIKeyQuery

from chipscreen.service.keys import ApiKey, KeyStore

ANONYMOUS = ApiKey("anonymous", "no authentication (--no-auth)", ("admin",), None, "", None)
header_scheme = APIKeyHeader(name="Authorization", auto_error=False,
                             description="`ApiKey <key>` (yente's clients send this)")
query_scheme = APIKeyQuery(name="api_key", auto_error=False, description="the key, for clients that cannot set headers")


def secret_of(request: Request) -> str | None:
    header = request.headers.get("authorization", "").strip()
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() in ("apikey", "bearer", "token") and value.strip():
            return value.strip()
        return header if " " not in header else None
    return request.query_params.get("api_key") or None


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail=detail, headers={"WWW-Authenticate": "ApiKey"})


def require(scope: str) -> Callable[[Request], Awaitable[ApiKey]]:
    """A dependency that admits a live key with ``scope`` (``admin`` admits all) within its rate."""

    async def dependency(request: Request) -> ApiKey:
        app_state = request.app.state
        if not app_state.config.auth:
            return ANONYMOUS
        secret = secret_of(request)
        if secret is None:
            raise _unauthorized("an API key is required: send `Authorization: ApiKey <key>` or `?api_key=<key>`")
        keys: KeyStore = app_state.keys
        key = keys.find(secret)
        if key is None:
            raise _unauthorized("unknown or revoked API key")
        if not key.allows(scope):
            raise HTTPException(403, detail=f"key {key.id} lacks the {scope!r} scope (it has: {', '.join(key.scopes)})")
        rate = key.rate_per_minute or app_state.config.limits.rate_per_minute
        wait = app_state.limiter.take(key.id, rate)
        if wait > 0:
            raise HTTPException(429, detail=f"key {key.id} is over its rate of {rate} requests a minute",
                                headers={"Retry-After": str(max(1, math.ceil(wait)))})
        request.state.key = key
        return key

    return dependency
