"""What-if: remove actors, cooperations or agreements and report, per good, who loses supply — first order
(directly), second order (through a dependency between goods) and at risk (bridged by a stated backup) —,
the cooperations that lose members below what they need and the hospital figures per Kreis."""

from __future__ import annotations

from dataclasses import dataclass, field

from .cascade import Knock, at_risk, fails, knocks
from .hospitals import KreisBeds, beds_by_kreis, failed_sites
from .impact import GoodImpact, impact, removed_edges
from .model import SupplyData
from .network import GoodGraph, build_graphs, reachable

#: A cooperation is the collaboration of at least two actors (kg:Kooperation); fewer cannot cooperate.
DEFAULT_MIN_MEMBERS = 2
HOSPITAL_GOODS = ("https://w3id.org/kooperationsgraph/id/gut/krankenhausversorgung",
                  "https://w3id.org/kooperationsgraph/id/gut/notfallversorgung")


@dataclass(frozen=True)
class CoopLoss:
    cooperation: str
    lost_members: tuple[str, ...]
    remaining: int
    minimum: int

    @property
    def below(self) -> bool:
        return self.remaining < self.minimum


@dataclass
class WhatIf:
    removed: list[str]
    version: str
    good: str | None
    land: str | None
    first: dict[str, GoodImpact] = field(default_factory=dict)
    second: dict[str, GoodImpact] = field(default_factory=dict)
    risk: dict[str, GoodImpact] = field(default_factory=dict)
    knocks: list[Knock] = field(default_factory=list)
    cooperations: list[CoopLoss] = field(default_factory=list)
    governed: list[tuple[str, str]] = field(default_factory=list)
    hospitals: list[KreisBeds] = field(default_factory=list)
    threshold: int | None = None
    threshold_iri: str | None = None

    def above_threshold(self, people: int) -> bool:
        return self.threshold is not None and people >= self.threshold


def what_if(data: SupplyData, removed: list[str], graphs: dict[str, GoodGraph] | None = None,
            good: str | None = None, land: str | None = None) -> WhatIf:
    graphs = build_graphs(data) if graphs is None else graphs
    rem = set(removed)
    bases = {r for r in rem if r in data.nodes and data.nodes[r].kind in {"vereinbarung", "kooperation"}}
    res = WhatIf(sorted(rem), data.version, good, land, threshold=data.threshold, threshold_iri=data.threshold_iri)
    before: dict[str, set[str]] = {}
    after1: dict[str, set[str]] = {}
    cut: dict[str, set[tuple[str, str]]] = {}
    full: dict[str, GoodImpact] = {}
    for g, gg in graphs.items():
        before[g] = reachable(gg.graph)
        cut[g] = removed_edges(gg, bases)
        after1[g] = reachable(gg.graph, rem, cut[g])
        full[g] = impact(data, gg, before[g], after1[g], rem, 1)
    res.knocks = knocks(data, graphs, full, rem, before)
    hospital_lost = failed_sites(data, rem)
    hospital_risk: set[str] = set()
    for g, gg in graphs.items():
        keep = good is None or g == good
        if keep:
            first = full[g] if land is None else impact(data, gg, before[g], after1[g], rem, 1, land)
            if not first.empty:
                res.first[g] = first
        down = fails(res.knocks, g)
        after2 = after1[g]
        if down:
            after2 = reachable(gg.graph, rem | down, cut[g])
            second = impact(data, gg, after1[g], after2, rem | down, 2, land)
            if keep and not second.empty:
                res.second[g] = second
        risky = at_risk(res.knocks, g)
        if risky:
            after3 = reachable(gg.graph, rem | down | risky, cut[g])
            risk = impact(data, gg, after2, after3, rem | down | risky, 2, land)
            if keep and not risk.empty:
                res.risk[g] = risk
        if g in HOSPITAL_GOODS:
            hospital_lost |= down & set(data.sites)
            hospital_risk |= risky & set(data.sites)
    for coop, members in sorted(data.members.items()):
        lost = members & rem
        if lost and coop not in rem:
            res.cooperations.append(CoopLoss(coop, tuple(sorted(lost)), len(members - rem),
                                             data.min_members.get(coop, DEFAULT_MIN_MEMBERS)))
    res.governed = sorted((a, k) for a in rem for k in data.governs.get(a, ()))
    if good is None or good in HOSPITAL_GOODS:
        res.hospitals = beds_by_kreis(data, hospital_lost, hospital_risk, land)
    return res
