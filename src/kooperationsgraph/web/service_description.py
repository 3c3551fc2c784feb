"""SPARQL 1.1 Service Description of ``/sparql`` (answered to a GET without a query), as Turtle or JSON-LD;
browsers asking for HTML are sent to the query editor at ``/query``."""

from __future__ import annotations

from flask import Response, redirect, request
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from ..namespaces import BASE
from ..sparql.formats import RESULT_FORMATS
from .extensions import get_backend, settings

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
TYPES = ["text/turtle", "application/ld+json", "text/html"]


def describe(endpoint: str) -> Graph:
    s = settings()
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    svc = URIRef(endpoint)
    g.add((svc, RDF.type, SD.Service))
    g.add((svc, SD.endpoint, svc))
    g.add((svc, SD.supportedLanguage, SD.SPARQL11Query))
    if s.write_token:
        g.add((svc, SD.supportedLanguage, SD.SPARQL11Update))
    for fmt in RESULT_FORMATS.values():
        g.add((svc, SD.resultFormat, URIRef(fmt.w3c_iri)))
    g.add((svc, SD.feature, SD.UnionDefaultGraph))
    if s.service_allowlist:
        g.add((svc, SD.feature, SD.BasicFederatedQuery))
    g.add((svc, DCTERMS.description, Literal(
        f"Read-only unless started with a write token. Limits: query timeout {s.query_timeout:g} s (lower per "
        f"request with ?timeout=), at most {s.max_query_length} characters and {s.max_nesting} nested brackets; "
        "SERVICE and LOAD only to allow-listed endpoints; FROM/FROM NAMED select graphs of the store.", lang="en")))
    ds = BNode()
    g.add((svc, SD.defaultDataset, ds))
    g.add((ds, RDF.type, SD.Dataset))
    g.add((ds, VOID.uriSpace, Literal(BASE)))
    g.add((ds, DCTERMS.relation, URIRef(request.host_url + ".well-known/void")))
    dg = BNode()
    g.add((ds, SD.defaultGraph, dg))
    g.add((dg, RDF.type, SD.Graph))
    g.add((dg, DCTERMS.description, Literal("the union of all named graphs", lang="en")))
    for name in get_backend().named_graphs():
        ng = BNode()
        g.add((ds, SD.namedGraph, ng))
        g.add((ng, RDF.type, SD.NamedGraph))
        g.add((ng, SD.name, URIRef(name)))
    return g


def service_description() -> Response:
    from .http import cors

    accept = request.accept_mimetypes
    best = accept.best_match(TYPES) if request.headers.get("Accept") else "text/turtle"
    if best == "text/html" and accept["text/html"] > accept["text/turtle"]:
        return redirect("/query", code=303)
    if best not in {"text/turtle", "application/ld+json"}:
        best = "text/turtle" if accept["text/turtle"] or not best else None
    if best is None:
        from werkzeug.exceptions import NotAcceptable

        raise NotAcceptable("the service description is served as text/turtle or application/ld+json")
    g = describe(request.base_url)
    fmt = "json-ld" if best == "application/ld+json" else "turtle"
    return cors(Response(g.serialize(format=fmt), mimetype=best))
