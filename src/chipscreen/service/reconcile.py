"""W3C Reconciliation Service API 0.2 (what OpenRefine 3.x speaks), answered from the snapshot in service.

Reconciliation queries become yente-style examples (``query`` -> name, ``country``/``jurisdiction`` ->
country, identifier properties -> identifiers; values may be strings, numbers or ``{id, name}``), scored by
the same engine as ``/match``. Data extension reads each entity's country, lists, listing dates and the
lists' licence requirements. Nulls are left out everywhere: the 0.2 schemas refuse them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chipscreen.service.ftm import COMPATIBLE, read_example
from chipscreen.service.matching import MatchParams, match_example
from chipscreen.service.state import View

TYPES = ("Company", "Organization", "LegalEntity", "Person", "Vessel", "Airplane")
EXTEND_PROPERTIES = {
    "country": "Country",
    "list": "List",
    "listing_date": "Listing date",
    "licence_requirement": "Licence requirement",
    "registrationNumber": "Registration number",
}
QUERY_PROPERTIES = {"country": "Country", "jurisdiction": "Jurisdiction", "registrationNumber": "Registration number",
                    "leiCode": "LEI", "taxNumber": "Tax number"}


class BadQuery(ValueError):
    """A query the batch cannot answer; the message starts with its path (``q3.query``)."""


def manifest(base: str, dataset: str, batch_size: int, auth: bool) -> dict[str, Any]:
    root = f"{base}reconcile/{dataset}"
    out: dict[str, Any] = {
        "versions": ["0.2"], "name": f"chipscreen ({dataset})", "identifierSpace": f"{base}entities/",
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/", "view": {"url": f"{base}entities/{{{{id}}}}"},
        "defaultTypes": [{"id": t, "name": t} for t in TYPES[:4]],
        "suggest": {k: {"service_url": root, "service_path": f"/suggest/{k}"} for k in ("entity", "type", "property")},
        "extend": {"propose_properties": {"service_url": root, "service_path": "/extend/propose"},
                   "property_settings": []},
        "batchSize": batch_size,
    }
    if auth:
        out["authentication"] = {"type": "apiKey", "name": "api_key", "in": "query",
                                 "description": "a chipscreen API key with the screen scope (chipscreen keys create)"}
    return out


def _value_strings(v: Any) -> list[str]:
    items = v if isinstance(v, list) else [v]
    out = []
    for item in items:
        if isinstance(item, Mapping):
            item = item.get("name") or item.get("id")
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            out.append(str(item))
    return out


def read_query(key: str, q: Any) -> tuple[str, dict[str, list[str]], int | None]:
    """The schema, FtM-style properties and limit of one reconciliation query."""
    if isinstance(q, str):
        q = {"query": q}
    if not isinstance(q, Mapping):
        raise BadQuery(f"{key}: a query is an object with a 'query' string")
    text = q.get("query")
    if not isinstance(text, str | int | float) or isinstance(text, bool) or not str(text).strip():
        raise BadQuery(f"{key}.query: a non-empty string is required")
    schema = q.get("type") if isinstance(q.get("type"), str) else "LegalEntity"
    if schema not in COMPATIBLE:
        raise BadQuery(f"{key}.type: unknown type {schema!r}; types are {', '.join(TYPES)}")
    props: dict[str, list[str]] = {"name": [str(text)]}
    for i, p in enumerate(q.get("properties") or []):
        if not isinstance(p, Mapping) or not isinstance(p.get("pid"), str):
            raise BadQuery(f"{key}.properties.{i}: an object with 'pid' and 'v'")
        props.setdefault(p["pid"], []).extend(_value_strings(p.get("v")))
    limit = q.get("limit")
    return schema, props, limit if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0 else None


def reconcile(view: View, lists: list[str], batch: Mapping[str, Any], limit_max: int) -> dict[str, Any]:
    """Each query's candidates, best first, with the score (0-100) and the engine's features."""
    out: dict[str, Any] = {}
    for key, q in batch.items():
        schema, props, limit = read_query(key, q)
        ex = read_example(schema, props)
        params = MatchParams(lists, min(limit or 5, limit_max), None, None, frozenset())
        out[key] = {"result": [candidate(r) for r in match_example(view, ex, params).rows]}
    return out


def candidate(r: dict[str, Any]) -> dict[str, Any]:
    country = ", ".join(c.upper() for c in r["properties"].get("country", []))
    lists = ", ".join(d.upper() for d in r["datasets"])
    return {
        "id": r["id"], "name": r["caption"], "description": f"{lists}" + (f"; {country}" if country else ""),
        "score": round(r["score"] * 100, 2), "match": bool(r["match"]),
        "type": [{"id": r["schema"], "name": r["schema"]}],
        "features": [{"id": k, "value": v} for k, v in r["features"].items()],
    }


def extend(view: View, request: Mapping[str, Any]) -> dict[str, Any]:
    ids = request.get("ids")
    props = request.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise BadQuery("extend.ids: a list of entity ids")
    if not isinstance(props, list) or not all(isinstance(p, Mapping) and isinstance(p.get("id"), str) for p in props):
        raise BadQuery("extend.properties: a list of {\"id\": property}")
    wanted = [str(p["id"]) for p in props]
    unknown = [p for p in wanted if p not in EXTEND_PROPERTIES]
    if unknown:
        raise BadQuery(f"extend.properties: unknown {', '.join(unknown)}; offered: {', '.join(EXTEND_PROPERTIES)}")
    rows = {eid: {p: values(view, eid, p) for p in wanted} for eid in ids}
    return {"meta": [{"id": p, "name": EXTEND_PROPERTIES[p]} for p in wanted], "rows": rows}


def values(view: View, eid: str, prop: str) -> list[dict[str, Any]]:
    entity = view.entities.get(eid)
    if entity is None:
        return []
    listings = view.listings.get(eid, [])
    if prop == "country":
        return [{"str": c.upper()} for c in entity["properties"].get("country", [])]
    if prop == "registrationNumber":
        return [{"str": v} for v in entity["properties"].get("registrationNumber", [])]
    if prop == "list":
        return [{"str": x["list"]} for x in listings]
    if prop == "listing_date":
        return [{"date": f"{x['start_date']}T00:00:00Z"} for x in listings if x.get("start_date")]
    return [{"str": f"{x['list']}: {x['license_requirement']}"} for x in listings if x.get("license_requirement")]


def suggest_entities(view: View, lists: list[str], prefix: str, limit: int = 10) -> dict[str, Any]:
    """Entities whose name starts with the prefix, then those the screener finds like it."""
    p = prefix.strip().lower()
    wanted = {c.lower() for c in lists}
    found = [e for e in view.entities.values() if e["caption"].lower().startswith(p) and wanted & set(e["datasets"])]
    found = sorted(found, key=lambda e: e["caption"])[:limit]
    if len(found) < limit and any(ch.isalnum() for ch in p):
        rows = match_example(view, read_example("LegalEntity", {"name": [prefix]}),
                             MatchParams(lists, limit, None, None, frozenset(e["id"] for e in found))).rows
        found += [view.entities[r["id"]] for r in rows][: limit - len(found)]
    return {"result": [{"id": e["id"], "name": e["caption"], "description": ", ".join(e["datasets"]).upper(),
                        "notable": [{"id": e["schema"], "name": e["schema"]}]} for e in found]}


def suggest_types(prefix: str) -> dict[str, Any]:
    p = prefix.strip().lower()
    return {"result": [{"id": t, "name": t} for t in TYPES if t.lower().startswith(p) or p in t.lower()]}


def suggest_properties(prefix: str) -> dict[str, Any]:
    p = prefix.strip().lower()
    every = {**QUERY_PROPERTIES, **EXTEND_PROPERTIES}
    return {"result": [{"id": k, "name": v} for k, v in every.items() if p in k.lower() or p in v.lower()]}


def propose(type_: str | None, limit: int | None) -> dict[str, Any]:
    props = [{"id": k, "name": v} for k, v in EXTEND_PROPERTIES.items()][: limit or None]
    return {"type": type_ or "LegalEntity", "properties": props, **({"limit": limit} if limit else {})}
