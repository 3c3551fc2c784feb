"""Graph Store HTTP Protocol at ``/rdf-graphs``: read any named graph (``?graph=IRI``) or the default graph
(``?default``) in any RDF format, the whole dataset as TriG/N-Quads (no parameter); writes (PUT, POST,
DELETE) only with the write token, each one atomic (the graph is replaced in one step)."""

from __future__ import annotations

from flask import Blueprint, Response, request
from rdflib import Graph

from ..errors import RDFSyntaxError
from ..rdfio import rdf_format
from .errors import error_response
from .extensions import get_backend, settings
from .sparql import _cors

bp = Blueprint("graphstore", __name__)
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
DATASET_TYPES = ["application/trig", "application/n-quads"]


def _authorised() -> Response | None:
    token = settings().write_token
    if not token:
        return error_response(403, "read-only", "the Graph Store is read-only; start the server with --write-token")
    if request.headers.get("Authorization", "") != f"Bearer {token}":
        return error_response(403, "forbidden", "Graph Store writes need 'Authorization: Bearer <token>'")
    return None


@bp.route("/rdf-graphs", methods=["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"])
def graph_store() -> Response:
    if request.method == "OPTIONS":
        return _cors(Response(status=204))
    backend = get_backend()
    iri = request.args.get("graph")
    default = "default" in request.args
    if request.method in {"GET", "HEAD"}:
        if iri is None and not default:
            media = request.accept_mimetypes.best_match(DATASET_TYPES) or "application/trig"
            return _cors(Response(backend.dump(media), mimetype=media))
        fmt = request.args.get("format")
        media = rdf_format(fmt).media_type if fmt else (request.accept_mimetypes.best_match(GRAPH_TYPES) or
                                                        ("text/turtle" if not request.headers.get("Accept") else None))
        if media not in GRAPH_TYPES:
            return error_response(406, "not-acceptable", "graphs are served as " + ", ".join(GRAPH_TYPES))
        if iri is not None and iri not in backend.named_graphs():
            return error_response(404, "no-such-graph", f"no graph <{iri}> in this dataset")
        g = Graph()
        for t in backend.graph_triples(iri):
            g.add(t)
        return _cors(Response(g.serialize(format=rdf_format(media).rdflib_name), mimetype=media))
    denied = _authorised()
    if denied:
        return denied
    if iri is None:
        return error_response(400, "graph-required", "writes need ?graph=IRI (the default graph is the union)")
    if request.method == "DELETE":
        if iri not in backend.named_graphs():
            return error_response(404, "no-such-graph", f"no graph <{iri}> in this dataset")
        backend.drop_graph(iri)
        return Response(status=204)
    try:
        fmt = rdf_format(request.mimetype or "text/turtle")
        new = Graph().parse(data=request.get_data(), format=fmt.rdflib_name)
    except (ValueError, SyntaxError) as exc:
        raise RDFSyntaxError("request body", str(exc)) from None
    existed = iri in backend.named_graphs()
    triples = list(new)
    if request.method == "POST" and existed:
        triples += list(backend.graph_triples(iri))
    backend.replace_graph(iri, triples)
    return Response(status=204 if existed else 201)
