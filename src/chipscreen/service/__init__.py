"""chipscreen over HTTP: ``create_app(ServiceConfig(home))`` is the FastAPI app ``chipscreen serve`` runs.

It speaks yente's API (``/match``, ``/search``, ``/entities``, ``/catalog``) so that the screening field's
clients work unchanged, and chipscreen's own endpoints in the same envelope; every answer is in the
hash-chained audit log (``chipscreen.service.audit``)."""

from chipscreen.service.app import create_app
from chipscreen.service.config import ServiceConfig

__all__ = ["ServiceConfig", "create_app"]
