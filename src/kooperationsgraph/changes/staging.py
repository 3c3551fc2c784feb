"""Where change sets live in the store: one staging graph per change set (``…/graph/changes/{id}``: each added
or removed triple as an ``rdf:Statement`` with ``kg:aenderungsart`` and ``kg:imGraph``, so pending triples
are never part of the data the union default graph shows) and the history graph ``…/graph/changes`` with the
metadata of every change set in PROV terms (``prov:Activity``, ``prov:wasAssociatedWith``,
``prov:startedAtTime``, ``dcterms:description`` …), queryable through ``/sparql``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD
from rdflib.term import Node

from ..namespaces import CHANGE_ID, CHANGES_GRAPH, ID, KG
from ..sparql.terms import fill
from ..store.base import Backend
from .model import ChangeSet, Quad

AGENT = Namespace(ID + "agent/")
STATUS_IRI = {"pending": KG.Wartend, "accepted": KG.Angenommen, "rejected": KG.Abgelehnt}
STATUS_NAME = {str(v): k for k, v in STATUS_IRI.items()}

#: Accept: the change set's removals and additions and its status, in one update (one transaction).
APPLY = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?staging { ?st kg:aenderungsart kg:Entfernung ;
  rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:imGraph ?g } } ;
DELETE { ?s ?p ?o } WHERE { GRAPH ?staging { ?st kg:aenderungsart kg:Entfernung ;
  rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o FILTER NOT EXISTS { ?st kg:imGraph ?any } } } ;
INSERT { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?staging { ?st kg:aenderungsart kg:Hinzufuegung ;
  rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:imGraph ?g } } ;
INSERT { ?s ?p ?o } WHERE { GRAPH ?staging { ?st kg:aenderungsart kg:Hinzufuegung ;
  rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o FILTER NOT EXISTS { ?st kg:imGraph ?any } } } ;
DELETE { GRAPH ?history { ?cs kg:aenderungsstatus ?old } }
INSERT { GRAPH ?history { ?cs kg:aenderungsstatus ?status ; prov:endedAtTime ?now ; kg:geprueftVon ?reviewer ;
  prov:wasAssociatedWith ?reviewer ; kg:pruefbegruendung ?why . ?reviewer a prov:Agent ; rdfs:label ?reviewerName } }
WHERE { GRAPH ?history { ?cs kg:aenderungsstatus ?old } }"""
#: Reject: only the status (the staging graph stays as the record of what was proposed).
REJECT = APPLY[APPLY.index("DELETE { GRAPH ?history"):]
PROLOGUE = APPLY[:APPLY.index("DELETE")]
RDFS_PREFIX = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def agent(name: str) -> URIRef:
    return AGENT[hashlib.sha256(name.encode()).hexdigest()[:16]]


def staging_triples(cs: ChangeSet) -> list[tuple[Node, Node, Node]]:
    out: list[tuple[Node, Node, Node]] = []
    for kind, quads in ((KG.Hinzufuegung, cs.added), (KG.Entfernung, cs.removed)):
        for i, (s, p, o, g) in enumerate(quads):
            st = URIRef(f"{cs.staging}#{'a' if kind == KG.Hinzufuegung else 'r'}{i}")
            out += [(st, RDF.type, RDF.Statement), (st, RDF.subject, s), (st, RDF.predicate, p),
                    (st, RDF.object, o), (st, KG.aenderungsart, kind)]
            if g:
                out.append((st, KG.imGraph, URIRef(g)))
    return out


def history_triples(cs: ChangeSet) -> list[tuple[Node, Node, Node]]:
    c, who = cs.iri, agent(cs.author)
    out: list[tuple[Node, Node, Node]] = [
        (c, RDF.type, KG.Aenderung), (c, RDF.type, PROV.Activity),
        (c, RDFS.label, Literal(f"Änderung {cs.id}", lang="de")), (c, RDFS.label, Literal(f"Change set {cs.id}", lang="en")),
        (c, PROV.wasAssociatedWith, who), (c, DCTERMS.creator, who), (who, RDF.type, PROV.Agent),
        (who, RDFS.label, Literal(cs.author)),
        (c, PROV.startedAtTime, Literal(cs.created, datatype=XSD.dateTime)),
        (c, DCTERMS.description, Literal(cs.reason)),
        (c, KG.aenderungsstatus, STATUS_IRI[cs.status]),
        (c, KG.stagingGraph, URIRef(cs.staging)),
        (c, KG.herkunftDerAenderung, Literal(cs.source)),
        (c, KG.basisversion, Literal(cs.base_version)),
    ]
    out += [(c, KG.betrifft, URIRef(t)) for t in cs.touched()]
    return out


