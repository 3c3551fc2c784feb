"""Single points of failure per good from the dominator tree of the supply graph.

A node v dominates a leaf area when every path from the virtual source to the leaf passes through v: exactly
the leaves that lose all supply when v alone fails. One dominator tree (Cooper–Harvey–Kennedy, NetworkX) and
one pass over it give the loss of every single removal; :func:`naive_sweep` is the baseline that runs one
reachability search per removal and must give identical results."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .network import SOURCE, GoodGraph, reachable


@dataclass(frozen=True, order=True)
class Loss:
    people: int
    leaves: int
    actors: int


def dominator_sweep(gg: GoodGraph) -> dict[str, Loss]:
    """Loss of every candidate's single failure (candidates with no loss are left out)."""
    idom = nx.immediate_dominators(gg.graph, SOURCE)
    kids: dict[str, list[str]] = {}
    for v, d in idom.items():
        if v != d:
            kids.setdefault(d, []).append(v)
    people: dict[str, int] = {}
    leaves: dict[str, int] = {}
    actors: dict[str, int] = {}
    order: list[str] = []
    stack = [SOURCE]
    while stack:  # pre-order; reversed it is a post-order for the accumulation
        v = stack.pop()
        order.append(v)
        stack.extend(kids.get(v, ()))
    for v in reversed(order):
        p = gg.leaves.get(v, 0)
        n = 1 if v in gg.leaves else 0
        a = 1 if v in gg.targets else 0
        for c in kids.get(v, ()):
            p += people[c]
            n += leaves[c]
            a += actors[c]
        people[v], leaves[v], actors[v] = p, n, a
    out: dict[str, Loss] = {}
    for v in gg.candidates:
        if v not in idom:
            continue
        own_a = 1 if v in gg.targets else 0
        loss = Loss(people[v], leaves[v], actors[v] - own_a)
        if loss.leaves or loss.actors:
            out[v] = loss
    return out


def naive_sweep(gg: GoodGraph, candidates: list[str] | None = None) -> dict[str, Loss]:
    """Baseline: one breadth-first search per removal."""
    base = reachable(gg.graph)
    base_leaves = {x for x in gg.leaves if x in base}
    base_targets = {x for x in gg.targets if x in base}
    out: dict[str, Loss] = {}
    for v in gg.candidates if candidates is None else candidates:
        if v not in base:
            continue
        after = reachable(gg.graph, {v})
        lost = base_leaves - after
        lost_a = base_targets - after - {v}
        if lost or lost_a:
            out[v] = Loss(sum(gg.leaves[x] for x in lost), len(lost), len(lost_a))
    return out


def ranked(losses: dict[str, Loss]) -> list[tuple[str, Loss]]:
    """Largest loss first (people, then areas, then actors); ties by IRI."""
    return sorted(losses.items(), key=lambda kv: (-kv[1].people, -kv[1].leaves, -kv[1].actors, kv[0]))
