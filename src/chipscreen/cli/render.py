"""Text renderings of results for a terminal: rich tables and the lines a reviewer reads.

Each function shows one kind of result; the commands choose between these and ``--json``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

if TYPE_CHECKING:
    from chipscreen.decide.replay import ReplayReport
    from chipscreen.model import Decision
    from chipscreen.names.screener import ScreenResult
    from chipscreen.ownership.load import LoadSummary
    from chipscreen.ownership.results import ControlStatus, ProofNode, RegimeStatus
    from chipscreen.rules import ItemClassification
    from chipscreen.store import DatasetInfo, DiffRow, LoadResult, SnapshotInfo


def plain(console: Console) -> Callable[[str], None]:
    """Print text as it is: no markup, no highlighting, no wrapping (rule citations contain brackets)."""
    return lambda s: console.print(s, highlight=False, markup=False, soft_wrap=True)


# ---------------------------------------------------------------------------------------------- lists
def load_result(console: Console, result: LoadResult) -> None:
    for d in result.datasets:
        console.print(
            f"[bold]{d.name}[/] ({d.format}): {d.entries:,} entries from {d.rows_read:,} rows, "
            f"{d.relations:,} links, lists {', '.join(d.list_codes)}; dataset {d.id}"
        )
    for code, old in result.kept_newer.items():
        console.print(f"[yellow]{code}[/]: kept the newer dataset {old} (use --replace to override)")
    console.print(f"snapshot [bold]{result.snapshot.id}[/]")


def snapshot_tables(
    console: Console,
    snap: SnapshotInfo,
    counts: dict[str, int],
    datasets: dict[str, DatasetInfo],
    history: list[SnapshotInfo],
) -> None:
    table = Table(title=f"snapshot {snap.id} ({snap.created_at:%Y-%m-%d %H:%M} UTC)")
    for col in ("list", "entries", "file", "retrieved", "dataset", "sha256"):
        table.add_column(col, justify="right" if col == "entries" else "left", no_wrap=col in UNBROKEN)
    for code, did in snap.lists.items():
        d = datasets[did]
        table.add_row(code, f"{counts.get(code, 0):,}", d.name, str(d.retrieved), did, d.sha256[:12])
    console.print(table)
    files = Table(title="datasets in this snapshot")
    for col in ("file", "format", "rows read", "entries", "links", "skipped"):
        files.add_column(col, justify="left" if col in ("file", "format") else "right")
    for d in sorted(datasets.values(), key=lambda d: d.name):
        files.add_row(d.name, d.format, f"{d.rows_read:,}", f"{d.entries:,}", f"{d.relations:,}", f"{d.skipped:,}")
    console.print(files)
    console.print(f"{len(history)} snapshot(s); latest {history[-1].id}")


CHANGE_KINDS = ("added", "removed", "changed")


def diff_tables(console: Console, a: str, b: str, rows: list[DiffRow], summary: dict[str, int], limit: int) -> None:
    console.print(
        f"{a} -> {b}: {summary['added']:,} added, {summary['removed']:,} removed, {summary['changed']:,} changed"
    )
    for kind in CHANGE_KINDS:
        some = [r for r in rows if r.change == kind][:limit]
        if not some:
            continue
        table = Table(title=f"{kind} (first {len(some)})")
        table.add_column("list")
        table.add_column("entity")
        table.add_column("name")
        if kind == "changed":
            table.add_column("fields")
        for r in some:
            cells = [r.list_code, r.entity_id, r.name]
            if kind == "changed":
                cells.append(", ".join(r.fields))
            table.add_row(*cells)
        console.print(table)


# Columns whose cells are read as one token (a date split over two lines reads as two values); at 80
# columns the text columns wrap instead.
UNBROKEN = frozenset({"tx", "date", "retrieved", "list", "entries", "dataset", "sha256", "score", "hit",
                      "class", "reasons", "flags"})


# ---------------------------------------------------------------------------------------------- screen
def screen_result(console: Console, result: ScreenResult, hit_thr: float, review_thr: float) -> None:
    if not result.matches:
        console.print(f"[green]no match[/] for {result.query!r} (review threshold {review_thr:.2f})")
        return
    table = Table(title=f"{result.query!r}: {'HIT' if result.hit else 'possible matches'}")
    for col in ("score", "hit", "list", "listed name", "matched name", "why"):
        table.add_column(col, justify="right" if col == "score" else "left", no_wrap=col in UNBROKEN)
    for m in result.matches:
        expl = m.explanation
        pairs = ", ".join(f"{p['query']}~{p['listed']} {p['similarity']:.2f}" for p in expl.get("pairs", []))
        adj = ", ".join(f"{a['feature']} {a['delta']:+.2f}" for a in expl.get("adjustments", []))
        if "identifier" in expl:
            pairs = f"identifier {expl['identifier']['value']} exact"
        table.add_row(f"{m.score:.3f}", "HIT" if m.hit else "review", m.list, m.name, m.matched_name,
                      "; ".join(x for x in (pairs, adj, expl.get("matched_name_source", "")) if x))
    console.print(table)
    console.print(f"hit threshold {hit_thr:.2f}, review threshold {review_thr:.2f}", style="dim")


# ---------------------------------------------------------------------------------------------- ownership
def pct(ppm: int | None) -> str:
    return "?" if ppm is None else f"{ppm / 10_000:g}%"


def ownership_load(console: Console, summary: LoadSummary) -> None:
    if summary.already_loaded:
        console.print(f"{summary.name}: already loaded (dataset {summary.dataset_id}); nothing changed")
        return
    matched = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.parties_matched.items())) or "none"
    console.print(
        f"[bold]{summary.name}[/] ({summary.format}): {summary.edges:,} edges from {summary.rows_read:,} rows; "
        f"{summary.parties_new:,} new parties; matched to known/listed parties: {matched}; dataset {summary.dataset_id}"
    )


def control_status(console: Console, st: ControlStatus) -> None:
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
        regime_status(console, r)
    console.print(f"  look-through share held by listed parties (risk indicator): {pct(st.look_through_ppm)}")
    up = st.ultimate_parent
    if up is not None:
        console.print(f"  ultimate parent: {up.name} ({up.party_id}), HQ {up.hq_country or '?'}, by {up.method}")
        if len(up.path) > 1:
            console.print("    path: " + " -> ".join(f"{s.name}" + (f" [{pct(s.share_ppm)}]" if s.share_ppm else "")
                                                  for s in up.path))
    for rel in st.relatives:
        if rel.relation == "linked":
            console.print(f"  listed linked party (OFAC 'Linked To', not ownership): {rel.name} "
                          f"({', '.join(rel.lists)})")
            continue
        console.print(f"  listed {rel.relation}: {rel.name} ({', '.join(rel.lists)}) via "
                      + " -> ".join(s.name for s in rel.path))
    for f in st.flags:
        console.print(f"  [yellow]flag[/] {f.code}: {f.detail}")


def regime_status(console: Console, r: RegimeStatus) -> None:
    """One 50%-rule regime: its status, whether it is in force, the blocked owners' share and the proof."""
    force = {True: "in force", False: "not in force", None: "in force unknown"}[r.in_force]
    colour = {"listed": "red", "captured": "red", "review": "yellow", "possibly": "yellow"}.get(r.status, "green")
    upper = f" (up to {pct(r.aggregate_max_ppm)})" if r.aggregate_max_ppm != r.aggregate_ppm else ""
    console.print(
        f"  {r.title}: [{colour}]{r.status}[/] ({force}: {r.in_force_source}); blocked owners hold "
        f"{pct(r.aggregate_ppm)}{upper}" + (f"; captured in round {r.round}" if r.round and r.round > 0 else "")
    )
    if r.proof is not None:
        head = "proof" if r.proof.round > 0 else "why review"
        # round -1: not captured without the circular holding, which is what "review" means
        when = f"round {r.proof.round}" if r.proof.round > 0 else "captured only through a circular holding"
        tree = Tree(f"{head}: {r.proof.name} ({when}, aggregate {pct(r.proof.aggregate_ppm)})")
        proof_tree(tree, r.proof)
        console.print(tree)


