"""VoID description of the dataset at ``/.well-known/void``: triples, classes, properties, named graphs,
licence, SPARQL endpoint — computed from the store (cached per store version)."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, current_app, request
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, XSD

from ...namespaces import BASE
from ..extensions import get_backend
from ..http import cors

bp = Blueprint("void", __name__)
VOID = Namespace("http://rdfs.org/ns/void#")


def describe() -> Graph:
    backend = get_backend()
    cache = current_app.extensions.setdefault("kg_void", {})
    key = (backend.version(), request.host_url)
    if key in cache:
        return cache[key]
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    ds = URIRef(BASE + "dataset")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("Kooperationsgraph", lang="de")))
    g.add((ds, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    g.add((ds, DCTERMS.description, Literal("Compilation CC BY 4.0; administrative units dl-de/by-2-0 "
                                            "(© GeoBasis-DE / BKG 2021); see data/README.md", lang="en")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(request.host_url + "sparql")))
    # the DCAT-AP.de record (web/pages/catalog.py) references this dataset: it is its catalogue entry
    g.add((ds, DCTERMS.isReferencedBy, URIRef(request.host_url + "catalog")))
    g.add((ds, VOID.uriSpace, Literal(BASE)))
    one = backend.query("SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?e) (COUNT(DISTINCT ?p) AS ?p2) "
                        "WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0]
    g.add((ds, VOID.triples, Literal(int(one[0]), datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(int(one[1]), datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(int(one[2]), datatype=XSD.integer)))
    for row in backend.query("SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c").rows:
        part = URIRef(f"{BASE}dataset#class-{hashlib.sha1(str(row[0]).encode()).hexdigest()[:12]}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], row[0]))
        g.add((part, VOID.entities, Literal(int(row[1]), datatype=XSD.integer)))
    for gname, n in backend.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows:
        sub = URIRef(str(gname))
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, VOID.triples, Literal(int(n), datatype=XSD.integer)))
    cache.clear()
    cache[key] = g
    return g


@bp.get("/.well-known/void")
def void() -> Response:
    media = request.accept_mimetypes.best_match(["text/turtle", "application/ld+json"]) or "text/turtle"
    if request.args.get("format") in {"jsonld", "json-ld"}:
        media = "application/ld+json"
    fmt = "json-ld" if media == "application/ld+json" else "turtle"
    return cors(Response(describe().serialize(format=fmt), mimetype=media))
