"""The network picture of a what-if result: the failed nodes, the nodes cut off (areas and actors that lose all
supply, suppliers knocked out through a dependency), those at risk (bridged by a backup), the cooperations that
lose members, and the supply edges and memberships between them. Bounded: failed nodes first, then cut-off ones."""

from __future__ import annotations

from typing import Any

from .model import SupplyData
from .network import SOURCE, GoodGraph
from .whatif import WhatIf

MAX_NODES = 150
STATES = ("failed", "cut", "risk", "hit", "")  # priority when the picture must be cut
SIZES = {"failed": 14, "cut": 6, "risk": 3, "hit": 6, "": 1}  # node size in the picture (1 … 20)


def picture(data: SupplyData, graphs: dict[str, GoodGraph], res: WhatIf, lang: str = "de",
            limit: int = MAX_NODES) -> dict[str, Any]:
    state: dict[str, str] = {}

    def mark(node: str, s: str) -> None:
        if node == SOURCE:
            return
        cur = state.get(node)
        if cur is None or STATES.index(s) < STATES.index(cur):
            state[node] = s

    for r in res.removed:
        mark(r, "failed")
    for order in (res.first, res.second):
        for imp in order.values():
            for a in imp.lost_areas:
                mark(a.area, "cut")
            for x in imp.lost_actors:
                mark(x, "cut")
    for k in res.knocks:
        mark(k.supplier, "cut" if k.backup is None else "risk")
    for imp in res.risk.values():
        for a in imp.lost_areas:
            mark(a.area, "risk")
    for c in res.cooperations:
        mark(c.cooperation, "hit")
    for r in res.removed:  # whom the failed nodes supply directly, and the members of a failed cooperation
        for gg in graphs.values():
            if r in gg.graph:
                for v in gg.graph.successors(r):
                    mark(v, "")
        for m in data.members.get(r, ()):
            mark(m, "")
    ranked = sorted(state, key=lambda n: (STATES.index(state[n]), n))
    keep = ranked[:limit]
    shown = set(keep)
    edges: set[tuple[str, str]] = set()
    for gg in graphs.values():
        for n in keep:
            if n in gg.graph:
                edges.update((n, v) for v in gg.graph.successors(n) if v in shown)
    for coop, members in data.members.items():
        if coop in shown:
            edges.update((m, coop) for m in members if m in shown)
    nodes = [{"id": n, "label": data.name(n, lang), "state": state[n], "family": _family(data, n),
              "size": SIZES[state[n]]} for n in keep]
    return {"nodes": nodes, "edges": [{"source": a, "target": b, "label": ""} for a, b in sorted(edges)],
            "cut": len(ranked) > limit, "total": len(ranked)}


def _family(data: SupplyData, node: str) -> str:
    if node in data.areas:
        return "Gebiet"
    n = data.nodes.get(node)
    if n is None:
        return ""
    return {"kooperation": "Kooperation", "vereinbarung": "Vereinbarung"}.get(n.kind, "Akteur")
