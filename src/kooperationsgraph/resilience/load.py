"""Load the supply graph from a backend with the constant queries in ``queries/app/resilienz-*.rq``.

No query text is built from runtime values: every query is read as it is and filtered in Python, so the
embedded and the remote backend get the same text and give the same answers."""

from __future__ import annotations

from pathlib import Path

from rdflib.term import Node as Term

from ..catalogue import parse_header
from ..store.base import Backend
from .model import Area, Backup, Dependency, Node, Site, SupplyData, SupplyEdge

QUERY_DIR = Path(__file__).resolve().parents[3] / "queries" / "app"


def query_text(name: str, directory: Path | None = None) -> str:
    """The text of one app query (its header is checked like a catalogue query's)."""
    return parse_header((directory or QUERY_DIR) / f"{name}.rq").text


def _rows(backend: Backend, name: str, directory: Path | None) -> list[dict[str, Term]]:
    """The rows of one app query in a fixed order: engines return rows in an order of their own, and where a
    resource comes in several rows (two labels, two seats) the first one must be the same on every backend."""
    rows = backend.query(query_text(name, directory)).dicts()
    return sorted(rows, key=lambda r: sorted((k, type(v).__name__, str(v)) for k, v in r.items()))


def _s(row: dict[str, Term], key: str) -> str | None:
    v = row.get(key)
    return None if v is None else str(v)


def load_supply(backend: Backend, directory: Path | None = None) -> SupplyData:
    """Everything the analysis needs, in one pass over nine queries."""
    data = SupplyData(version=backend.version())
    _load_areas(data, backend, directory)
    _load_nodes(data, backend, directory)
    for r in _rows(backend, "resilienz-mitgliedschaften", directory):
        koop = str(r["kooperation"])
        data.members.setdefault(koop, set())
        if "mitglied" in r:
            data.members[koop].add(str(r["mitglied"]))
        if "mindest" in r:
            data.min_members[koop] = int(r["mindest"])  # type: ignore[call-overload]
    _load_edges(data, backend, directory)
    for r in _rows(backend, "resilienz-krankenhaeuser", directory):
        site = str(r["standort"])
        data.sites[site] = Site(site, str(r["betreiber"]), _s(r, "sitz"), str(r["kreis"]),
                                int(r.get("betten", 0)), int(r["stufe"]))  # type: ignore[call-overload]
    for r in _rows(backend, "resilienz-abhaengigkeiten", directory):
        data.dependencies.append(Dependency(str(r["abhaengigkeit"]), str(r["gut"]), str(r["benoetigt"]),
                                            tuple(sorted(str(r.get("quellen", "")).split()))))
    for r in _rows(backend, "resilienz-notversorgung", directory):
        data.backups.setdefault(str(r["akteur"]), []).append(
            Backup(str(r["notversorgung"]), str(r["gut"]), float(r["stunden"])))  # type: ignore[arg-type]
    for r in _rows(backend, "resilienz-gueter", directory):
        art = str(r["art"])
        if art == "gut":
            data.goods[str(r["x"])] = (_s(r, "name") or "", _s(r, "nameEn") or "")
        elif art == "schwelle":
            value = int(r["wert"])  # type: ignore[call-overload]
            if data.threshold is None or value < data.threshold:
                data.threshold, data.threshold_iri, data.threshold_norm = value, str(r["x"]), _s(r, "bezug")
        elif art == "regelt":
            data.governs.setdefault(str(r["x"]), set()).add(str(r["bezug"]))
    data.edges.sort(key=lambda e: (e.good, e.supplier, e.area or "", e.actor or "", e.relation))
    data.dependencies.sort(key=lambda d: (d.good, d.needs, d.iri))  # rows come in the engine's order: fix one
    for backups in data.backups.values():
        backups.sort(key=lambda b: (b.good, b.hours, b.iri))
    return data


def _load_areas(data: SupplyData, backend: Backend, directory: Path | None) -> None:
    population = {str(r["gebiet"]): int(r["einwohner"])  # type: ignore[call-overload]
                  for r in _rows(backend, "resilienz-einwohner", directory)}
    rows = _rows(backend, "resilienz-gebiete", directory)
    successor = {str(r["gebiet"]): str(r["nachfolger"]) for r in rows if "nachfolger" in r}
    for r in rows:
        iri = str(r["gebiet"])
        if iri in successor or iri in data.areas:
            continue  # merged into another unit (its people are counted there) or already seen
        parent = _s(r, "oben")
        hops = 0
        while parent in successor and hops < 3:  # a unit whose parent was merged lies in the parent's successor
            parent, hops = successor[parent], hops + 1
        data.areas[iri] = Area(iri, str(r["ebene"]), _s(r, "ars") or "", parent, _s(r, "name") or "",
                               population.get(iri, 0))


def _load_nodes(data: SupplyData, backend: Backend, directory: Path | None) -> None:
    """One node per IRI. A node with several labels, seats or classes comes in several rows, in an order each
    engine picks itself: the most specific kind wins, then the smallest values, so every backend gives the same."""
    priority = {"kooperation": 0, "vereinbarung": 1, "betreiber": 2, "akteur": 3}
    best: dict[str, tuple[int, str, str, str, str]] = {}
    for r in _rows(backend, "resilienz-knoten", directory):
        iri = str(r["x"])
        key = (priority[str(r["art"])], _s(r, "name") or "", _s(r, "nameEn") or "", _s(r, "sitz") or "",
               _s(r, "betreiber") or "")
        if iri not in best or key < best[iri]:
            best[iri] = key
    kinds = {v: k for k, v in priority.items()}
    for iri, (kind, name, name_en, seat, operator) in sorted(best.items()):
        data.nodes[iri] = Node(iri, kinds[kind], name, name_en, seat or None, operator or None)


def _load_edges(data: SupplyData, backend: Backend, directory: Path | None) -> None:
    grouped: dict[tuple[str, str, str, str | None, str | None], dict[str, object]] = {}
    for r in _rows(backend, "resilienz-versorgung", directory):
        key = (str(r["rel"]), str(r["versorger"]), str(r["gut"]), _s(r, "gebiet"), _s(r, "akteur"))
        entry = grouped.setdefault(key, {"basis": set(), "regel": None, "mitglieder": False, "kapazitaet": None})
        for b in ("grundlage", "rahmen"):
            if b in r:
                entry["basis"].add(str(r[b]))  # type: ignore[attr-defined]
        if "regel" in r:
            entry["regel"] = str(r["regel"])
        if str(r.get("mitglieder", "false")).lower() in {"true", "1"}:
            entry["mitglieder"] = True
        if "kapazitaet" in r:
            entry["kapazitaet"] = float(r["kapazitaet"])  # type: ignore[arg-type]
    for (rel, supplier, good, area, actor), e in grouped.items():
        if area is not None and area not in data.areas:
            continue  # an area merged into another one or unknown: no people to count
        data.edges.append(SupplyEdge(rel, supplier, good, area, actor, e["regel"],  # type: ignore[arg-type]
                                     frozenset(e["basis"]), bool(e["mitglieder"]),  # type: ignore[arg-type]
                                     e["kapazitaet"]))  # type: ignore[arg-type]
