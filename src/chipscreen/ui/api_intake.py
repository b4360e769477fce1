"""The API's findings become cases too: after a successful ``POST /match/...`` or ``POST /check`` has been
answered, its matches and its decisions that need a licence or carry a flag are filed in the review queue
(the same intake as the desk's pages: ``chipscreen.review.intake``). It reads the request and the answer as
they pass and changes neither; a failure to file is logged, never the client's."""

from __future__ import annotations

import json
import logging
from typing import Any

from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chipscreen.model import Decision, Transaction
from chipscreen.names import Match
from chipscreen.review import CaseInput, CaseStore, decision_inputs, entry_hashes, match_inputs
from chipscreen.service.state import ServiceState

log = logging.getLogger("chipscreen.ui")


class ApiIntake:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope.get("method") != "POST" or not (path.startswith("/match/") or path == "/check"):
            await self.app(scope, receive, send)
            return
        request_body: list[bytes] = []
        answer: dict[str, Any] = {"status": 0, "body": []}

        async def tap_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                request_body.append(message.get("body", b""))
            return message

        async def tap_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body":
                answer["body"].append(message.get("body", b""))
            await send(message)

        await self.app(scope, tap_receive, tap_send)
        if answer["status"] == 200:
            app_state = scope["app"].state
            # on the event loop, as the service's own routes: the view's DuckDB connection serves one call at a time
            file_cases(app_state.desk.cases, app_state.service, path, b"".join(request_body), b"".join(answer["body"]))


def file_cases(cases: CaseStore, service: ServiceState, path: str, request: bytes, answer: bytes) -> None:
    try:
        asked, got = json.loads(request), json.loads(answer)
        inputs = check_inputs(asked, got) if path == "/check" else match_inputs_of(service, asked, got)
        cases.file(inputs)
    except (ValueError, KeyError, TypeError, AttributeError, ValidationError) as exc:
        log.warning("the cases of %s could not be filed: %r", path, exc)


def check_inputs(asked: dict[str, Any], got: dict[str, Any]) -> list[CaseInput]:
    out: list[CaseInput] = []
    for qid, resp in got.get("responses", {}).items():
        if resp.get("status") == 200 and qid in asked.get("queries", {}):
            tx = Transaction.model_validate(asked["queries"][qid])
            out.extend(decision_inputs(tx, Decision.model_validate(resp["decision"]), source="api/check"))
    return out


def match_inputs_of(service: ServiceState, asked: dict[str, Any], got: dict[str, Any]) -> list[CaseInput]:
    view = service.view()
    out: list[CaseInput] = []
    for qid, resp in got.get("responses", {}).items():
        props = asked.get("queries", {}).get(qid, {}).get("properties", {})
        names, countries = as_list(props.get("name")), as_list(props.get("country"))
        if not names or not resp.get("results"):
            continue
        matches = [as_match(r) for r in resp["results"]]
        hashes = entry_hashes(view.store, view.snapshot.id, [m.entity_id for m in matches])
        country = countries[0].upper() if countries else None
        out.extend(match_inputs(names[0], country, matches, hashes, source="api/match", snapshot=view.snapshot.id))
    return out


def as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value else [])


def as_match(row: dict[str, Any]) -> Match:
    """A result of yente's /match read back as the screener's match it was made from."""
    name_match = row.get("explanations", {}).get("name_match", {})
    datasets = row.get("datasets") or ["?"]
    return Match(entity_id=str(row["id"]), name=str(row.get("caption", "")),
                 matched_name=str(name_match.get("candidate", row.get("caption", ""))), list=str(datasets[0]).upper(),
                 score=float(row["score"]), hit=bool(row.get("match")), explanation=name_match.get("breakdown", {}))
