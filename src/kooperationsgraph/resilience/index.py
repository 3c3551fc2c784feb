"""The analysis of one store version, built once and asked many times (the web pages keep one per version):
the supply data, one graph per good, the dominator tree of every good (who depends on a node alone) and the
single points of failure per good, for the whole country or one Land."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from ..store.base import Backend
from .dominators import Loss
from .load import load_supply
from .model import SupplyData
from .network import SOURCE, GoodGraph, build_graphs
from .spof import spof


@dataclass(frozen=True)
class Dependents:
    """What depends on one node alone for one good: the leaf areas (with their people) and supplied actors."""

    good: str
    people: int
    leaves: tuple[str, ...]
    actors: tuple[str, ...]
    kreise: tuple[tuple[str, int], ...]  # (Kreis, people in it who depend on the node), most people first
    derived: bool = False  # every relation by which the node supplies areas with this good is derived by a rule


@dataclass
class ResilienceIndex:
    data: SupplyData
    graphs: dict[str, GoodGraph]
    kids: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # good → dominator tree (parent → kids)
    _spof: dict[str | None, dict[str, list[tuple[str, Loss]]]] = field(default_factory=dict)

    @classmethod
    def build(cls, data: SupplyData) -> ResilienceIndex:
        idx = cls(data, build_graphs(data))
        for g, gg in idx.graphs.items():
            tree: dict[str, list[str]] = {}
            for v, d in nx.immediate_dominators(gg.graph, SOURCE).items():
                if v != d:
                    tree.setdefault(d, []).append(v)
            idx.kids[g] = tree
        return idx

    @property
    def version(self) -> str:
        return self.data.version

    def spof(self, land: str | None = None) -> dict[str, list[tuple[str, Loss]]]:
        """Ranked single points of failure per good (``land``: count only that Land's people); kept per Land."""
        key = land[:2] if land else None
        if key not in self._spof:
            self._spof[key] = spof(self.data, self.graphs, None, key)
        return self._spof[key]

    def dependents(self, node: str) -> list[Dependents]:
        """Per good, everything below ``node`` in the dominator tree: it loses supply when ``node`` alone
        fails. One walk of the node's subtree per good; goods where nothing depends on it are left out."""
        out = []
        for g, tree in sorted(self.kids.items()):
            if node not in tree:
                continue
            gg = self.graphs[g]
            leaves: list[str] = []
            actors: list[str] = []
            stack = list(tree[node])
            while stack:
                v = stack.pop()
                if v in gg.leaves:
                    leaves.append(v)
                elif v in gg.targets:
                    actors.append(v)
                stack.extend(tree.get(v, ()))
            if not leaves and not actors:
                continue
            per_kreis: dict[str, int] = {}
            for leaf in leaves:
                k = self.data.kreis_of(leaf) or leaf
                per_kreis[k] = per_kreis.get(k, 0) + gg.leaves[leaf]
            kreise = tuple(sorted(per_kreis.items(), key=lambda kv: (-kv[1], kv[0])))
            rels = [r for v in gg.graph.successors(node) if v in gg.areas for r in gg.relations.get((node, v), ())]
            out.append(Dependents(g, sum(gg.leaves[x] for x in leaves), tuple(sorted(leaves)), tuple(sorted(actors)),
                                  kreise, bool(rels) and all(r.derived_by for r in rels)))
        return out


def build_index(backend: Backend) -> ResilienceIndex:
    return ResilienceIndex.build(load_supply(backend))
