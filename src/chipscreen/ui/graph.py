"""Ownership drawn as inline SVG, server-side (no script): a proof tree of the 50 % rule (the party, the
owners whose stakes captured it, their own owners, down to the listed parties it reaches), a chain to the
ultimate parent, or the party's listed relatives. Every text is escaped; long names are cut in the box and
given whole in the box's <title>."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 250, 46, 90, 14, 10
MAX_CHARS = 34
MAX_NODES = 200


@dataclass
class GNode:
    label: str
    sub: str = ""
    listed: bool = False
    children: list[tuple[str, GNode]] = field(default_factory=list)


def share(ppm: Any) -> str:
    return f"{int(ppm) / 10_000:g} %" if isinstance(ppm, int | float) else ""


def from_proof(node: Mapping[str, Any], budget: list[int] | None = None) -> GNode:
    """A proof tree (``ProofNode`` as JSON): each owner with its stake in the node it owns."""
    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    lists = list(node.get("lists") or [])
    agg = node.get("aggregate_ppm")
    sub = ", ".join(lists) if lists else (f"captured: listed owners hold {share(agg)}" if agg else "")
    g = GNode(str(node.get("name") or node.get("party_id") or "?"), sub, bool(lists))
    for owner in node.get("owners") or []:
        if budget[0] <= 0:
            break
        g.children.append((f"owns {share(owner.get('stake_ppm'))}", from_proof(owner, budget)))
    return g


def from_path(steps: Sequence[Mapping[str, Any]]) -> GNode | None:
    """A chain (the party first, its ultimate parent last), each edge with its kind and share."""
    if not steps:
        return None
    nodes = [GNode(str(s.get("name") or s.get("party_id")), str(s.get("party_id") or "")) for s in steps]
    for i in range(len(nodes) - 1):
        rel = str(steps[i].get("relation") or "owned by")
        nodes[i].children.append((f"{rel} {share(steps[i].get('share_ppm'))}".strip(), nodes[i + 1]))
    return nodes[0]


def from_relatives(name: str, relatives: Sequence[Mapping[str, Any]]) -> GNode | None:
    if not relatives:
        return None
    root = GNode(name)
    for r in relatives[:MAX_NODES]:
        lists = list(r.get("lists") or [])
        root.children.append((str(r.get("relation") or ""), GNode(str(r.get("name")), ", ".join(lists), bool(lists))))
    return root


def _layout(node: GNode, depth: int, next_row: list[int], out: list[tuple[GNode, int, float]]) -> float:
    """Depth-first: a leaf takes the next row, a parent sits at the middle of its children."""
    if not node.children:
        y = float(next_row[0])
        next_row[0] += 1
    else:
        ys = [_layout(child, depth + 1, next_row, out) for _, child in node.children]
        y = (ys[0] + ys[-1]) / 2
    out.append((node, depth, y))
    return y


def _box(node: GNode, x: float, y: float) -> str:
    label = node.label if len(node.label) <= MAX_CHARS else node.label[: MAX_CHARS - 1] + "…"
    fill, stroke = ("#ffebee", "#b00020") if node.listed else ("#ffffff", "#16324f")
    return (f'<g><title>{escape(node.label)}{" — " + str(escape(node.sub)) if node.sub else ""}</title>'
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="4" fill="{fill}" '
            f'stroke="{stroke}"/><text x="{x + 8:.0f}" y="{y + 18:.0f}" font-size="13">{escape(label)}</text>'
            f'<text x="{x + 8:.0f}" y="{y + 36:.0f}" font-size="11" fill="#555">{escape(node.sub[:44])}</text></g>')


def svg(root: GNode, title: str) -> Markup:
    """The tree left to right: the party at the left, what reaches it to the right."""
    placed: list[tuple[GNode, int, float]] = []
    _layout(root, 0, [0], placed)
    pos = {id(n): (PAD + d * (BOX_W + GAP_X), PAD + y * (BOX_H + GAP_Y)) for n, d, y in placed}
    width = PAD * 2 + (max(d for _, d, _ in placed) + 1) * (BOX_W + GAP_X) - GAP_X
    height = PAD * 2 + (max(y for _, _, y in placed) + 1) * (BOX_H + GAP_Y) - GAP_Y
    parts = [f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0f}" '
             f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for node, _, _ in placed:
        x1, y1 = pos[id(node)]
        for edge, child in node.children:
            x2, y2 = pos[id(child)]
            parts.append(f'<line x1="{x1 + BOX_W:.0f}" y1="{y1 + BOX_H / 2:.0f}" x2="{x2:.0f}" '
                         f'y2="{y2 + BOX_H / 2:.0f}" stroke="#777"/>'
                         f'<text x="{(x1 + BOX_W + x2) / 2 - 30:.0f}" y="{(y1 + y2) / 2 + BOX_H / 2 - 4:.0f}" '
                         f'font-size="11" fill="#333">{escape(edge)}</text>')
    parts.extend(_box(node, *pos[id(node)]) for node, _, _ in placed)
    parts.append("</svg>")
    return Markup("".join(parts))