def write(backend: Backend, cs: ChangeSet) -> None:
    """Store a new change set: its staging graph first, then its entry in the history (until then invisible)."""
    backend.replace_graph(cs.staging, staging_triples(cs))
    old = list(backend.graph_triples(CHANGES_GRAPH)) if CHANGES_GRAPH in backend.named_graphs() else []
    backend.replace_graph(CHANGES_GRAPH, old + history_triples(cs))


def _history() -> Graph:
    return Graph()


def history(backend: Backend) -> Graph:
    g = Graph()
    if CHANGES_GRAPH in backend.named_graphs():
        for t in backend.graph_triples(CHANGES_GRAPH):
            g.add(t)
    return g


def _from_history(g: Graph, c: URIRef, quads: bool, backend: Backend) -> ChangeSet:
    def text(p: URIRef, node: Node = c) -> str | None:
        v = g.value(node, p)
        return None if v is None else str(v)

    creator = g.value(c, DCTERMS.creator)
    reviewer = g.value(c, KG.geprueftVon)
    cs = ChangeSet(
        id=str(c)[len(CHANGE_ID):], author=text(RDFS.label, creator) or "" if creator is not None else "",
        reason=text(DCTERMS.description) or "", created=text(PROV.startedAtTime) or "",
        source=text(KG.herkunftDerAenderung) or "api", status=STATUS_NAME.get(text(KG.aenderungsstatus) or "", "pending"),
        base_version=text(KG.basisversion) or "",
        reviewer=(text(RDFS.label, reviewer) if reviewer is not None else None),
        reviewed=text(PROV.endedAtTime), review_reason=text(KG.pruefbegruendung))
    if quads:
        cs.added, cs.removed = read_staging(backend, cs.staging)
    return cs


def read_staging(backend: Backend, graph: str) -> tuple[list[Quad], list[Quad]]:
    g = Graph()
    if graph in backend.named_graphs():
        for t in backend.graph_triples(graph):
            g.add(t)
    added: list[Quad] = []
    removed: list[Quad] = []
    for st in sorted(g.subjects(RDF.type, RDF.Statement), key=str):
        ig = g.value(st, KG.imGraph)
        q: Quad = (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object),  # type: ignore[assignment]
                   None if ig is None else str(ig))
        (added if g.value(st, KG.aenderungsart) == KG.Hinzufuegung else removed).append(q)
    return added, removed


def list_changes(backend: Backend, status: str | None = None) -> list[ChangeSet]:
    g = history(backend)
    out = [_from_history(g, c, False, backend) for c in g.subjects(RDF.type, KG.Aenderung) if isinstance(c, URIRef)]
    out = [c for c in out if status is None or c.status == status]
    return sorted(out, key=lambda c: (c.created, c.id), reverse=True)


def get_change(backend: Backend, change_id: str) -> ChangeSet | None:
    g = history(backend)
    c = URIRef(CHANGE_ID + change_id)
    if (c, RDF.type, KG.Aenderung) not in g:
        return None
    return _from_history(g, c, True, backend)


def changes_touching(backend: Backend, entity: str) -> list[ChangeSet]:
    """Accepted change sets that touched an entity, newest first (for the entity pages)."""
    g = history(backend)
    cs = [_from_history(g, c, False, backend) for c in g.subjects(KG.betrifft, URIRef(entity)) if isinstance(c, URIRef)]
    return sorted((c for c in cs if c.status == "accepted"), key=lambda c: c.reviewed or "", reverse=True)


def set_status(backend: Backend, cs: ChangeSet, status: str, reviewer: str, why: str, now: str, *,
               apply: bool) -> None:
    """Record the review; with ``apply`` the change set's triples go into the store in the same update."""
    terms: dict[str, Node] = {
        "staging": URIRef(cs.staging), "history": URIRef(CHANGES_GRAPH), "cs": cs.iri, "status": STATUS_IRI[status],
        "now": Literal(now, datatype=XSD.dateTime), "reviewer": agent(reviewer), "reviewerName": Literal(reviewer),
        "why": Literal(why),
    }
    text = APPLY if apply else PROLOGUE + REJECT
    backend.update(fill(RDFS_PREFIX + text, terms))


def quads_of(triples: Iterable[tuple[Node, Node, Node]], graph: str | None) -> list[Quad]:
    return [(s, p, o, graph) for s, p, o in triples]
