"""``chipscreen ownership load|show``: thin Typer commands over ``chipscreen.ownership``.

Exit status follows the main CLI: 0 nothing found, 1 the party is listed or captured (or possibly/review),
2 bad input. Imports from ``chipscreen.cli`` are lazy because that module imports this one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

ownership_app = typer.Typer(help="Ownership and control: load ownership data, show 50%-rule status.",
                            no_args_is_help=True)

HomeOpt = Annotated[
    Path | None,
    typer.Option("--home", envvar="CHIPSCREEN_HOME", help="Data directory (default ~/.local/share/chipscreen)."),
]


def register(app: typer.Typer) -> None:
    app.add_typer(ownership_app, name="ownership")


@ownership_app.command("load")
def load_cmd(
    file: Annotated[Path, typer.Argument(help="Ownership file: csv, FtM JSON lines, GLEIF CSV/JSON, BODS JSON.")],
    fmt: Annotated[str | None, typer.Option("--format", help="csv | ftm | gleif | bods (detected if omitted)")] = None,
    home: HomeOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Load ownership edges and parties; parties are resolved to listed entries by id, LEI or exact name."""
    from chipscreen.cli import console, err_console, open_store, print_json
    from chipscreen.ownership.load import load

    with open_store(home) as store:
        summary = load(store, file, fmt)
    if as_json:
        print_json({**summary.__dict__, "warnings": [str(w) for w in summary.warnings]})
        return
    for w in summary.warnings[:50]:
        err_console.print(f"[yellow]warning[/] {w}", highlight=False)
    if summary.already_loaded:
        console.print(f"{summary.name}: already loaded (dataset {summary.dataset_id}); nothing changed")
        return
    matched = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.parties_matched.items())) or "none"
    console.print(
        f"[bold]{summary.name}[/] ({summary.format}): {summary.edges:,} edges from {summary.rows_read:,} rows; "
        f"{summary.parties_new:,} new parties; matched to known/listed parties: {matched}; dataset {summary.dataset_id}"
    )


@ownership_app.command("show")
def show_cmd(
    name: Annotated[str, typer.Argument(help="Party: list entity id, ownership id, LEI or exact name.")],
    date: Annotated[str | None, typer.Option("--date", help="As of this date (YYYY-MM-DD, default today).")] = None,
    affiliates: Annotated[
        bool | None,
        typer.Option("--affiliates-rule/--no-affiliates-rule", help="Override whether the BIS Affiliates rule "
                     "is in force (default: from the rulebooks)."),
    ] = None,
    home: HomeOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Listed? Captured by the 50% rules (with proof)? Look-through share, ultimate parent, listed relatives."""
    import datetime as dt

    from chipscreen.cli import console, open_store, parse_date_option, print_json
    from chipscreen.ownership.control import Control

    day = parse_date_option(date) or dt.date.today()
    with open_store(home) as store:
        st = Control(store).as_of(day, affiliates_rule_in_force=affiliates).status(name)
    finding = st.captured or any(r.possibly or r.review for r in st.regimes.values())
    if as_json:
        print_json(st.model_dump(mode="json"))
    else:
        _render(st, console)
    # sys.exit, not typer.Exit: with standalone_mode=False click *returns* an Exit's code instead of exiting.
    sys.exit(1 if finding else 0)


def _pct(ppm: int | None) -> str:
    return "?" if ppm is None else f"{ppm / 10_000:g}%"


def _render(st: object, console: object) -> None:
    from rich.console import Console
    from rich.tree import Tree

    from chipscreen.ownership.control import ControlStatus, ProofNode

    assert isinstance(st, ControlStatus) and isinstance(console, Console)
    if not st.found:
        console.print(f"[bold]{st.query}[/]: not found in ownership data or lists ({st.date})")
        return
    console.print(f"[bold]{st.name}[/] ({st.party_id}) as of {st.date}; snapshot {st.snapshot or '-'}")
    if st.headquarters:
        console.print(f"  headquarters: {st.headquarters} (for the HQ test: {st.headquarters_for_test})")
    if st.listed:
        for li in st.listed:
            console.print(f"  [red]listed[/] on {li.list_code} as {li.name!r} ({li.entity_id}, "
                          f"matched by {li.matched_by})")
    else:
        console.print("  not listed")
    for r in st.regimes.values():
        force = {True: "in force", False: "not in force", None: "in force unknown"}[r.in_force]
        colour = {"listed": "red", "captured": "red", "review": "yellow", "possibly": "yellow"}.get(r.status, "green")
        upper = f" (up to {_pct(r.aggregate_max_ppm)})" if r.aggregate_max_ppm != r.aggregate_ppm else ""
        console.print(
            f"  {r.title}: [{colour}]{r.status}[/] ({force}: {r.in_force_source}); blocked owners hold "
            f"{_pct(r.aggregate_ppm)}{upper}" + (f"; captured in round {r.round}" if r.round else "")
        )
        if r.proof is not None:
            head = "proof" if r.proof.round > 0 else "why review"
            tree = Tree(f"{head}: {r.proof.name} (round {r.proof.round}, aggregate {_pct(r.proof.aggregate_ppm)})")

            def add(node: Tree, p: ProofNode) -> None:
                for o in p.owners:
                    state = (f"listed {', '.join(o.lists)}" if o.round == 0 else f"blocked in round {o.round}"
                             if o.round > 0 else "blocked only if the circular holding is (review)")
                    label = f"{o.name} holds {_pct(o.stake_ppm)}, {state}"
                    add(node.add(label), o)

            add(tree, r.proof)
            console.print(tree)
    console.print(f"  look-through share held by listed parties (risk indicator): {_pct(st.look_through_ppm)}")
    up = st.ultimate_parent
    if up is not None:
        console.print(f"  ultimate parent: {up.name} ({up.party_id}), HQ {up.hq_country or '?'}, by {up.method}")
        if len(up.path) > 1:
            console.print("    path: " + " -> ".join(f"{s.name}" + (f" [{_pct(s.share_ppm)}]" if s.share_ppm else "")
                                                  for s in up.path))
    for rel in st.relatives:
        console.print(f"  listed {rel.relation}: {rel.name} ({', '.join(rel.lists)}) via "
                      + " -> ".join(s.name for s in rel.path))
    for f in st.flags:
        console.print(f"  [yellow]flag[/] {f.code}: {f.detail}")
