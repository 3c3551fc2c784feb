"""Text and JSON renderings of what-if and single-point-of-failure results (German labels, English keys)."""

from __future__ import annotations

from typing import Any

from ..output import table
from .brokers import Split
from .dominators import Loss
from .impact import GoodImpact
from .model import SupplyData
from .whatif import WhatIf


def _area(data: SupplyData, iri: str) -> str:
    a = data.areas.get(iri)
    return f"{a.name} ({a.ars})" if a and a.ars else data.name(iri)


def _n(x: int) -> str:
    return f"{x:,}".replace(",", ".")


def _flag(res: WhatIf, people: int) -> str:
    return " ⚠ über der Schwelle der BSI-KritisV" if res.above_threshold(people) else ""


def _impact_lines(data: SupplyData, res: WhatIf, imp: GoodImpact, title: str, limit: int) -> list[str]:
    out = [f"  {title}: {_n(imp.lost_people)} Menschen verlieren jede Versorgung{_flag(res, imp.lost_people)}"]
    if imp.lost_areas:
        rows = [[_area(data, a.area), data.areas[a.area].level if a.area in data.areas else "", _n(a.people),
                 str(a.suppliers_before), "abgeleitet" if a.derived else "belegt"] for a in imp.lost_areas[:limit]]
        out += ["    " + line for line in table(["Gebiet", "Ebene", "Menschen", "Versorger vorher", "Versorgung"],
                                                  rows).splitlines()]
        if len(imp.lost_areas) > limit:
            out.append(f"    … und {len(imp.lost_areas) - limit} weitere Gebiete")
    if imp.partial_areas:
        out.append(f"    teilweise ({_n(imp.partial_people)} Menschen, weniger verbleibende Versorger):")
        rows = [[_area(data, a.area), _n(a.people), f"{a.suppliers_before} → {a.suppliers_after}"]
                for a in imp.partial_areas[:limit]]
        out += ["    " + line for line in table(["Gebiet", "Menschen", "Versorger"], rows).splitlines()]
    if imp.lost_actors:
        names = ", ".join(data.name(a) for a in imp.lost_actors[:limit])
        more = f" und {len(imp.lost_actors) - limit} weitere" if len(imp.lost_actors) > limit else ""
        out.append(f"    Akteure ohne Versorgung: {names}{more}")
    return out


