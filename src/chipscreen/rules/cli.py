"""CLI commands of the rules engine: ``classify``, ``rules show|list``, ``catalog list|show``.

None of them opens the store: they read only the shipped data. Errors are ChipscreenError subclasses,
reported as one line on stderr with exit status 2 (also under ``typer.testing.CliRunner``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from chipscreen.errors import InputError

rules_app = typer.Typer(
    help="Rule versions: thresholds, scopes, exceptions and review policies by date.", no_args_is_help=True
)
catalog_app = typer.Typer(help="The shipped chip catalog (data/chips.yaml).", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="Date the rules are taken from (YYYY-MM-DD; default today).")
]
RulebookOpt = Annotated[str | None, typer.Option("--rulebook", help="Rulebook id or unique prefix (e.g. a proposal).")]


def _guard(fn: Callable[[], None]) -> None:
    """Run a command body. ChipscreenError propagates on purpose: ``chipscreen.cli.main`` prints it as one
    line and exits 2 (under CliRunner it surfaces as ``result.exception``)."""
    fn()


def _date(value: str | None) -> dt.date | None:
    from chipscreen.cli import parse_date_option

    return parse_date_option(value)


# ------------------------------------------------------------------------------------------- items
_BOOL = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
_NUMERIC = ("die_area_mm2", "io_bandwidth_gbs", "dram_bandwidth_gbs", "memory_bandwidth_density")


def apply_specs(base: dict[str, Any], specs: list[str]) -> dict[str, Any]:
    """``--spec key=value`` over an item dict: ``fp16=312`` or ``dense_tops.fp16=312``, ``datacenter=false``,
    ``die_area_mm2=814``, ``contains=nvidia-h100-sxm5:8``, ``kind=system``, ``name=...``."""
    from chipscreen.model import PRECISIONS

    out = dict(base)
    out["dense_tops"] = dict(out.get("dense_tops") or {})
    for spec in specs:
        key, sep, value = spec.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise InputError(f"--spec: expected key=value, got {spec!r}")
        prec = key.removeprefix("dense_tops.")
        try:
            if prec in PRECISIONS:
                out["dense_tops"][prec] = float(value)
            elif key.startswith("dense_tops."):
                raise InputError(f"--spec {key}: unknown precision {prec!r}; expected one of {', '.join(PRECISIONS)}")
            elif key in _NUMERIC:
                out[key] = None if value.lower() in ("", "none", "null") else float(value)
            elif key == "datacenter":
                if value.lower() not in _BOOL:
                    raise InputError(f"--spec datacenter: expected true or false, got {value!r}")
                out[key] = _BOOL[value.lower()]
            elif key == "contains":
                item, _, count = value.partition(":")
                out[key] = {"item": item, "count": int(count or 1)}
            elif key in ("id", "name", "vendor", "kind"):
                out[key] = value
            else:
                raise InputError(f"--spec: unknown field {key!r}")
        except ValueError:
            raise InputError(f"--spec {key}: not a number: {value!r}") from None
    return out


def load_item_arg(ref: str | None, specs: list[str]) -> Any:
    """ITEM as a catalog id or a JSON file in the Item contract, with --spec overrides applied."""
    from chipscreen.rules.catalog import catalog, parse_item

    if ref is None:
        if not specs:
            raise InputError("classify: give a catalog id, an Item JSON file, or --spec key=value ...")
        return parse_item(apply_specs({"id": "spec"}, specs), "--spec")
    path = Path(ref)
    if ref.endswith(".json") or path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{ref}: file not found") from None
        except json.JSONDecodeError as exc:
            raise InputError(f"{ref}:{exc.lineno}: invalid JSON: {exc.msg}") from None
        if not isinstance(data, dict):
            raise InputError(f"{ref}: an Item is a JSON object")
        return parse_item(apply_specs(data, specs) if specs else data, ref)
    item = catalog().item(ref)
    if not specs:
        return item
    return parse_item(apply_specs(item.model_dump(exclude_none=True), specs), f"{ref} with --spec")


# ------------------------------------------------------------------------------------------- commands
def classify_cmd(
    item: Annotated[
        str | None, typer.Argument(help="Catalog id (nvidia-h100-sxm5) or path to an Item JSON file.")
    ] = None,
    date: DateOpt = None,
    rulebook: RulebookOpt = None,
    spec: Annotated[
        list[str] | None, typer.Option("--spec", help="Override or give a figure: key=value (repeatable).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Classify an item: ECCN paragraph in force on the date, with the arithmetic and the citation."""

    def run() -> None:
        from chipscreen.cli import console, print_json
        from chipscreen.rules.classify import classify

        obj = load_item_arg(item, spec or [])
        res = classify(obj, _date(date), rulebook)
        if as_json:
            print_json(res.model_dump(mode="json"))
            return
        if res.status == "undetermined":
            options = [*res.candidates, *(["not controlled"] if res.possibly_uncontrolled else [])]
            head = "undetermined: " + " or ".join(options)
        else:
            head = res.paragraph or "not controlled (null)"
        console.print(
            f"[bold]{obj.id}[/]: {head}   (rulebook {res.rulebook}, {res.date})", highlight=False, soft_wrap=True
        )
        for line in res.work:
            console.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)
        if res.citation:
            console.print(f"  citation: {res.citation}", highlight=False, markup=False, soft_wrap=True)
        for n in res.notes:
            console.print(f"  note: {n}", highlight=False, markup=False, soft_wrap=True)

    _guard(run)


