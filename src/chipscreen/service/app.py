"""The FastAPI application: its state (the view in service, keys, audit log, rate limiter) and its routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

import chipscreen
from chipscreen.service import errors
from chipscreen.service.audit import AuditLog
from chipscreen.service.auth import RateLimiter
from chipscreen.service.config import ServiceConfig
from chipscreen.service.keys import KeyStore
from chipscreen.service.own_routes import router as own_router
from chipscreen.service.reconcile_routes import router as reconcile_router
from chipscreen.service.state import ServiceState
from chipscreen.service.yente_routes import router as yente_router


def create_app(config: ServiceConfig, *, warm: bool = True) -> FastAPI:
    """The service over ``config.home``. With ``warm`` the index is built in a thread after start-up
    (``/readyz`` says when it is done); without, the caller calls ``app.state.service.warm()``."""
    state = ServiceState(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm:
            state.start()
        yield
        state.close()

    app = FastAPI(title="chipscreen", version=chipscreen.__version__, lifespan=lifespan,
                  description="Export-control screening over HTTP: yente's /match and /search, W3C "
                  "reconciliation, and chipscreen's /check, /classify, /ownership and /replay.")
    app.state.config = config
    app.state.service = state
    app.state.keys = KeyStore(config.home)
    app.state.audit = AuditLog(config.home)
    app.state.limiter = RateLimiter()
    errors.install(app)
    app.include_router(yente_router)
    app.include_router(own_router)
    app.include_router(reconcile_router)
    # reconciliation is called from the browser (OpenRefine's pages): any origin, keys still required
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                       allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(errors.BodyLimit, limit=config.limits.max_body_bytes)
    return app