def proof_tree(node: Tree, p: ProofNode) -> None:
    for o in p.owners:
        state = (f"listed {', '.join(o.lists)}" if o.round == 0 else f"blocked in round {o.round}"
                 if o.round > 0 else "blocked only if the circular holding is (review)")
        label = f"{o.name} holds {pct(o.stake_ppm)}, {state}"
        proof_tree(node.add(label), o)


# ---------------------------------------------------------------------------------------------- rules
def classification(console: Console, item_id: str, res: ItemClassification) -> None:
    if res.status == "undetermined":
        options = [*res.candidates, *(["not controlled"] if res.possibly_uncontrolled else [])]
        head = "undetermined: " + " or ".join(options)
    else:
        head = res.paragraph or "not controlled (null)"
    console.print(
        f"[bold]{item_id}[/]: {head}   (rulebook {res.rulebook}, {res.date})", highlight=False, soft_wrap=True
    )
    p = plain(console)
    for line in res.work:
        p(f"  {line}")
    if res.citation:
        p(f"  citation: {res.citation}")
    for n in res.notes:
        p(f"  note: {n}")


def rulebook_view(console: Console, v: dict[str, Any]) -> None:
    p = plain(console)
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
    rulebook_view_tail(p, v)


def rulebook_view_tail(p: Callable[[str], None], v: dict[str, Any]) -> None:
    """The second half of ``rules show``: letters, Affiliates rule, remote access, groups and notices."""
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
        p(f"  {g}: {' '.join(d['members'])}  ({d['citation']})")
        for r in d.get("dated_or_uncertain", []):
            span = f"{r['from'] or '...'} to {r['until'] or '...'}"
            seen = "" if r["verified"] else ", unverified"
            p(f"    {r['code']} {span} [{r['confidence']}{seen}]: {r['citation']}")
    for n in v["notices"]:
        p(f"notice {n['date']}: {n['text']}  ({n['citation']})")


