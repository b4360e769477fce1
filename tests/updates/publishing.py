"""A real HTTP server on 127.0.0.1, in a thread, serving recorded list files the way a publisher does:
ETag and Last-Modified validators, 304 to a matching conditional request, and on demand the failures an
update must survive (a 500, a body cut short of its Content-Length, an answer slower than the timeout)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from typing import Literal

Mode = Literal["ok", "500", "truncate", "slow"]


@dataclass
class Served:
    body: bytes
    etag: str
    mode: Mode = "ok"
    delay: float = 0.0


@dataclass
class Publisher:
    """What the server serves (path -> file) and what it was asked (path, If-None-Match) per request."""

    base: str
    files: dict[str, Served] = field(default_factory=dict)
    requests: list[tuple[str, str | None]] = field(default_factory=list)

    def publish(self, path: str, body: bytes, *, mode: Mode = "ok", delay: float = 0.0) -> None:
        """Serve ``body`` at ``path``; a new body gets a new ETag, as a publisher's server gives it."""
        self.files[path] = Served(body, f'"{len(self.files)}-{hash(body) & 0xFFFFFFFF:x}"', mode, delay)


def handler(pub: Publisher) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep the test output clean
            pass

        def do_GET(self) -> None:
            pub.requests.append((self.path, self.headers.get("If-None-Match")))
            served = pub.files.get(self.path)
            if served is None:
                self.send_error(404)
                return
            if served.mode == "slow":
                time.sleep(served.delay)
            if served.mode == "500":
                self.send_error(500, "Internal Server Error")
                return
            if self.headers.get("If-None-Match") == served.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(served.body)))
            self.send_header("ETag", served.etag)
            self.send_header("Last-Modified", formatdate(usegmt=True))
            self.end_headers()
            body = served.body[: len(served.body) // 2] if served.mode == "truncate" else served.body
            self.wfile.write(body)
            self.wfile.flush()
            if served.mode == "truncate":
                self.close_connection = True

    return Handler
