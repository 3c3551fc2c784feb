"""Tables of a what-if result for pages and downloads: the affected Kreise per good, the people per Land, the
hospital sites lost or at risk (first order, second order, bridged by a named backup) and one flat table of every
area finding (the CSV download)."""

from __future__ import annotations

from dataclasses import dataclass

from .hospitals import failed_sites
from .impact import GoodImpact
from .model import SupplyData
from .whatif import HOSPITAL_GOODS, WhatIf

ORDERS = ("first", "second", "risk")


@dataclass(frozen=True)
class KreisRow:
    kreis: str
    good: str
    lost_first: int
    lost_second: int
    at_risk: int
    gemeinden: int  # Gemeinden (leaf areas) of the Kreis that lose supply in any of the three ways


@dataclass(frozen=True)
class SiteRow:
    site: str
    operator: str
    kreis: str
    beds: int
    emergency: bool
    order: str  # first (its operator failed) | second (a good it needs failed) | risk (bridged by a backup)
    needs: str | None = None
    backup: str | None = None
    hours: float | None = None


def _impacts(res: WhatIf) -> dict[str, dict[str, GoodImpact]]:
    return {"first": res.first, "second": res.second, "risk": res.risk}


def affected_kreise(data: SupplyData, res: WhatIf) -> list[KreisRow]:
    """Per Kreis and good: people losing all supply first order, second order and at risk; most people first."""
    acc: dict[tuple[str, str], list] = {}
    for order, per_good in _impacts(res).items():
        i = ORDERS.index(order)
        for good, imp in per_good.items():
            for leaf in imp.lost_leaves:
                k = data.kreis_of(leaf) or leaf
                row = acc.setdefault((k, good), [0, 0, 0, set()])
                row[i] += data.areas[leaf].population if leaf in data.areas else 0
                row[3].add(leaf)
    rows = [KreisRow(k, g, a, b, c, len(s)) for (k, g), (a, b, c, s) in acc.items()]
    return sorted(rows, key=lambda r: (-(r.lost_first + r.lost_second + r.at_risk), r.kreis, r.good))


def people_by_land(data: SupplyData, res: WhatIf, orders: tuple[str, ...] = ("first", "second")) -> dict[str, int]:
    """People per Land (2-digit ARS) who lose all supply of at least one good (each person counted once)."""
    leaves: set[str] = set()
    for order in orders:
        for imp in _impacts(res)[order].values():
            leaves |= imp.lost_leaves
    out: dict[str, int] = {}
    for leaf in leaves:
        ars = data.land_ars(leaf)
        if ars:
            out[ars] = out.get(ars, 0) + data.areas[leaf].population
    return out


def hospital_sites(data: SupplyData, res: WhatIf) -> list[SiteRow]:
    """Hospital sites that fail with their operator (first order), through a good they need (second order) or
    that keep going on a stated backup for its hours (at risk)."""
    rows: dict[str, SiteRow] = {}

    def add(site: str, order: str, needs: str | None = None, backup: str | None = None,
            hours: float | None = None) -> None:
        s = data.sites[site]
        if res.land and not s.kreis.rsplit("/", 1)[-1].startswith(res.land[:2]):
            return
        rows.setdefault(site, SiteRow(site, s.operator, s.kreis, s.beds, s.level >= 1 and s.beds > 0, order, needs,
                                      backup, hours))

    for site in sorted(failed_sites(data, set(res.removed))):
        add(site, "first")
    for k in res.knocks:
        if k.good in HOSPITAL_GOODS and k.supplier in data.sites and k.backup is None:
            add(k.supplier, "second", k.needs)
    for k in res.knocks:
        if k.good in HOSPITAL_GOODS and k.supplier in data.sites and k.backup is not None:
            add(k.supplier, "risk", k.needs, k.backup.iri, k.backup.hours)
    return sorted(rows.values(), key=lambda r: (ORDERS.index(r.order), -r.beds, r.site))


def backups_used(res: WhatIf) -> list[tuple[str, str, str, float, int]]:
    """(backup, good it bridges, good of the suppliers, hours, number of suppliers) for every named backup."""
    acc: dict[tuple[str, str, str, float], int] = {}
    for k in res.knocks:
        if k.backup is not None:
            key = (k.backup.iri, k.needs, k.good, k.backup.hours)
            acc[key] = acc.get(key, 0) + 1
    return [(b, n, g, h, c) for (b, n, g, h), c in sorted(acc.items())]


CSV_COLUMNS = ("order", "good", "good_name", "loss", "area", "area_name", "level", "ars", "kreis", "people",
               "suppliers_before", "suppliers_after", "basis")


def finding_rows(data: SupplyData, res: WhatIf, lang: str = "de") -> list[dict[str, object]]:
    """Every area finding as one flat row (CSV): lost areas (all supply) and partly supplied areas, per order."""
    out: list[dict[str, object]] = []
    for order, per_good in _impacts(res).items():
        for good, imp in sorted(per_good.items()):
            for loss, items in (("all", imp.lost_areas), ("part", imp.partial_areas)):
                for a in items:
                    area = data.areas.get(a.area)
                    out.append({
                        "order": order, "good": good, "good_name": data.name(good, lang), "loss": loss,
                        "area": a.area, "area_name": data.name(a.area, lang), "level": area.level if area else "",
                        "ars": area.ars if area else "", "kreis": data.kreis_of(a.area) or "", "people": a.people,
                        "suppliers_before": a.suppliers_before,
                        "suppliers_after": a.suppliers_after if loss == "part" else 0,
                        "basis": "derived" if a.derived else "sourced"})
    return out
