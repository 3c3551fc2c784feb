"""Second-order losses: a supplier of good B that needs good A (a stated dependency) fails when A is lost at
its seat or to it directly — unless a stated backup for A bridges the outage; then it is at risk for the
backup's hours instead of lost."""

from __future__ import annotations

from dataclasses import dataclass

from .impact import GoodImpact
from .model import Backup, SupplyData
from .network import GoodGraph


@dataclass(frozen=True)
class Knock:
    """One supplier of ``good`` hit because ``needs`` failed (at ``where``)."""

    supplier: str
    good: str
    needs: str
    where: str
    dependency: str
    backup: Backup | None


def knocks(data: SupplyData, graphs: dict[str, GoodGraph], first: dict[str, GoodImpact], removed: set[str],
           before: dict[str, set[str]]) -> list[Knock]:
    """Suppliers hit through a dependency between goods, each with its backup if one is stated."""
    out: list[Knock] = []
    for dep in data.dependencies:
        lost = first.get(dep.needs)
        gg = graphs.get(dep.good)
        if lost is None or gg is None:
            continue
        lost_actors = set(lost.lost_actors)
        for s in gg.candidates:
            if s in removed or s not in before[dep.good] or not any(True for _ in gg.graph.successors(s)):
                continue
            seat = data.sites[s].seat if s in data.sites else (data.nodes[s].seat if s in data.nodes else None)
            where = None
            if s in lost_actors:
                where = s
            elif seat is not None and seat in lost.lost_leaves:
                where = seat
            if where is None:
                continue
            backup = next((b for b in data.backups.get(s, ()) if b.good == dep.needs), None)
            out.append(Knock(s, dep.good, dep.needs, where, dep.iri, backup))
    best: dict[tuple[str, str], Knock] = {}
    for k in sorted(out, key=lambda k: (k.good, k.supplier, k.needs)):
        cur = best.get((k.supplier, k.good))
        # one knock per supplier and good: an unbridged one wins; among bridged ones the shortest backup
        if cur is None or (k.backup is None and cur.backup is not None) or (
                k.backup is not None and cur.backup is not None and k.backup.hours < cur.backup.hours):
            best[(k.supplier, k.good)] = k
    return [best[key] for key in sorted(best)]


def fails(knocked: list[Knock], good: str) -> set[str]:
    """Suppliers of ``good`` that fail (no backup bridges what they lost)."""
    return {k.supplier for k in knocked if k.good == good and k.backup is None}


def at_risk(knocked: list[Knock], good: str) -> set[str]:
    """Suppliers of ``good`` that keep going on a backup for now."""
    return {k.supplier for k in knocked if k.good == good and k.backup is not None}
