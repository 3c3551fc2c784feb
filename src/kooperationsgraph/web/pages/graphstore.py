"""Graph Store HTTP Protocol at ``/rdf-graphs``: read any named graph (``?graph=IRI``) or the default graph
(``?default``) in any RDF format, the whole dataset as TriG/N-Quads (no parameter); writes (PUT, POST,
DELETE) only with a token of the contribute role; each write becomes a change set (guarded, then reviewed, or
applied at once with auto-accept — see :mod:`..writes`), applied atomically."""

from __future__ import annotations

from flask import Blueprint, Response, request
from rdflib import Graph

from ...rdfio import export_graph, rdf_format
from ...sparql.terms import iri
from ...store.base import Backend
from ...store.terms import to_rdflib
from ...untrusted import ParseLimits, parse_untrusted
from ..errors import error_response
from ..extensions import get_backend, settings
from ..http import authorised, cors
from ..writes import guarded_write

bp = Blueprint("graphstore", __name__)
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
DATASET_TYPES = ["application/trig", "application/n-quads"]


def _target() -> str | None:
    """The ``graph`` parameter, checked as an IRI (400 otherwise)."""
    value = request.args.get("graph")
    return None if value is None else str(iri(value))


@bp.route("/rdf-graphs", methods=["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"])
def graph_store() -> Response:
    if request.method == "OPTIONS":
        return cors(Response(status=204))
    backend = get_backend()
    target = _target()
    default = "default" in request.args
    if request.method in {"GET", "HEAD"}:
        return _read(backend, target, default)
    denied, who = authorised("contribute", "Graph Store writes")
    if denied:
        return denied
    if target is None:
        return error_response(400, "graph-required", "writes need ?graph=IRI (the default graph is the union)")
    if request.method == "DELETE":
        if target not in backend.named_graphs():
            return error_response(404, "no-such-graph", "no such graph in this dataset")
        old = [(s, p, o, target) for s, p, o in backend.graph_triples(target)]
        return guarded_write([], old, who, "graph-store")
    try:
        fmt = rdf_format(request.mimetype or "text/turtle")
    except ValueError:
        return error_response(415, "unsupported-media-type", "send RDF as " + ", ".join(GRAPH_TYPES + DATASET_TYPES))
    # the protocol's base IRI of a graph document is the graph's IRI; parsed in the limited child process
    quads = parse_untrusted(request.get_data(), fmt, "request body", limits=ParseLimits.from_settings(settings()),
                            base_iri=target, graph=target)
    existed = target in backend.named_graphs()
    new = [(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), target) for q in quads]
    old = [(s, p, o, target) for s, p, o in backend.graph_triples(target)] if existed else []
    if request.method == "POST":
        return guarded_write(new, [], who, "graph-store", applied_status=204 if existed else 201)
    keep = set(new)
    return guarded_write(new, [q for q in old if q not in keep], who, "graph-store",
                         applied_status=204 if existed else 201)


def _read(backend: Backend, target: str | None, default: bool) -> Response:
    if target is None and not default:
        media = request.accept_mimetypes.best_match(DATASET_TYPES) or "application/trig"
        return cors(Response(backend.dump(media), mimetype=media))
    fmt_name = request.args.get("format")
    if fmt_name:
        try:
            media: str | None = rdf_format(fmt_name).media_type
        except ValueError:
            media = None
    else:
        media = request.accept_mimetypes.best_match(GRAPH_TYPES) or (
            "text/turtle" if not request.headers.get("Accept") else None)
    if media not in GRAPH_TYPES:
        return error_response(406, "not-acceptable", "graphs are served as " + ", ".join(GRAPH_TYPES))
    if target is not None and target not in backend.named_graphs():
        return error_response(404, "no-such-graph", "no such graph in this dataset")
    if target is None:  # the store's own default graph (the project keeps its triples in named graphs)
        g = Graph()
        for t in backend.graph_triples(None):
            g.add(t)
        return cors(Response(g.serialize(format=rdf_format(media).rdflib_name), mimetype=media))
    return cors(Response(export_graph(backend, target, rdf_format(media)), mimetype=media))
