"""``chipscreen classify``, ``rules show|list`` and ``catalog list|show``: the rules engine's commands.

None of them opens the store: they read only the shipped data. Errors are ChipscreenError subclasses,
reported as one line on stderr with exit status 2 (under ``typer.testing.CliRunner`` they surface as
``result.exception``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from chipscreen.cli import render
from chipscreen.cli.app import app
from chipscreen.cli.options import JsonOpt, date_option
from chipscreen.cli.output import console, print_json
from chipscreen.errors import InputError
from chipscreen.model import PRECISIONS, Item
from chipscreen.rules import catalog, classify, list_rulebooks, load_rulebook, parse_item, rulebook_for
from chipscreen.rules.show import rulebook_view

rules_app = typer.Typer(
    help="Rule versions: thresholds, scopes, exceptions and review policies by date.", no_args_is_help=True
)
catalog_app = typer.Typer(help="The shipped chip catalog (data/chips.yaml).", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(catalog_app, name="catalog")

DateOpt = Annotated[dt.date | None, date_option("Date the rules are taken from (YYYY-MM-DD; default today).")]
RulebookOpt = Annotated[str | None, typer.Option("--rulebook", help="Rulebook id or unique prefix (e.g. a proposal).")]

# ------------------------------------------------------------------------------------------- items
BOOL_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
NUMERIC_FIELDS = (
    "die_area_mm2",
    "io_bandwidth_gbs",
    "dram_bandwidth_gbs",
    "memory_bandwidth_density",
    "us_content_percent",
)
BOOL_FIELDS = ("datacenter", "us_origin", "us_technology")


def apply_specs(base: dict[str, Any], specs: list[str]) -> dict[str, Any]:
    """``--spec key=value`` over an item dict: ``fp16=312`` or ``dense_tops.fp16=312``, ``datacenter=false``,
    ``die_area_mm2=814``, ``contains=nvidia-h100-sxm5:8``, ``kind=system``, ``name=...``."""
    out = dict(base)
    out["dense_tops"] = dict(out.get("dense_tops") or {})
    for spec in specs:
        key, sep, value = spec.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise InputError(f"--spec: expected key=value, got {spec!r}")
        try:
            apply_spec(out, key, value)
        except ValueError:
            raise InputError(f"--spec {key}: not a number: {value!r}") from None
    return out


def apply_spec(out: dict[str, Any], key: str, value: str) -> None:
    """One ``--spec key=value`` into ``out``; a figure that is not a number raises ValueError."""
    prec = key.removeprefix("dense_tops.")
    if prec in PRECISIONS:
        out["dense_tops"][prec] = float(value)
    elif key.startswith("dense_tops."):
        raise InputError(f"--spec {key}: unknown precision {prec!r}; expected one of {', '.join(PRECISIONS)}")
    elif key in NUMERIC_FIELDS:
        out[key] = None if value.lower() in ("", "none", "null") else float(value)
    elif key in BOOL_FIELDS:
        if value.lower() not in BOOL_WORDS:
            raise InputError(f"--spec {key}: expected true or false, got {value!r}")
        out[key] = BOOL_WORDS[value.lower()]
    elif key == "contains":
        item, _, count = value.partition(":")
        out[key] = {"item": item, "count": int(count or 1)}
    elif key in ("id", "name", "vendor", "kind", "eccn"):
        out[key] = value
    else:
        raise InputError(f"--spec: unknown field {key!r}")


def load_item_arg(ref: str | None, specs: list[str]) -> Item:
    """ITEM as a catalog id or a JSON file in the Item contract, with --spec overrides applied."""
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
@app.command("classify")
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
    obj = load_item_arg(item, spec or [])
    # without --date the question is "today": a named rulebook alone is asked on its own start date
    res = classify(obj, date or (None if rulebook else dt.date.today()), rulebook)
    if as_json:
        print_json(res.model_dump(mode="json"))
        return
    render.classification(console, obj.id, res)


@rules_app.command("show")
def rules_show(date: DateOpt = None, rulebook: RulebookOpt = None, as_json: JsonOpt = False) -> None:
    """The rulebook in force on a date: thresholds, scopes, groups, exceptions, policies, letters, Affiliates rule."""
    rb = load_rulebook(rulebook) if rulebook else rulebook_for(date)
    view = rulebook_view(rb, date or (rb.effective if rulebook else None) or dt.date.today())
    if as_json:
        print_json(view)
        return
    render.rulebook_view(console, view)


@rules_app.command("list")
def rules_list(as_json: JsonOpt = False) -> None:
    """Every rule version and proposal, with effective dates and citations."""
    rbs = list_rulebooks()
    if as_json:
        print_json([rb.meta() for rb in rbs])
        return
    render.lines(console, (f"{rb.id:<36} {rb.status:<9} {rb.effective or '-'!s:<11} {rb.citation}" for rb in rbs))


@catalog_app.command("list")
def catalog_list(as_json: JsonOpt = False) -> None:
    """The chips in the shipped catalog."""
    cat = catalog()
    if as_json:
        print_json([e.as_dict() for e in cat])
        return
    render.lines(console, (f"{e.item.id:<26} {e.item.kind:<7} {'DC' if e.item.datacenter else '  '} {e.item.name}"
                           for e in cat))


@catalog_app.command("show")
def catalog_show(item_id: Annotated[str, typer.Argument(help="Catalog id.")], as_json: JsonOpt = False) -> None:
    """One catalog item with each figure's source."""
    d = catalog().entry(item_id).as_dict()
    if as_json:
        print_json(d)
        return
    render.lines(console, (f"{k}: {val}" for k, val in d.items() if val not in (None, {}, "")))