@rules_app.command("show")
def rules_show(date: DateOpt = None, rulebook: RulebookOpt = None, as_json: JsonOpt = False) -> None:
    """The rulebook in force on a date: thresholds, scopes, groups, exceptions, policies, letters, Affiliates rule."""

    def run() -> None:
        from chipscreen.cli import console, print_json
        from chipscreen.rules.rulebook import load_rulebook, rulebook_for
        from chipscreen.rules.show import rulebook_view

        day = _date(date)
        rb = load_rulebook(rulebook) if rulebook else rulebook_for(day)
        view = rulebook_view(rb, day or rb.effective or dt.date.today())
        if as_json:
            print_json(view)
            return
        _print_view(console, view)

    _guard(run)


def _print_view(console: Any, v: dict[str, Any]) -> None:
    p = lambda s: console.print(s, highlight=False, markup=False, soft_wrap=True)  # noqa: E731
    p(f"{v['id']} ({v['status']}, effective {v['effective']}) on {v['date']}")
    p(f"  {v['title']}")
    p(f"  citation: {v['citation']}")
    p(f"  {v['summary']}")
    p("thresholds:")
    for t in v["thresholds"]:
        p(f"  {t['name']:<18} {t['rule']:<28} {t['citation']}")
    p("classification:")
    for kind, k in v["classification"].items():
        paras = ", ".join(f"{x['label']}->{x['paragraph']}" for x in k["paragraphs"]) or str(k["from_contained"])
        p(f"  {kind}: {k['eccn']}: {paras}")
    p("licence requirements:")
    for r in v["requirements"]:
        scope = r["destinations"] if r["code"] == "destination" else f"HQ in {r['headquarters']}"
        p(f"  {r['id']} [{r['status_on_date']}] {r['code']} {','.join(r['paragraphs'])}: {scope}  ({r['citation']})")
    p("licence exceptions:")
    for e in v["license_exceptions"]:
        p(f"  {e['name']} [{e['status_on_date']}] {e['detail']}  ({e['citation']})")
    p("review policies (first match wins):")
    for r in v["review_policies"]:
        p(f"  {r['policy']} [{r['id']}] {r['detail']}  ({r['citation']})")
    p("is-informed letters:")
    for x in v["letters"]:
        p(
            f"  {x['id']} [{x['status_on_date']}] {x['exporter']}: {', '.join(x['items'])} -> {x['destinations']}"
            f"  ({x['citation']})"
        )
    a = v["affiliates_rule"]
    p(
        f"Affiliates rule: {a['status']}"
        + (
            f", >= {a['threshold_ppm']} ppm, lists {', '.join(a['lists'])}  ({a['citation']})"
            if a["threshold_ppm"]
            else ""
        )
    )
    ra = v["remote_access"]
    p(f"remote access controlled: {ra['controlled']}  ({ra['citation']})")
    p("country groups on this date:")
    for g, d in v["country_groups"].items():
        p(f"  {g}: {' '.join(d['members'])}")
    for n in v["notices"]:
        p(f"notice {n['date']}: {n['text']}  ({n['citation']})")


@rules_app.command("list")
def rules_list(as_json: JsonOpt = False) -> None:
    """Every rule version and proposal, with effective dates and citations."""

    def run() -> None:
        from chipscreen.cli import console, print_json
        from chipscreen.rules.rulebook import list_rulebooks

        rbs = list_rulebooks()
        if as_json:
            print_json([rb.meta() for rb in rbs])
            return
        for rb in rbs:
            console.print(
                f"{rb.id:<36} {rb.status:<9} {rb.effective or '-'!s:<11} {rb.citation}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )

    _guard(run)


@catalog_app.command("list")
def catalog_list(as_json: JsonOpt = False) -> None:
    """The chips in the shipped catalog."""

    def run() -> None:
        from chipscreen.cli import console, print_json
        from chipscreen.rules.catalog import catalog

        cat = catalog()
        if as_json:
            print_json([e.as_dict() for e in cat])
            return
        for e in cat:
            i = e.item
            console.print(
                f"{i.id:<26} {i.kind:<7} {'DC' if i.datacenter else '  '} {i.name}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )

    _guard(run)


@catalog_app.command("show")
def catalog_show(item_id: Annotated[str, typer.Argument(help="Catalog id.")], as_json: JsonOpt = False) -> None:
    """One catalog item with each figure's source."""

    def run() -> None:
        from chipscreen.cli import console, print_json
        from chipscreen.rules.catalog import catalog

        d = catalog().entry(item_id).as_dict()
        if as_json:
            print_json(d)
            return
        for k, val in d.items():
            if val not in (None, {}, ""):
                console.print(f"{k}: {val}", highlight=False, markup=False, soft_wrap=True)

    _guard(run)


def register(app: typer.Typer) -> None:
    """Add the rules engine's commands to the main ``chipscreen`` app."""
    app.command("classify")(classify_cmd)
    app.add_typer(rules_app, name="rules")
    app.add_typer(catalog_app, name="catalog")