def lines(console: Console, texts: Iterable[str]) -> None:
    p = plain(console)
    for text in texts:
        p(text)


# ---------------------------------------------------------------------------------------------- decide
def decision_table(decisions: list[Decision], title: str = "decisions") -> Table:
    """One row per decision: outcome and the codes of its reasons and flags (details: ``decision_details``).
    The review policy sits under the licence so that the table fits 80 columns without splitting a date
    or a code."""
    table = Table(title=title, pad_edge=False)
    widths = {"date": 10, "licence": 8}
    for col in ("tx", "date", "class", "licence", "reasons", "flags"):
        table.add_column(col, overflow="fold", no_wrap=col in UNBROKEN, min_width=widths.get(col))
    for d in decisions:
        flags = sorted({f.code for f in d.flags if f.code != "rule_note"})
        review = (d.review_policy or "").replace("presumption_of_", "presumption of ").replace("_", " ")
        if d.license_exceptions:
            review += f" ({', '.join(d.license_exceptions)})"
        licence = "[bold red]required[/]" if d.license_required else "[green]no[/]"
        table.add_row(
            d.id,
            d.date.isoformat(),
            d.classification.paragraph or d.classification.eccn or "not 3A090",
            licence + (f"\n{review.strip()}" if review.strip() else ""),
            "\n".join(sorted({r.code for r in d.reasons})) or "-",
            "\n".join(flags) or "-",
        )
    return table


def decision_details(decisions: list[Decision]) -> list[str]:
    """Each reason and flag as one line a reviewer can read: the why behind the table."""
    out = []
    for d in decisions:
        for r in d.reasons:
            out.append(f"[bold]{d.id}[/] [red]{r.code}[/]: {r.detail} [dim]({r.citation})[/]")
        for f in d.flags:
            if f.code != "rule_note":
                out.append(f"[bold]{d.id}[/] [yellow]{f.code}[/]: {f.detail}")
    return out


def replay_summary(report: ReplayReport) -> Table:
    t = Table(
        title=f"replay: {report.rulebook_a['id']} vs {report.rulebook_b['id']} "
        f"({report.transactions} transactions; licence A {report.required_a}, B {report.required_b})"
    )
    for col in ("route (flag under A)", "flagged", "closed by B", "units stopped"):
        t.add_column(col)
    for route, row in report.by_route.items():
        t.add_row(route, str(row["flagged_under_a"]), str(row["closed_by_b"]), f"{row['units_stopped']:,}")
    changes = {
        k: sum(1 for c in report.changes if c.change == k)
        for k in ("newly_required", "no_longer_required", "reasons_changed")
    }
    t.caption = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in changes.items())
    return t
