"""DCAT-AP.de record of the dataset at ``/catalog``: Turtle, JSON-LD (and the other RDF renderings) by content
negotiation, HTML for browsers. The static part is the named graph of ``data/katalog/dcat.ttl`` in the store;
this module adds, as RDF terms, what depends on the running service and the build: endpoint, access and
download URLs on this host, ``dcterms:modified`` (end of the build), the temporal coverage (earliest founding
year in the data to the build date), ``void:triples`` and the links to the VoID description. Cached per store
version and host."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from rdflib import RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, XSD

from ...namespaces import BASE, META_GRAPH, graph_iri_for
from ..extensions import get_backend
from ..http import RDF_RENDERINGS, cors, negotiate_rdf

bp = Blueprint("catalog", __name__)

VOID = Namespace("http://rdfs.org/ns/void#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")

#: The static part of the record (a file in data/, loaded by the build like every other data file).
CATALOG_GRAPH = graph_iri_for("data/katalog/dcat.ttl")
CATALOG = URIRef(BASE + "catalog")
DATASET = URIRef(BASE + "dataset")
PERIOD = URIRef(BASE + "dataset#zeitraum")
SPARQL_SERVICE = URIRef(BASE + "catalog#sparql")
GRAPH_STORE = URIRef(BASE + "catalog#graph-store")
DUMP_TRIG = URIRef(BASE + "dataset#dump-trig")
DUMP_NQUADS = URIRef(BASE + "dataset#dump-nquads")
SPARQL_DIST = URIRef(BASE + "dataset#sparql")

Q_BUILT = "SELECT ?t WHERE { GRAPH ?meta { ?build ?ended ?t } } LIMIT 1"
Q_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
Q_FIRST_YEAR = """SELECT (MIN(SUBSTR(STR(?v), 1, 4)) AS ?y) WHERE {
  { ?k <https://w3id.org/kooperationsgraph/ontology#gruendungsjahr> ?v }
  UNION { ?k <https://w3id.org/kooperationsgraph/ontology#gruendungsdatum> ?v } }"""


def static_part() -> Graph:
    """The record as stored (``data/katalog/dcat.ttl``)."""
    g = Graph()
    for t in get_backend().graph_triples(CATALOG_GRAPH):
        g.add(t)
    return g


def _built_at() -> Literal | None:
    rows = get_backend().query(Q_BUILT, bindings={"meta": URIRef(META_GRAPH), "build": URIRef(META_GRAPH + "#build"),
                                                  "ended": PROV.endedAtTime}).rows
    return Literal(str(rows[0][0]), datatype=XSD.dateTime) if rows else None


def _first_year() -> Literal | None:
    rows = get_backend().query(Q_FIRST_YEAR).rows
    year = str(rows[0][0]) if rows and rows[0][0] is not None else ""
    return Literal(year, datatype=XSD.gYear) if len(year) == 4 and year.isdigit() else None


def describe(host_url: str) -> Graph:
    """The full record for a service reachable at ``host_url`` (ending in ``/``)."""
    backend = get_backend()
    cache = current_app.extensions.setdefault("kg_catalog", {})
    key = (backend.version(), host_url)
    if key in cache:
        return cache[key]
    g = static_part()
    for prefix, ns in (("dcat", DCAT), ("dcterms", DCTERMS), ("dcatde", DCATDE), ("void", VOID)):
        g.bind(prefix, ns)
    sparql, store = URIRef(host_url + "sparql"), URIRef(host_url + "rdf-graphs")
    g.add((SPARQL_SERVICE, DCAT.endpointURL, sparql))
    g.add((SPARQL_SERVICE, DCAT.endpointDescription, sparql))
    g.add((GRAPH_STORE, DCAT.endpointURL, store))
    for dist in (DUMP_TRIG, DUMP_NQUADS):
        g.add((dist, DCAT.accessURL, store))
        g.add((dist, DCAT.downloadURL, store))
        g.add((dist, DCAT.accessService, GRAPH_STORE))
    g.add((SPARQL_DIST, DCAT.accessURL, sparql))
    void = URIRef(host_url + ".well-known/void")
    g.add((DATASET, RDFS.seeAlso, void))
    g.add((DATASET, DCAT.landingPage, URIRef(host_url)))
    g.add((CATALOG, RDFS.seeAlso, void))
    g.add((DATASET, VOID.triples, Literal(int(backend.query(Q_TRIPLES).rows[0][0]), datatype=XSD.integer)))
    built = _built_at()
    if built is not None:
        for node in (CATALOG, DATASET):
            g.add((node, DCTERMS.modified, built))
        g.add((PERIOD, DCAT.endDate, Literal(str(built)[:10], datatype=XSD.date)))
    first = _first_year()
    if first is not None:
        g.add((PERIOD, DCAT.startDate, first))
    cache.clear()
    cache[key] = g
    return g


@bp.get("/catalog")
def catalog() -> ResponseReturnValue:
    fmt = negotiate_rdf()
    g = describe(request.host_url)
    if fmt != "html":
        media, serializer = RDF_RENDERINGS[fmt]
        resp = Response(g.serialize(format=serializer), mimetype=media)
        resp.headers["Vary"] = "Accept"
        return cors(resp)
    title = g.value(CATALOG, DCTERMS.title)
    return render_template("catalog/catalog.html", title=title, turtle=g.serialize(format="turtle"))
