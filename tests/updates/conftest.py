"""The ``publisher`` fixture: a real HTTP server on 127.0.0.1 in a thread (``publishing``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from publishing import Publisher, handler


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(Publisher("")))
    pub = Publisher(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = handler(pub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield pub
    server.shutdown()
    server.server_close()
