"""Brokers and splitting cooperations in the network of actors and cooperations (memberships and stated
supply between actors, undirected): betweenness centrality, articulation points, bridges (NetworkX)."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .model import SupplyData

#: Exact betweenness up to this many nodes; above it NetworkX samples this many sources (seeded: reproducible).
EXACT_BETWEENNESS_LIMIT = 3000


@dataclass(frozen=True)
class Split:
    cooperation: str
    parts: int
    cut_off: int  # nodes outside the largest remaining part that were connected through the cooperation


def cooperation_network(data: SupplyData) -> nx.Graph:
    g = nx.Graph()
    for coop, members in data.members.items():
        for m in members:
            g.add_edge(coop, m)
    for e in data.edges:
        if e.actor is not None and e.area is None:
            g.add_edge(e.supplier, e.actor)
    return g


def brokers(data: SupplyData, top: int = 10) -> list[tuple[str, float]]:
    g = cooperation_network(data)
    if g.number_of_nodes() == 0:
        return []
    k = None if g.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT else EXACT_BETWEENNESS_LIMIT
    bc = nx.betweenness_centrality(g, k=k, seed=1 if k else None)
    return sorted(((n, v) for n, v in bc.items() if v > 0), key=lambda kv: (-kv[1], kv[0]))[:top]


def splitting_cooperations(data: SupplyData) -> list[Split]:
    """Cooperations whose removal disconnects the network, largest cut-off first."""
    g = cooperation_network(data)
    coops = set(data.members)
    out = []
    for c in nx.articulation_points(g):
        if c not in coops:
            continue
        comp = nx.node_connected_component(g, c)
        h = g.subgraph(comp - {c})
        sizes = sorted((len(x) for x in nx.connected_components(h)), reverse=True)
        out.append(Split(c, len(sizes), sum(sizes[1:])))
    return sorted(out, key=lambda s: (-s.cut_off, s.cooperation))


def bridge_count(data: SupplyData) -> int:
    return sum(1 for _ in nx.bridges(cooperation_network(data)))
