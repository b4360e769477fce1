"""The evidence behind one party's answer: per-regime status with its proof tree, the ultimate parent with
its path, and listed relatives with theirs. Read from the kernels' arrays; nothing here decides a status.
"""

from __future__ import annotations

import datetime as dt
from collections import deque

import numpy as np

from chipscreen.ownership import parents as parents_mod
from chipscreen.ownership.graph import Graph
from chipscreen.ownership.nodes import feeds
from chipscreen.ownership.regimes import Regime, RegimeRun
from chipscreen.ownership.results import (
    ListingRef,
    ParentInfo,
    PathStep,
    ProofNode,
    RegimeStatus,
    Relative,
    StatusCode,
)
from chipscreen.ownership.tables import LINKED, OWNERSHIP, PARENT_DIRECT

Hop = tuple[int, str, int | None]  # (node, edge kind, share lower bound)


def listing_refs(g: Graph, v: int, on: dt.date) -> list[ListingRef]:
    return [ListingRef(entity_id=e.entity_id, list_code=e.list_code, name=e.name, programs=e.programs,
                       start_date=e.start_date, end_date=e.end_date, matched_by=e.matched_by)
            for e in g.listings.get(v, []) if e.in_force(on)]


def feeding_lists(g: Graph, v: int, reg: Regime, on: dt.date) -> list[str]:
    return sorted({e.list_code for e in g.listings.get(v, []) if feeds(e, reg.lists) and e.in_force(on)})


def _owners(g: Graph, v: int) -> tuple[np.ndarray, np.ndarray]:
    """Owners of ``v`` and the indices of their edges into ``v``."""
    eidx = g.own.in_edges(np.array([v], dtype=np.int64))
    return g.own.src[eidx], eidx


def proof(g: Graph, v: int, run: RegimeRun, on: dt.date, stake: int | None = None,
          budget: list[int] | None = None) -> ProofNode:
    """Contributors are the owners blocked in an *earlier* round: exactly what made ``v`` reach the bar."""
    f = run.lo
    budget = budget if budget is not None else [200]
    budget[0] -= 1
    r = int(f.round[v])
    node = ProofNode(party_id=g.node_id(v), name=g.node_name(v), lists=feeding_lists(g, v, run.regime, on),
                     stake_ppm=stake, round=r)
    if r <= 0:
        return node
    owners, eidx = _owners(g, v)
    keep = f.blocked[owners] & (f.round[owners] < r) & (f.round[owners] >= 0)
    contrib = sorted(zip(owners[keep].tolist(), g.lo[eidx][keep].tolist(), strict=True), key=lambda t: -t[1])
    node.aggregate_ppm = int(sum(s for _, s in contrib))
    for u, s in contrib:
        if budget[0] <= 0:
            break
        node.owners.append(proof(g, int(u), run, on, int(s), budget))
    return node


def review_proof(g: Graph, v: int, run: RegimeRun, on: dt.date) -> ProofNode:
    """For a cycle-dependent case: the owners that count only if the circular holdings are blocked
    (round -1), with their stakes; one level, since the cycle has no well-founded order to unfold."""
    owners, eidx = _owners(g, v)
    keep = run.greatest[owners]
    node = ProofNode(party_id=g.node_id(v), name=g.node_name(v), round=-1,
                     aggregate_ppm=int(g.lo[eidx][keep].sum()))
    for u, s in sorted(zip(owners[keep].tolist(), g.lo[eidx][keep].tolist(), strict=True), key=lambda t: -t[1]):
        node.owners.append(ProofNode(party_id=g.node_id(u), name=g.node_name(u), stake_ppm=int(s),
                                     lists=feeding_lists(g, u, run.regime, on),
                                     round=int(run.lo.round[u]) if run.lo.blocked[u] else -1))
    return node


def _contributors(g: Graph, v: int, run: RegimeRun, on: dt.date, found: ProofNode | None, listed: bool
                  ) -> tuple[dict[str, set[str]], dict[str, str]]:
    """List code -> party ids behind the status, and their names: the listed leaves of the proof when
    there is one, else (not definitely captured) the blocked direct owners behind the aggregate shown."""
    leaves: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    if found is not None:
        stack = [found]
        while stack:
            node = stack.pop()
            for code in node.lists:
                leaves.setdefault(code, set()).add(node.party_id)
                names[node.party_id] = node.name
            stack.extend(node.owners)
    elif not listed:
        owners, _ = _owners(g, v)
        for u in owners[run.hi.blocked[owners]].tolist():
            pid = g.node_id(u)
            names[pid] = g.node_name(u)
            for code in feeding_lists(g, u, run.regime, on) or ["(blocked by ownership)"]:
                leaves.setdefault(code, set()).add(pid)
    return leaves, names