def whatif_text(data: SupplyData, res: WhatIf, limit: int = 15) -> str:
    lines = ["Ausfallanalyse – was wäre, wenn … ausfällt", "=" * 44,
             "Entfernt: " + "; ".join(f"{data.name(r)} <{r}>" for r in res.removed),
             f"Datenstand: {res.version}" + (f"; Land {res.land}" if res.land else ""), ""]
    goods = sorted(set(res.first) | set(res.second) | set(res.risk))
    if not goods:
        lines.append("Niemand verliert Versorgung.")
    for g in goods:
        lines.append(f"{data.name(g)} <{g}>")
        if g in res.first:
            lines += _impact_lines(data, res, res.first[g], "1. Ordnung", limit)
        if g in res.second:
            lines += _impact_lines(data, res, res.second[g], "2. Ordnung (über Abhängigkeit)", limit)
        if g in res.risk:
            hours = sorted({k.backup.hours for k in res.knocks if k.good == g and k.backup is not None})
            h = "/".join(f"{x:g}" for x in hours)
            imp = res.risk[g]
            lines.append(f"  gefährdet für {h} Stunden Notversorgung: {_n(imp.lost_people)} Menschen, "
                         f"deren Versorgung nach Ablauf der Notversorgung entfiele{_flag(res, imp.lost_people)}")
            backups = sorted({(k.backup.iri, k.needs) for k in res.knocks if k.good == g and k.backup is not None})
            for iri, needs in backups:
                n_sup = sum(1 for k in res.knocks if k.good == g and k.backup is not None and k.backup.iri == iri)
                lines.append(f"    {n_sup} Versorger überbrücken den Ausfall von {data.name(needs)} mit <{iri}>")
            lines += ["  " + x for x in _impact_lines(data, res, imp, "nach Ablauf", limit)[1:]]
        lines.append("")
    if res.cooperations:
        lines.append("Kooperationen, die Mitglieder verlieren")
        rows = [[data.name(c.cooperation), ", ".join(data.name(m) for m in c.lost_members), str(c.remaining),
                 str(c.minimum), "ja" if c.below else "nein"] for c in res.cooperations]
        lines += table(["Kooperation", "verliert", "verbleiben", "mindestens", "darunter"], rows).splitlines()
        lines.append("")
    for a, k in res.governed:
        lines.append(f"Vereinbarung {data.name(a)} regelt {data.name(k)}: deren Grundlage entfällt.")
    if res.hospitals:
        lines.append("Krankenhäuser je Kreis (Betten je 1.000 Einwohner, Standorte mit Notfallversorgung)")
        rows = [[_area(data, h.kreis), _n(h.people), f"{h.per_1000_before:.2f} → {h.per_1000_after:.2f}",
                 f"{h.emergency_before} → {h.emergency_after}", str(h.sites_lost), str(h.sites_at_risk),
                 "JA" if h.loses_all_emergency else ""] for h in res.hospitals[:limit]]
        lines += table(["Kreis", "Einwohner", "Betten/1.000", "Notfallstandorte", "verloren", "gefährdet",
                        "keine Notfallversorgung mehr"], rows).splitlines()
        lines.append("")
    if res.threshold:
        lines.append(f"Schwelle: {_n(res.threshold)} versorgte Personen (Regelschwellenwert BSI-KritisV, "
                     f"<{res.threshold_iri}>).")
    lines.append("Abgeleitete Versorgungsbeziehungen (Regeln in ontology/rules/versorgung-*.rq) sind Annahmen, "
                 "keine belegten Tatsachen.")
    return "\n".join(lines)


def _impact_json(data: SupplyData, res: WhatIf, imp: GoodImpact) -> dict[str, Any]:
    return {
        "good": imp.good, "order": imp.order, "people_lost": imp.lost_people,
        "above_threshold": res.above_threshold(imp.lost_people),
        "areas_lost": [{"area": a.area, "name": data.name(a.area), "people": a.people,
                        "suppliers_before": a.suppliers_before, "derived": a.derived} for a in imp.lost_areas],
        "areas_partial": [{"area": a.area, "name": data.name(a.area), "people": a.people,
                           "suppliers_before": a.suppliers_before, "suppliers_after": a.suppliers_after,
                           "derived": a.derived}
                          for a in imp.partial_areas],
        "people_partial": imp.partial_people,
        "actors_lost": [{"actor": a, "name": data.name(a)} for a in imp.lost_actors],
    }


