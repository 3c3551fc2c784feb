"""A run's findings as RDF in its own named graph (…/graph/resilienz/<run id>), with provenance: what was
removed, when, on which store version, by which software."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from .. import __version__
from ..namespaces import GRAPH, ID, KG
from .dominators import Loss
from .impact import GoodImpact
from .model import SupplyData
from .whatif import WhatIf

PROV = Namespace("http://www.w3.org/ns/prov#")
RESULT_GRAPH_PREFIX = GRAPH + "resilienz/"
SOFTWARE = URIRef(ID + "software/kooperationsgraph")


def run_id(kind: str, removed: list[str], version: str, when: str) -> str:
    h = hashlib.sha256("\n".join([kind, version, when, *sorted(removed)]).encode()).hexdigest()
    return f"{kind}-{h[:16]}"


def _graph() -> Graph:
    g = Graph()
    g.bind("kg", KG)
    g.bind("prov", PROV)
    return g


def _run(g: Graph, kind: str, removed: list[str], data: SupplyData, label_de: str, label_en: str) -> URIRef:
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    run = URIRef(ID + "ausfallanalyse/" + run_id(kind, removed, data.version, when))
    g.add((run, RDF.type, KG.Ausfallanalyse))
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, RDFS.label, Literal(label_de, lang="de")))
    g.add((run, RDFS.label, Literal(label_en, lang="en")))
    g.add((run, PROV.startedAtTime, Literal(when, datatype=XSD.dateTime)))
    g.add((run, KG.datenstand, Literal(data.version)))
    g.add((run, PROV.wasAssociatedWith, SOFTWARE))
    g.add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
    g.add((SOFTWARE, RDFS.label, Literal(f"kooperationsgraph {__version__}")))
    for r in removed:
        g.add((run, KG.entfernt, URIRef(r)))
    return run


def _finding(g: Graph, run: URIRef, n: int, good: str, target: str, kind: URIRef, order: int, people: int,
             data: SupplyData, above: bool | None = None) -> URIRef:
    f = URIRef(f"{run}/befund/{n}")
    g.add((f, RDF.type, KG.Ausfallbefund))
    g.add((f, PROV.wasGeneratedBy, run))
    g.add((f, KG.liefertGut, URIRef(good)))
    g.add((f, KG.betroffen, URIRef(target)))
    g.add((f, KG.verlustart, kind))
    g.add((f, KG.ordnung, Literal(order)))
    g.add((f, KG.personen, Literal(people)))
    g.add((f, RDFS.label, Literal(f"{data.name(target)}: {data.name(good)}", lang="de")))
    g.add((f, RDFS.label, Literal(f"{data.name(target, 'en')}: {data.name(good, 'en')}", lang="en")))
    if above is not None:
        g.add((f, KG.ueberVersorgungsschwelle, Literal(above)))
    return f


def whatif_graph(data: SupplyData, res: WhatIf) -> tuple[str, Graph]:
    g = _graph()
    names = ", ".join(data.name(r) for r in res.removed)
    run = _run(g, "whatif", res.removed, data, f"Ausfallanalyse: {names}", f"Failure analysis: {names}")
    n = 0

    def add(impacts: dict[str, GoodImpact], kind_lost: URIRef, order: int, backup: bool = False) -> None:
        nonlocal n
        for good, imp in sorted(impacts.items()):
            for a in imp.lost_areas:
                n += 1
                f = _finding(g, run, n, good, a.area, kind_lost, order, a.people, data,
                             res.above_threshold(imp.lost_people))
                if backup:
                    for k in res.knocks:
                        if k.good == good and k.backup is not None:
                            g.add((f, KG.gedecktDurch, URIRef(k.backup.iri)))
                            break
            for a in imp.partial_areas if order == 1 else ():
                n += 1
                _finding(g, run, n, good, a.area, KG.VerlustTeilweise, order, a.people, data)
            for actor in imp.lost_actors:
                n += 1
                _finding(g, run, n, good, actor, kind_lost, order, 0, data)

    add(res.first, KG.VerlustVollstaendig, 1)
    add(res.second, KG.VerlustVollstaendig, 2)
    add(res.risk, KG.VerlustGefaehrdet, 2, backup=True)
    return RESULT_GRAPH_PREFIX + str(run).rsplit("/", 1)[-1], g


def spof_graph(data: SupplyData, per_good: dict[str, list[tuple[str, Loss]]]) -> tuple[str, Graph]:
    g = _graph()
    run = _run(g, "spof", [], data, "Einzelne Ausfallpunkte je Versorgungsgut", "Single points of failure per good")
    n = 0
    for good, items in sorted(per_good.items()):
        for node, loss in items:
            n += 1
            _finding(g, run, n, good, node, KG.VerlustVollstaendig, 1, loss.people, data,
                     data.threshold is not None and loss.people >= data.threshold)
    return RESULT_GRAPH_PREFIX + str(run).rsplit("/", 1)[-1], g
