"""Hospital figures per Kreis: beds per 1,000 people and sites with emergency care, before and after a failure
(sites fail with their operator, or in a cascade)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import SupplyData


@dataclass(frozen=True)
class KreisBeds:
    kreis: str
    people: int
    beds_before: int
    beds_after: int
    emergency_before: int
    emergency_after: int
    sites_lost: int
    sites_at_risk: int

    @property
    def per_1000_before(self) -> float:
        return 1000 * self.beds_before / self.people if self.people else 0.0

    @property
    def per_1000_after(self) -> float:
        return 1000 * self.beds_after / self.people if self.people else 0.0

    @property
    def loses_all_emergency(self) -> bool:
        return self.emergency_before > 0 and self.emergency_after == 0


def kreis_population(data: SupplyData) -> dict[str, int]:
    out: dict[str, int] = {}
    for a in data.areas.values():
        if a.is_leaf:
            k = data.kreis_of(a.iri)
            if k is not None:
                out[k] = out.get(k, 0) + a.population
    return out


def failed_sites(data: SupplyData, removed: set[str]) -> set[str]:
    return {s.iri for s in data.sites.values() if s.iri in removed or s.operator in removed}


def beds_by_kreis(data: SupplyData, lost: set[str], at_risk: set[str] = frozenset(),  # type: ignore[assignment]
                  land: str | None = None, only_changed: bool = True) -> list[KreisBeds]:
    """Per Kreis with a lost or endangered site (or all Kreise with ``only_changed=False``)."""
    people = kreis_population(data)
    rows: dict[str, list[int]] = {}
    for s in data.sites.values():
        r = rows.setdefault(s.kreis, [0, 0, 0, 0, 0, 0])
        emergency = s.level >= 1 and s.beds > 0
        r[0] += s.beds
        r[2] += emergency
        if s.iri in lost:
            r[4] += 1
        else:
            r[1] += s.beds
            r[3] += emergency
        r[5] += s.iri in at_risk and s.iri not in lost
    out = []
    for k in sorted(set(rows) | set(people)):
        r = rows.get(k, [0, 0, 0, 0, 0, 0])
        if land and not k.rsplit("/", 1)[-1].startswith(land[:2]):
            continue
        if only_changed and not (r[4] or r[5]):
            continue
        out.append(KreisBeds(k, people.get(k, 0), r[0], r[1], r[2], r[3], r[4], r[5]))
    return out
