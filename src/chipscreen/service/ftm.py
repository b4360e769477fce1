"""Listed entries as FollowTheMoney entities, and yente's query-by-example read into what the screener takes.

yente's clients (nomenklatura's enricher, yente-client, OpenRefine through reconciliation) speak FtM: a
schema name (Company, Organization, Person, LegalEntity), and properties as lists of strings. Only
properties the FtM schema declares are written, because clients such as nomenklatura refuse the others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chipscreen.countries import to_iso2
from chipscreen.store import ListedEntry

# FtM's names for our party kinds (followthemoney/schema/*.yaml)
SCHEMA_OF_KIND = {"organization": "Organization", "person": "Person", "vessel": "Vessel",
                  "aircraft": "Airplane", "unknown": "LegalEntity"}
# which result schemas a query schema may match: FtM's parent/child relation among the matchable schemata
COMPATIBLE = {
    "Thing": {"Organization", "Company", "Person", "LegalEntity", "Vessel", "Airplane"},
    "LegalEntity": {"Organization", "Company", "Person", "LegalEntity", "PublicBody"},
    "Organization": {"Organization", "Company", "LegalEntity", "PublicBody"},
    "Company": {"Organization", "Company", "LegalEntity"},
    "PublicBody": {"Organization", "LegalEntity", "PublicBody"},
    "Person": {"Person", "LegalEntity"},
    "Vessel": {"Vessel"},
    "Airplane": {"Airplane"},
}
NAME_PROPS = {"primary": "name", "alias": "alias", "former": "previousName", "weak": "weakAlias"}
QUERY_NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
QUERY_COUNTRY_PROPS = ("country", "jurisdiction", "nationality", "citizenship", "mainCountry")
QUERY_ID_PROPS = ("registrationNumber", "leiCode", "taxNumber", "idNumber", "innCode", "ogrnCode", "swiftBic",
                  "imoNumber", "uniqueEntityId", "vatCode")
ID_PROP_OF_SCHEME = {"lei": "leiCode", "tax": "taxNumber", "imo": "imoNumber"}
LEGAL_ENTITY_SCHEMATA = {"Organization", "Company", "Person", "LegalEntity", "PublicBody"}


def dataset_name(list_code: str) -> str:
    """A list code as a yente dataset name: EL -> ``el``."""
    return list_code.lower()


def _dt(day: dt.date | None) -> str | None:
    return dt.datetime.combine(day, dt.time()).isoformat() if day else None


def entity_of(entries: list[ListedEntry]) -> dict[str, Any]:
    """One FtM entity for one entity id (listed on one list, or on several under the same id)."""
    first = entries[0]
    party = first.party
    schema = SCHEMA_OF_KIND.get(party.kind, "LegalEntity")
    props: dict[str, list[str]] = {}

    def add(prop: str, value: str | None) -> None:
        if value and value not in props.setdefault(prop, []):
            props[prop].append(value)

    for name in party.names:
        add(NAME_PROPS.get(name.kind, "alias"), name.value)
    add("country", party.country.lower() if party.country else None)
    for address in party.addresses:
        add("address", address.text)
    for ident in party.identifiers:
        prop = ID_PROP_OF_SCHEME.get(ident.scheme, "registrationNumber")
        if schema in LEGAL_ENTITY_SCHEMATA or prop == "imoNumber":
            add(prop, ident.value)
    for e in entries:
        add("notes", e.listing.remarks)
    starts = [e.listing.start_date for e in entries if e.listing.start_date]
    caption = next((n.value for n in party.names if n.kind == "primary"), party.names[0].value if party.names else "")
    return {
        "id": party.id, "caption": caption, "schema": schema,
        "properties": {k: v for k, v in props.items() if v},
        "datasets": sorted({dataset_name(e.listing.list_code) for e in entries}),
        "referents": [], "target": True,
        "first_seen": _dt(min(starts)) if starts else None, "last_seen": None, "last_change": None,
    }


@dataclass
class Example:
    """What one yente query-by-example asks, as the screener takes it."""

    schema: str
    names: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    echo: dict[str, Any] = field(default_factory=dict)


def _strings(value: Any) -> list[str]:
    """A property's values as strings: yente accepts a bare string or a list; numbers are written out and
    ``{"id", "name"}`` objects (reconciliation) are read by their name."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for v in items:
        if isinstance(v, Mapping):
            v = v.get("name") or v.get("id")
        if isinstance(v, str | int | float) and not isinstance(v, bool) and str(v).strip():
            out.append(str(v).strip())
    return out


def read_example(schema: str, properties: Mapping[str, Any], example_id: str | None = None) -> Example:
    """Raises ValueError (the caller names the field) for a schema no listed entry can have."""
    if schema not in COMPATIBLE:
        raise ValueError(f"schema {schema!r} is not matchable here; use one of {', '.join(sorted(COMPATIBLE))}")
    props = {str(k): _strings(v) for k, v in properties.items()}
    countries: list[str] = []
    for prop in QUERY_COUNTRY_PROPS:
        for value in props.get(prop, []):
            code = to_iso2(value)
            if code and code not in countries:
                countries.append(code)
    echo: dict[str, Any] = {"id": example_id, "schema": schema, "properties": {k: v for k, v in props.items() if v}}
    return Example(
        schema=schema,
        names=_unique(v for p in QUERY_NAME_PROPS for v in props.get(p, [])),
        countries=countries,
        identifiers=_unique(v for p in QUERY_ID_PROPS for v in props.get(p, [])),
        echo=echo,
    )


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