def regime_status(g: Graph, v: int, run: RegimeRun, on: dt.date) -> RegimeStatus:
    reg = run.regime
    listed = bool(run.listed[v])
    captured = bool(run.lo.blocked[v])
    possibly = bool(run.hi.blocked[v]) and not captured
    review = bool(run.greatest[v]) and not captured
    code: StatusCode = ("listed" if listed else "captured" if captured else "review" if review
                        else "possibly" if possibly else "not")
    found = (proof(g, v, run, on) if captured and not listed else review_proof(g, v, run, on) if review
             else None)
    leaves, names = _contributors(g, v, run, on, found, listed)
    parties = sorted({p for s in leaves.values() for p in s})
    return RegimeStatus(
        regime=reg.name, title=reg.title, citation=reg.citation, in_force=run.in_force,
        in_force_source=run.source, threshold_ppm=reg.threshold_ppm, op=reg.op, status=code, listed=listed,
        captured=captured, possibly=possibly, review=review,
        applies=(captured or listed) and run.in_force is not False,
        aggregate_ppm=int(run.lo.score[v]) if not listed else 0,
        aggregate_max_ppm=int(run.hi.score[v]) if not listed else 0,
        round=int(run.lo.round[v]) if captured else None,
        contributing_lists=sorted(c for c in leaves if not c.startswith("(")), contributing_parties=parties,
        contributing_names=[names[p] for p in parties], proof=found,
    )


def _share(g: Graph, owner: int, owned: int) -> int | None:
    owners, eidx = _owners(g, owned)
    hit = eidx[owners == owner]
    return int(g.lo[hit[0]]) if hit.size else None


def ultimate_parent(g: Graph, p: parents_mod.Parents, v: int, on: dt.date) -> ParentInfo:
    path_nodes = parents_mod.chain(p, v)
    steps: list[PathStep] = []
    for i, u in enumerate(path_nodes):
        nxt_kind = None
        share = None
        if i + 1 < len(path_nodes):
            nxt_kind = OWNERSHIP if p.via[u] == 1 else PARENT_DIRECT
            if p.via[u] == 1:
                share = _share(g, path_nodes[i + 1], u)
        steps.append(PathStep(party_id=g.node_id(u), name=g.node_name(u), relation=nxt_kind, share_ppm=share))
    top = int(p.ultimate[v])
    root = int(p.root[v])
    if top != root:
        method = "gleif_ultimate"
        steps[-1].relation = "parent_ultimate"
        steps.append(PathStep(party_id=g.node_id(top), name=g.node_name(top)))
    elif root == v:
        method = "self"
    else:
        method = "majority_chain" if all(p.via[u] == 1 for u in path_nodes[:-1]) else "gleif_consolidation"
    hq = g.node_hq(top)
    return ParentInfo(party_id=g.node_id(top), name=g.node_name(top), hq_country=hq,
                      hq_country_for_test=parents_mod.headquarters_country_for_rule(hq, on), method=method,
                      path=steps)


def _walk(g: Graph, start: int, up: bool, max_depth: int) -> dict[int, list[Hop]]:
    """node -> path from start as [(node, edge kind, share)], breadth first, over the edges that have a
    direction (owner above owned). OFAC's "Linked To" has none: the remark names a party the entry is
    linked to, not its owner, so a link never makes a parent or a subsidiary (it made Huawei Investment &
    Holding, Huawei Technologies' parent, its "subsidiary")."""
    paths: dict[int, list[Hop]] = {start: []}
    queue = deque([start])
    while queue:
        u = queue.popleft()
        if len(paths[u]) >= max_depth:
            continue
        for w, kind, share in g.neighbours(u, up):
            if kind == LINKED:
                continue
            if w not in paths:
                paths[w] = [*paths[u], (w, kind, share)]
                queue.append(w)
    return paths


def _steps(g: Graph, origin: int, path: list[Hop], suffix: str = "") -> list[PathStep]:
    out = [PathStep(party_id=g.node_id(origin), name=g.node_name(origin))]
    for w, kind, share in path:
        out[-1].relation, out[-1].share_ppm = kind + suffix, share
        out.append(PathStep(party_id=g.node_id(w), name=g.node_name(w)))
    return out


def relatives(g: Graph, v: int, on: dt.date, depth: int = 3, limit: int = 50) -> list[Relative]:
    """Listed parents, subsidiaries and sisters over every edge kind (ownership of any size included)."""
    def listed_codes(u: int) -> list[str]:
        return sorted({r.list_code for r in listing_refs(g, u, on)})

    def relative(relation: str, u: int, codes: list[str], path: list[PathStep]) -> Relative:
        return Relative.model_validate({"relation": relation, "party_id": g.node_id(u), "name": g.node_name(u),
                                        "lists": codes, "path": path})

    result: list[Relative] = []
    ups = _walk(g, v, True, depth)
    downs = _walk(g, v, False, depth)
    for u, path in ups.items():
        if u != v and (codes := listed_codes(u)):
            result.append(relative("parent", u, codes, _steps(g, v, path)))
    for u, path in downs.items():
        if u != v and u not in ups and (codes := listed_codes(u)):
            result.append(relative("subsidiary", u, codes, _steps(g, v, path)))
    seen = set(ups) | set(downs)
    for up in (True, False):
        for u, kind, _share in g.neighbours(v, up):
            if kind == LINKED and u not in seen and (codes := listed_codes(u)):
                seen.add(u)
                result.append(relative("linked", u, codes, _steps(g, v, [(u, kind, None)])))
    for anc, up_path in ups.items():
        if anc == v or len(up_path) > 2:
            continue
        for u, down_path in _walk(g, anc, False, 1).items():
            if u in seen:
                continue
            seen.add(u)
            if codes := listed_codes(u):
                sister_path = _steps(g, v, up_path)
                tail = _steps(g, anc, down_path, " (of)")
                sister_path[-1].relation, sister_path[-1].share_ppm = tail[0].relation, tail[0].share_ppm
                result.append(relative("sister", u, codes, sister_path + tail[1:]))
        if len(result) >= limit:
            break
    return result[:limit]
