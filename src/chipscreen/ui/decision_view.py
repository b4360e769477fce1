"""What the Decision and ownership pages draw, read from the engines' answers: the proof trees carried in
a decision's reasons and flags (the Affiliates rule's 50 % evidence), and a party's ownership status (each
regime's proof, the chain to the ultimate parent, listed relatives)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from chipscreen.model import Decision
from chipscreen.ownership import ControlStatus
from chipscreen.ui.graph import from_path, from_proof, from_relatives, svg


def decision_page(d: Decision) -> dict[str, Any]:
    """The graphs of a decision (one per reason or flag that carries a proof tree) and its parties."""
    graphs: list[tuple[str, Markup]] = []
    for kind, items in (("reason", d.reasons), ("flag", d.flags)):
        for it in items:
            proof = it.evidence.get("proof") if isinstance(it.evidence, dict) else None
            if isinstance(proof, dict):
                title = f"{kind} {it.code}: who owns {it.party or proof.get('name')}"
                graphs.append((title, svg(from_proof(proof), title)))
    return {"graphs": graphs}


def ownership_page(status: ControlStatus) -> list[tuple[str, Markup]]:
    graphs: list[tuple[str, Markup]] = []
    name = status.name or status.query
    for code, regime in status.regimes.items():
        if regime.proof is not None:
            title = f"{regime.title} ({code}): {regime.status}"
            graphs.append((title, svg(from_proof(regime.proof.model_dump(mode="json")), title)))
    parent = status.ultimate_parent
    if parent is not None and len(parent.path) > 1:
        chain = from_path([s.model_dump(mode="json") for s in parent.path])
        if chain is not None:
            title = f"ultimate parent: {parent.name} ({parent.method})"
            graphs.append((title, svg(chain, title)))
    relatives = from_relatives(name, [r.model_dump(mode="json") for r in status.relatives])
    if relatives is not None:
        graphs.append((f"listed relatives of {name}", svg(relatives, f"listed relatives of {name}")))
    return graphs
