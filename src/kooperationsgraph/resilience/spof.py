"""Single points of failure for every good, optionally counting only the people of one Land."""

from __future__ import annotations

from dataclasses import replace

from .dominators import Loss, dominator_sweep, ranked
from .model import SupplyData
from .network import GoodGraph


def spof(data: SupplyData, graphs: dict[str, GoodGraph], good: str | None = None,
         land: str | None = None) -> dict[str, list[tuple[str, Loss]]]:
    out: dict[str, list[tuple[str, Loss]]] = {}
    for g, gg in sorted(graphs.items()):
        if good is not None and g != good:
            continue
        if land:
            gg = replace(gg, leaves={a: p for a, p in gg.leaves.items() if data.land_ars(a).startswith(land[:2])})
        losses = dominator_sweep(gg)
        if land:
            losses = {n: x for n, x in losses.items() if x.leaves}
        out[g] = ranked(losses)
    return out
