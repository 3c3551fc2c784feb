"""One directed supply graph per good, rooted at a virtual source.

Nodes are suppliers (actors, cooperations, hospital sites and their operators), supplied actors and areas.
Edges: supplier → area or actor (a stated or derived relation; a service to members goes to every current
member), operator → the site it runs, area → its sub-units (supply of a Kreis reaches its Gemeinden). The
virtual source feeds every node that supplies and is supplied by no one: a node is supplied while some path
from the source reaches it. People are counted once, at the leaves (Gemeinden, inhabited unincorporated areas).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from .model import SupplyData, SupplyEdge

SOURCE = "urn:kooperationsgraph:virtual-source"


@dataclass
class GoodGraph:
    good: str
    graph: nx.DiGraph
    leaves: dict[str, int]  # leaf area → population
    areas: set[str]
    targets: set[str]  # supplied actors (not areas)
    relations: dict[tuple[str, str], list[SupplyEdge]] = field(default_factory=dict)

    @property
    def candidates(self) -> list[str]:
        """Nodes whose failure is analysed: everything but the source and the areas."""
        return sorted(n for n in self.graph if n != SOURCE and n not in self.areas)

    def direct_suppliers(self, area: str) -> list[str]:
        return sorted(u for u in self.graph.predecessors(area) if u not in self.areas and u != SOURCE)


def build_graphs(data: SupplyData, goods: Iterable[str] | None = None) -> dict[str, GoodGraph]:
    wanted = set(goods) if goods is not None else {e.good for e in data.edges}
    children = data.children()
    by_good: dict[str, list[SupplyEdge]] = {}
    for e in data.edges:
        if e.good in wanted:
            by_good.setdefault(e.good, []).append(e)
    return {good: build_graph(data, good, edges, children) for good, edges in sorted(by_good.items())}


def build_graph(data: SupplyData, good: str, edges: list[SupplyEdge],
                children: dict[str, list[str]] | None = None) -> GoodGraph:
    children = data.children() if children is None else children
    g = nx.DiGraph()
    relations: dict[tuple[str, str], list[SupplyEdge]] = {}
    targets: set[str] = set()
    areas: set[str] = set()
    for e in edges:
        if e.area is not None:
            ts = [e.area]
            areas.add(e.area)
        elif e.to_members:
            ts = sorted(data.members.get(e.supplier, ()))
            targets.update(ts)
        elif e.actor is not None:
            ts = [e.actor]
            targets.add(e.actor)
        else:
            continue
        for t in ts:
            if t == e.supplier:
                continue
            g.add_edge(e.supplier, t)
            relations.setdefault((e.supplier, t), []).append(e)
    for u in list(g.nodes):  # hospital sites depend on their operator
        op = data.nodes[u].operator if u in data.nodes else None
        if op is None and u in data.sites:
            op = data.sites[u].operator
        if op is not None and op != u:
            g.add_edge(op, u)
    stack = sorted(areas)
    while stack:  # supply of an area reaches all its current sub-units
        a = stack.pop()
        for c in children.get(a, ()):
            g.add_edge(a, c)
            if c not in areas:
                areas.add(c)
                stack.append(c)
    roots = [n for n in g if g.in_degree(n) == 0 and n not in areas]
    g.add_node(SOURCE)
    for r in roots:
        g.add_edge(SOURCE, r)
    leaves = {a: data.areas[a].population for a in areas if a in data.areas and data.areas[a].is_leaf}
    return GoodGraph(good, g, leaves, areas, targets - areas, relations)


def reachable(graph: nx.DiGraph, removed: set[str] | frozenset[str] = frozenset(),
              removed_edges: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset()) -> set[str]:
    """Nodes reachable from the source when ``removed`` nodes and edges are gone (one breadth-first search)."""
    succ = graph._succ  # adjacency dict: read-only use
    seen = {SOURCE}
    frontier = [SOURCE]
    while frontier:
        nxt = []
        for u in frontier:
            for v in succ[u]:
                if v in seen or v in removed or (removed_edges and (u, v) in removed_edges):
                    continue
                seen.add(v)
                nxt.append(v)
        frontier = nxt
    return seen
