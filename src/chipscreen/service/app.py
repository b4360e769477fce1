"""The FastAPI application: its state (the view in service, keys, audit log, rate limiter) and its routes."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

import chipscreen
from chipscreen.service import errors
from chipscreen.service.audit import AuditLog
from chipscreen.service.config import ServiceConfig
from chipscreen.service.keys import KeyStore
from chipscreen.service.own_routes import router as own_router
from chipscreen.service.rates import RateLimiter
from chipscreen.service.reconcile_routes import router as reconcile_router
from chipscreen.service.state import ServiceState
from chipscreen.service.yente_routes import router as yente_router
from chipscreen.store import default_home
from chipscreen.ui import install as install_desk


def create_app(config: ServiceConfig, *, warm: bool = True, warm_before_serving: bool = False) -> FastAPI:
    """The service over ``config.home``. With ``warm`` the index is built in a thread after start-up
    (``/readyz`` says when it is done); without, the caller calls ``app.state.service.warm()``.
    ``warm_before_serving`` builds it before the process accepts a connection: with several workers on one
    socket, a worker still warming must not take requests the others could answer."""
    state = ServiceState(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm_before_serving:
            state.warm(prepare=False)  # the parent prepared the home: workers only read it
            state.watch()
        elif warm:
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
    app.state.limiter = RateLimiter(config.home)
    errors.install(app)
    app.include_router(yente_router)
    app.include_router(own_router)
    app.include_router(reconcile_router)
    # reconciliation is called from the browser (OpenRefine's pages): any origin, keys still required
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                       allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(errors.BodyLimit, limit=config.limits.max_body_bytes)
    install_desk(app)  # the browser desk under /ui (chipscreen.ui)
    return app


AUTH_ENV = "CHIPSCREEN_SERVE_AUTH"


def app_from_env() -> FastAPI:
    """The app each uvicorn worker process builds (``serve --workers N``): the home from ``CHIPSCREEN_HOME``,
    keys on unless ``CHIPSCREEN_SERVE_AUTH=0``. Each worker holds its own index; the keys and the audit log
    are shared files (the chain stays one: appends take SQLite's write lock), and so are the rate buckets."""
    config = ServiceConfig(home=default_home(), auth=os.environ.get(AUTH_ENV, "1") != "0")
    return create_app(config, warm_before_serving=True)
