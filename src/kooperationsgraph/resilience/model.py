"""The supply data the analysis works on: plain dataclasses filled by :mod:`.load` (IRIs as strings)."""

from __future__ import annotations

from dataclasses import dataclass, field

LEAF_LEVELS = frozenset({"gemeinde", "gemeindefrei"})


@dataclass(frozen=True)
class Area:
    iri: str
    level: str  # staat | land | kreis | gemeinde | gemeindefrei
    ars: str
    parent: str | None
    name: str
    population: int = 0

    @property
    def is_leaf(self) -> bool:
        return self.level in LEAF_LEVELS


@dataclass(frozen=True)
class Node:
    """Something that can fail: an actor, cooperation, agreement or hospital operator."""

    iri: str
    kind: str  # akteur | kooperation | vereinbarung | betreiber
    name: str
    name_en: str
    seat: str | None = None
    operator: str | None = None


@dataclass(frozen=True)
class SupplyEdge:
    relation: str
    supplier: str
    good: str
    area: str | None = None
    actor: str | None = None
    derived_by: str | None = None
    basis: frozenset[str] = frozenset()  # agreements and cooperations the relation rests on
    to_members: bool = False
    capacity: float | None = None


@dataclass(frozen=True)
class Site:
    iri: str
    operator: str
    seat: str | None
    kreis: str
    beds: int
    level: int


@dataclass(frozen=True)
class Dependency:
    iri: str
    good: str
    needs: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Backup:
    iri: str
    good: str
    hours: float


@dataclass
class SupplyData:
    areas: dict[str, Area] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[SupplyEdge] = field(default_factory=list)
    members: dict[str, set[str]] = field(default_factory=dict)
    min_members: dict[str, int] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    dependencies: list[Dependency] = field(default_factory=list)
    backups: dict[str, list[Backup]] = field(default_factory=dict)  # actor → backups it keeps
    goods: dict[str, tuple[str, str]] = field(default_factory=dict)  # good → (German, English name)
    threshold: int | None = None
    threshold_iri: str | None = None
    threshold_norm: str | None = None
    governs: dict[str, set[str]] = field(default_factory=dict)  # agreement → cooperations it governs
    version: str = ""

    # -- derived lookups ----------------------------------------------------------------------------
    def children(self) -> dict[str, list[str]]:
        """Current sub-units of every area (units merged into another one are left out)."""
        out: dict[str, list[str]] = {}
        for a in self.areas.values():
            if a.parent:
                out.setdefault(a.parent, []).append(a.iri)
        for v in out.values():
            v.sort()
        return out

    def kreis_of(self, area: str) -> str | None:
        """The Kreis an area lies in (itself for a Kreis)."""
        seen = 0
        cur: str | None = area
        while cur is not None and seen < 6:
            a = self.areas.get(cur)
            if a is None:
                return None
            if a.level == "kreis":
                return a.iri
            cur, seen = a.parent, seen + 1
        return None

    def land_ars(self, area: str) -> str:
        a = self.areas.get(area)
        return a.ars[:2] if a and a.ars else ""

    def name(self, iri: str, lang: str = "de") -> str:
        if iri in self.nodes:
            n = self.nodes[iri]
            return (n.name_en if lang == "en" and n.name_en else n.name) or iri
        if iri in self.areas:
            return self.areas[iri].name or iri
        if iri in self.goods:
            de, en = self.goods[iri]
            return (en if lang == "en" and en else de) or iri
        return iri
