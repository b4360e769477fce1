"""The ``monitor run --out report.html`` page: one self-contained file a reviewer opens, with each finding
and what caused it (the list entry and its change, the match explanation, the decision's new reasons and
their citations)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from chipscreen.monitor.run import MonitorReport

_STYLE = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
          "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}"
          ".hit{background:#fdd}.possible{background:#ffd}details pre{white-space:pre-wrap;font-size:80%}")


def _cells(values: list[Any]) -> str:
    return "".join(f"<td>{escape(str(v))}</td>" for v in values)


def _details(obj: Any) -> str:
    return f"<details><summary>why</summary><pre>{escape(json.dumps(obj, indent=1, default=str))}</pre></details>"


def _parties(report: MonitorReport) -> str:
    rows = []
    for f in report.parties:
        css = "hit" if f.kind == "hit" else "possible" if f.kind == "possible match" else ""
        rows.append(f'<tr class="{css}">' + _cells([f.kind, f.party_id, f.party_name, f.list_code, f.entity_id,
                                                    f.entry_name, f.change + (f" ({', '.join(f.changed_fields)})"
                                                                              if f.changed_fields else ""),
                                                    f"{f.score:.2f}"]) + f"<td>{_details(f.explanation)}</td></tr>")
    head = _cells(["finding", "party", "name", "list", "entry", "listed name", "entry change", "score", ""])
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>" if rows else "<p>No watched party is concerned.</p>"


def _transactions(report: MonitorReport) -> str:
    rows = []
    for t in report.transactions:
        before = t.before or {}
        causes = "; ".join(f"{a.get('code')} {a.get('party') or ''} ({a.get('citation') or a.get('detail', '')})"
                           for a in t.appeared)
        rows.append("<tr>" + _cells([t.tx_id, before.get("license_required", "new"), t.after["license_required"],
                                     f"{before.get('rulebook', '-')} -> {t.after['rulebook']}", causes,
                                     ", ".join(t.went)]) + f"<td>{_details(t.appeared)}</td></tr>")
    head = _cells(["transaction", "licence before", "licence now", "rulebook", "new reasons and flags", "gone", ""])
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>" if rows else "<p>No open transaction changed.</p>"


def monitor_html(report: MonitorReport) -> str:
    s = report.summary()
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>chipscreen monitor run {report.run}</title>"
            f"<style>{_STYLE}</style></head><body><h1>Monitor run {report.run} ({report.on})</h1>"
            f"<p>Snapshot {escape(report.old_snapshot or '(none: baseline)')} &rarr; {escape(report.new_snapshot)}: "
            f"{s['added']:,} added, {s['removed']:,} removed, {s['changed']:,} changed entries. "
            f"New rulebooks: {escape(', '.join(report.rulebooks_added) or 'none')}. "
            f"Watching {report.watched[0]:,} parties and {report.watched[1]:,} open transactions.</p>"
            f"<h2>Parties</h2>{_parties(report)}<h2>Open transactions</h2>{_transactions(report)}</body></html>")
