"""OpenRefine 3.6 (Debian's ``openrefine`` package) run headless on a free loopback port with a temporary
workspace, and driven over the HTTP command API its own web page uses: create a project from a CSV,
reconcile a column against a service, extend it with that service's properties, read the rows back."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from service_helpers import free_port

START_TIMEOUT_S = 60
JOB_TIMEOUT_S = 40
ENGINE = json.dumps({"facets": [], "mode": "row-based"})
CSV_OPTIONS = json.dumps({"separator": ",", "headerLines": 1, "ignoreLines": -1, "skipDataLines": 0, "limit": -1,
                          "storeBlankRows": True, "guessCellValueTypes": False, "processQuotes": True,
                          "encoding": "UTF-8"})


def executable() -> str:
    path = shutil.which("openrefine")
    if path is None:
        pytest.fail("openrefine is not installed: run `.ci/run` (apt-get install openrefine) or install it")
    return path


class Refine:
    """One running OpenRefine: its base URL and a client that carries the CSRF token its commands need."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=30)
        self._token: str | None = None

    def token(self) -> str:
        if self._token is None:
            self._token = str(self.http.get("command/core/get-csrf-token").json()["token"])
        return self._token

    def command(self, name: str, params: dict[str, str], data: dict[str, str]) -> Any:
        r = self.http.post(f"command/core/{name}", params={**params, "csrf_token": self.token()}, data=data)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body.get("code") in ("ok", "pending"), body
        return body

    def create_project(self, name: str, csv_text: str) -> str:
        r = self.http.post("command/core/create-project-from-upload", params={"csrf_token": self.token()},
                           data={"project-name": name, "format": "text/line-based/*sv", "options": CSV_OPTIONS},
                           files={"project-file": ("names.csv", csv_text.encode(), "text/csv")})
        assert r.status_code == 302, f"{r.status_code}: {r.text[:500]}"
        return r.headers["location"].rsplit("project=", 1)[1]

    def wait(self, project: str) -> None:
        """Until the project's long-running processes (reconcile, extend) are done."""
        deadline = time.monotonic() + JOB_TIMEOUT_S
        while time.monotonic() < deadline:
            processes = self.http.get("command/core/get-processes", params={"project": project}).json()["processes"]
            if not processes:
                return
            time.sleep(0.25)
        pytest.fail(f"OpenRefine's job on project {project} did not finish within {JOB_TIMEOUT_S} s")

    def reconcile(self, project: str, column: str, service: str, manifest: dict[str, Any], type_: str) -> None:
        config = {"mode": "standard-service", "service": service, "identifierSpace": manifest["identifierSpace"],
                  "schemaSpace": manifest["schemaSpace"], "type": {"id": type_, "name": type_},
                  "autoMatch": True, "columnDetails": [], "limit": 0, "batchSize": manifest.get("batchSize", 10)}
        self.command("reconcile", {"project": project},
                     {"columnName": column, "config": json.dumps(config), "engine": ENGINE})
        self.wait(project)

    def extend(self, project: str, column: str, service: str, manifest: dict[str, Any], properties: list[str]
               ) -> None:
        extension = {"properties": [{"id": p, "name": p} for p in properties]}
        self.command("extend-data", {"project": project},
                     {"baseColumnName": column, "endpoint": service, "identifierSpace": manifest["identifierSpace"],
                      "schemaSpace": manifest["schemaSpace"], "extension": json.dumps(extension),
                      "columnInsertIndex": "1", "engine": ENGINE})
        self.wait(project)

    def table(self, project: str) -> tuple[list[str], list[list[dict[str, Any] | None]]]:
        """The column names and every row's cells (``None`` for an empty cell, recons resolved from the
        pool), as the web page reads them."""
        model = self.http.get("command/core/get-models", params={"project": project}).json()
        columns = model["columnModel"]["columns"]
        got = self.http.get("command/core/get-rows", params={"project": project, "start": "0", "limit": "1000"}
                            ).json()
        recons = got.get("pool", {}).get("recons", {})  # a cell names its recon by id; the pool holds them
        out = []
        for row in got["rows"]:
            cells = [None if c is None else {**c, "r": recons[c["r"]]} if isinstance(c.get("r"), str) else c
                     for c in row["cells"]]
            out.append([cells[c["cellIndex"]] if c["cellIndex"] < len(cells) else None for c in columns])
        return [c["name"] for c in columns], out


@contextmanager
def running_openrefine(workspace: Path) -> Iterator[Refine]:
    """OpenRefine on 127.0.0.1 over ``workspace``, stopped (and its JVM with it) on the way out."""
    port = free_port()
    log = (workspace / "openrefine.log").open("ab")
    proc = subprocess.Popen([executable(), "-i", "127.0.0.1", "-p", str(port), "-d", str(workspace), "-m", "512M",
                             "-x", "refine.headless=true", "run"], stdout=log, stderr=log, start_new_session=True)
    try:
        refine = Refine(f"http://127.0.0.1:{port}/")
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"OpenRefine did not start: {(workspace / 'openrefine.log').read_text()[-2000:]}")
            try:
                if refine.http.get("command/core/get-version").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        yield refine
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the launcher script and the JVM it started: they share the session (process group) it leads."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)
