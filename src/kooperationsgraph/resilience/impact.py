"""Impact of removing nodes and edges from one good's supply graph: areas and people that lose all supply,
areas that lose part of their suppliers, supplied actors left without supply."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import SupplyData
from .network import GoodGraph, reachable


@dataclass(frozen=True)
class AreaLoss:
    area: str
    people: int
    suppliers_before: int
    suppliers_after: int
    derived: bool = False  # every relation supplying the area is derived by a rule, none is sourced


@dataclass
class GoodImpact:
    good: str
    order: int
    lost_people: int = 0
    lost_leaves: set[str] = field(default_factory=set)
    lost_areas: list[AreaLoss] = field(default_factory=list)
    partial_areas: list[AreaLoss] = field(default_factory=list)
    lost_actors: list[str] = field(default_factory=list)
    partial_people: int = 0

    @property
    def empty(self) -> bool:
        return not (self.lost_leaves or self.lost_actors or self.partial_areas)


def _under(data: SupplyData, gg: GoodGraph, area: str) -> list[str]:
    """Leaves in the graph below (or equal to) an area."""
    out, stack = [], [area]
    while stack:
        a = stack.pop()
        if a in gg.leaves:
            out.append(a)
        stack.extend(c for c in gg.graph.successors(a) if c in gg.areas)
    return out


def _derived(gg: GoodGraph, area: str) -> bool:
    rels = [r for u in gg.direct_suppliers(area) for r in gg.relations.get((u, area), ())]
    return bool(rels) and all(r.derived_by for r in rels)


def impact(data: SupplyData, gg: GoodGraph, before: set[str], after: set[str], removed: set[str], order: int,
           land: str | None = None) -> GoodImpact:
    """Compare reachability before and after a removal; ``land`` restricts the areas reported (ARS prefix)."""
    res = GoodImpact(gg.good, order)

    def in_land(a: str) -> bool:
        return land is None or data.land_ars(a).startswith(land[:2])

    res.lost_leaves = {x for x in gg.leaves if x in before and x not in after and in_land(x)}
    res.lost_people = sum(gg.leaves[x] for x in res.lost_leaves)
    res.lost_actors = sorted(x for x in gg.targets if x in before and x not in after and x not in removed)
    supplied_areas = [a for a in gg.areas if gg.direct_suppliers(a) and in_land(a)]
    lost_top: list[AreaLoss] = []
    partial: list[AreaLoss] = []
    for a in supplied_areas:
        sup = gg.direct_suppliers(a)
        n_before = sum(1 for u in sup if u in before)
        n_after = sum(1 for u in sup if u in after)
        if a in before and a not in after:
            parents = [p for p in gg.graph.predecessors(a) if p in gg.areas and p not in after and p in before]
            if not parents:
                people = sum(gg.leaves[x] for x in _under(data, gg, a) if x in res.lost_leaves)
                lost_top.append(AreaLoss(a, people, n_before, 0, _derived(gg, a)))
        elif a in after and n_after < n_before:
            people = sum(gg.leaves[x] for x in _under(data, gg, a) if x in after)
            partial.append(AreaLoss(a, people, n_before, n_after, _derived(gg, a)))
    res.lost_areas = sorted(lost_top, key=lambda x: (-x.people, x.area))
    res.partial_areas = sorted(partial, key=lambda x: (-x.people, x.area))
    leaves_partial: set[str] = set()
    for p in res.partial_areas:
        leaves_partial.update(x for x in _under(data, gg, p.area) if x in after)
    res.partial_people = sum(gg.leaves[x] for x in leaves_partial)
    return res


def removed_edges(gg: GoodGraph, bases: set[str]) -> set[tuple[str, str]]:
    """Edges all of whose relations rest on a removed agreement or cooperation."""
    if not bases:
        return set()
    out = set()
    for (u, v), rels in gg.relations.items():
        if all(r.basis & bases for r in rels):
            out.add((u, v))
    return out


def reach_pair(gg: GoodGraph, nodes: set[str], bases: set[str]) -> tuple[set[str], set[str]]:
    return reachable(gg.graph), reachable(gg.graph, nodes, removed_edges(gg, bases))