def whatif_json(data: SupplyData, res: WhatIf) -> dict[str, Any]:
    return {
        "removed": [{"iri": r, "name": data.name(r)} for r in res.removed],
        "data_version": res.version, "good": res.good, "land": res.land,
        "threshold": {"people": res.threshold, "iri": res.threshold_iri},
        "first_order": [_impact_json(data, res, i) for _, i in sorted(res.first.items())],
        "second_order": [_impact_json(data, res, i) for _, i in sorted(res.second.items())],
        "at_risk": [dict(_impact_json(data, res, i), backups=sorted(
            {k.backup.iri for k in res.knocks if k.good == g and k.backup is not None}), hours=sorted(
            {k.backup.hours for k in res.knocks if k.good == g and k.backup is not None}))
            for g, i in sorted(res.risk.items())],
        "knocked_suppliers": [{"supplier": k.supplier, "good": k.good, "needs": k.needs, "where": k.where,
                               "dependency": k.dependency, "backup": k.backup.iri if k.backup else None,
                               "hours": k.backup.hours if k.backup else None} for k in res.knocks],
        "cooperations": [{"cooperation": c.cooperation, "name": data.name(c.cooperation),
                          "lost_members": list(c.lost_members), "remaining": c.remaining, "minimum": c.minimum,
                          "below_minimum": c.below} for c in res.cooperations],
        "governed": [{"agreement": a, "cooperation": k} for a, k in res.governed],
        "hospitals": [{"kreis": h.kreis, "name": data.name(h.kreis), "people": h.people,
                       "beds_before": h.beds_before, "beds_after": h.beds_after,
                       "beds_per_1000_before": round(h.per_1000_before, 3),
                       "beds_per_1000_after": round(h.per_1000_after, 3),
                       "emergency_sites_before": h.emergency_before, "emergency_sites_after": h.emergency_after,
                       "sites_lost": h.sites_lost, "sites_at_risk": h.sites_at_risk,
                       "loses_all_emergency_care": h.loses_all_emergency} for h in res.hospitals],
    }


def _kind(data: SupplyData, n: str) -> str:
    if n in data.sites:
        return "standort"
    return data.nodes[n].kind if n in data.nodes else ""


def spof_text(data: SupplyData, per_good: dict[str, list[tuple[str, Loss]]], brokers: list[tuple[str, float]],
              splits: list[Split], limit: int = 15) -> str:
    lines = ["Einzelne Ausfallpunkte (Dominatoren des Versorgungsgraphen je Gut)", "=" * 66, ""]
    for g, items in sorted(per_good.items()):
        lines.append(f"{data.name(g)} <{g}>: {len(items)} Ausfallpunkte")
        rows = [[str(i + 1), data.name(n), _kind(data, n), _n(loss.people),
                 str(loss.leaves), str(loss.actors),
                 "⚠" if data.threshold is not None and loss.people >= data.threshold else ""]
                for i, (n, loss) in enumerate(items[:limit])]
        if rows:
            lines += ["  " + x for x in table(["#", "Ausfall von", "Art", "Menschen ohne Versorgung", "Gebiete",
                                               "Akteure", "≥ Schwelle"], rows).splitlines()]
        lines.append("")
    if brokers:
        lines.append("Vermittler im Netz der Kooperationen (Betweenness)")
        lines += table(["Knoten", "Betweenness"], [[data.name(n), f"{v:.4f}"] for n, v in brokers]).splitlines()
        lines.append("")
    if splits:
        lines.append("Kooperationen, deren Ausfall das Netz teilt")
        lines += table(["Kooperation", "Teile", "abgetrennte Knoten"],
                       [[data.name(s.cooperation), str(s.parts), str(s.cut_off)] for s in splits[:limit]]).splitlines()
        lines.append("")
    if data.threshold:
        lines.append(f"⚠ = mindestens {_n(data.threshold)} Menschen (Regelschwellenwert BSI-KritisV).")
    return "\n".join(lines)


def spof_json(data: SupplyData, per_good: dict[str, list[tuple[str, Loss]]], brokers: list[tuple[str, float]],
              splits: list[Split]) -> dict[str, Any]:
    return {
        "data_version": data.version, "threshold": data.threshold,
        "goods": [{"good": g, "name": data.name(g), "single_points_of_failure": [
            {"rank": i + 1, "node": n, "name": data.name(n), "people": loss.people, "areas": loss.leaves,
             "actors": loss.actors, "above_threshold": data.threshold is not None and loss.people >= data.threshold}
            for i, (n, loss) in enumerate(items)]} for g, items in sorted(per_good.items())],
        "brokers": [{"node": n, "name": data.name(n), "betweenness": round(v, 6)} for n, v in brokers],
        "splitting_cooperations": [{"cooperation": s.cooperation, "name": data.name(s.cooperation), "parts": s.parts,
                                    "cut_off": s.cut_off} for s in splits],
    }
