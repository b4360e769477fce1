"""The replay report as one self-contained HTML page (inline SVG chart, no scripts, no network)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from chipscreen.decide.replay import ReplayReport
from chipscreen.model import ROUTE_CODES

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem;color:#222}
h1{font-size:1.5rem} h2{font-size:1.2rem;margin-top:2rem} table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.85rem}
th{background:#f4f4f4} .req{color:#b00020;font-weight:600} .clear{color:#1b5e20} .muted{color:#666;font-size:.8rem}
"""


def _bar_chart(report: ReplayReport) -> str:
    """Grouped bars per route: transactions flagged under A, and those B would have stopped."""
    width, height, pad, group = 560, 220, 40, 160
    peak = max([1] + [v["flagged_under_a"] for v in report.by_route.values()])
    parts = [f'<svg width="{width}" height="{height + 50}" role="img" aria-label="routes closed">']
    for i, route in enumerate(ROUTE_CODES):
        row = report.by_route.get(route, {"flagged_under_a": 0, "closed_by_b": 0})
        x = pad + i * group
        for j, (key, colour) in enumerate((("flagged_under_a", "#90a4ae"), ("closed_by_b", "#c62828"))):
            value = row.get(key, 0)
            h = int((height - 20) * value / peak)
            bx = x + j * 55
            parts.append(f'<rect x="{bx}" y="{height - h}" width="50" height="{h}" fill="{colour}"/>')
            parts.append(f'<text x="{bx + 25}" y="{height - h - 4}" font-size="12" text-anchor="middle">{value}</text>')
        parts.append(f'<text x="{x + 52}" y="{height + 18}" font-size="12" text-anchor="middle">{route}</text>')
    parts.append(
        f'<rect x="{pad}" y="{height + 30}" width="12" height="12" fill="#90a4ae"/>'
        f'<text x="{pad + 16}" y="{height + 41}" font-size="12">flagged under A</text>'
        f'<rect x="{pad + 140}" y="{height + 30}" width="12" height="12" fill="#c62828"/>'
        f'<text x="{pad + 156}" y="{height + 41}" font-size="12">licence required under B</text></svg>'
    )
    return "".join(parts)


def _routes_note(routes: Sequence[str]) -> str:
    return f"<br><span class=muted>routes under A: {html.escape(', '.join(routes))}</span>" if routes else ""


def _section(report: ReplayReport) -> str:
    a, b = report.rulebook_a, report.rulebook_b
    e = html.escape
    out = [
        f"<h2>{e(str(a['id']))} vs {e(str(b['id']))}</h2>",
        f"<p><b>A</b>: {e(str(a.get('title', '')))} ({e(str(a.get('citation', '')))})<br>"
        f"<b>B</b>: {e(str(b.get('title', '')))} ({e(str(b.get('citation', '')))})</p>",
        f"<p>{report.transactions} transactions; licence required under A: {report.required_a}, under B: "
        f"{report.required_b}; {len(report.changes)} change outcome or reasons.</p>",
        _bar_chart(report),
        "<table><tr><th>route (flag under A)</th><th>transactions flagged</th><th>closed by B</th>"
        "<th>units B would have stopped</th></tr>",
    ]
    for route, row in report.by_route.items():
        out.append(
            f"<tr><td>{route}</td><td>{row['flagged_under_a']}</td><td>{row['closed_by_b']}</td>"
            f"<td>{row['units_stopped']:,}</td></tr>"
        )
    out.append(
        "</table><table><tr><th>transaction</th><th>date</th><th>kind</th><th>item × qty</th>"
        "<th>parties</th><th>A</th><th>B</th><th>why</th></tr>"
    )
    for c in report.changes:

        def cell(req: bool) -> str:
            return '<span class="req">licence</span>' if req else '<span class="clear">no licence</span>'

        out.append(
            f"<tr><td>{e(c.id)}</td><td>{e(c.date)}</td><td>{e(c.kind)}</td><td>{e(c.item)} × {c.quantity}</td>"
            f"<td>{'<br>'.join(e(p) for p in c.parties)}</td><td>{cell(c.a_license_required)}</td>"
            f"<td>{cell(c.b_license_required)}</td><td>{e(c.why)}{_routes_note(c.routes_under_a)}"
            "</td></tr>"
        )
    out.append("</table><table><tr><th>chip</th><th>changes</th></tr>")
    for chip, counts in report.by_chip.items():
        out.append(f"<tr><td>{e(chip)}</td><td>{e(', '.join(f'{k} {v}' for k, v in counts.items()))}</td></tr>")
    out.append("</table>")
    return "".join(out)


def replay_html(reports: Sequence[ReplayReport], title: str = "chipscreen replay") -> str:
    snapshot = reports[0].snapshot if reports else ""
    body = "".join(_section(r) for r in reports)
    return (
        f"<!doctype html><html lang=en><meta charset=utf-8><title>{html.escape(title)}</title><style>{_CSS}</style>"
        f"<h1>{html.escape(title)}</h1><p class=muted>list snapshot {html.escape(snapshot)}; generated "
        f"{dt.date.today().isoformat()}. Not legal advice.</p>{body}</html>\n"
    )
