"""SPARQL 1.1 Protocol endpoint ``/sparql``: query by GET, form POST or direct POST; content negotiation
with q-values; protocol errors as 400/405/406/415; updates only with the write token; CORS; ETags keyed by
the store version; a bounded result cache; a real server-side timeout (embedded: worker processes)."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict

from flask import Blueprint, Response, current_app, redirect, request

from ..errors import KooperationsgraphError, QueryRefused, QuerySyntaxError
from ..namespaces import BASE
from ..screen import _strip, screen
from ..store.base import GRAPH_MEDIA_TYPES, SELECT_MEDIA_TYPES
from .errors import error_response
from .extensions import get_backend, settings

bp = Blueprint("sparql", __name__)

FORMAT_PARAM = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "nt": "application/n-triples", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
    "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml", "xml-rdf": "application/rdf+xml",
}
GRAPH_ALIASES = {"n3": "turtle", "xml": "rdfxml", "rdf": "rdfxml", "rdf+xml": "rdfxml", "json": "jsonld"}
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
CACHE_SIZE = 256


class ResultCache:
    """LRU of serialized results keyed by (version, query, media type, graphs); stale versions never hit."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size, self._data, self._lock = size, OrderedDict[str, tuple[str, bytes]](), threading.Lock()

    def get(self, key: str) -> tuple[str, bytes] | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, key: str, value: tuple[str, bytes]) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


def _cache() -> ResultCache:
    return current_app.extensions.setdefault("kg_result_cache", ResultCache())


def _pool():
    """Worker pool for the embedded store (None for remote backends, which time out on their own)."""
    backend = get_backend()
    if backend.name != "embedded" or current_app.config.get("TESTING_INPROCESS"):
        return None
    pool = current_app.extensions.get("kg_query_pool")
    if pool is None:
        from ..store.isolated import QueryPool

        pool = QueryPool(backend.path, settings().query_workers)  # type: ignore[attr-defined]
        current_app.extensions["kg_query_pool"] = pool
    return pool


def query_form(text: str) -> str:
    m = _FORM.search(_strip(text))
    return m.group(1).upper() if m else "SELECT"


def negotiate(form: str) -> str | None:
    fmt = request.values.get("format") or request.values.get("output")
    graph = form in {"CONSTRUCT", "DESCRIBE"}
    table = GRAPH_MEDIA_TYPES if graph else SELECT_MEDIA_TYPES
    if fmt:
        key = fmt.lower()
        if graph:  # clients such as SPARQLWrapper send generic names for graph results
            key = GRAPH_ALIASES.get(key, key)
        media = FORMAT_PARAM.get(key, key)
        if media in table:
            return media
        if key not in FORMAT_PARAM and "/" not in key:
            fmt = None  # an unknown name: fall back to the Accept header
        else:
            return None
    if not request.headers.get("Accept"):
        return next(iter(table))
    best = request.accept_mimetypes.best_match(list(table))
    if best is None and request.accept_mimetypes.best_match(["application/json"]) and table is SELECT_MEDIA_TYPES:
        return "application/sparql-results+json"
    return best


def _read_request() -> tuple[str | None, str | None]:
    """(query, update) from the request, or raise a protocol error."""
    if request.method == "GET":
        if "update" in request.args:
            raise QuerySyntaxError("SPARQL Update must be sent by POST")
        qs = request.args.getlist("query")
        if len(qs) > 1:
            raise QuerySyntaxError("more than one query parameter")
        return (qs[0] if qs else None), None
    ctype = (request.mimetype or "").lower()
    if ctype == "application/x-www-form-urlencoded":
        qs, us = request.form.getlist("query"), request.form.getlist("update")
        if len(qs) + len(us) > 1:
            raise QuerySyntaxError("more than one query or update parameter")
        return (qs[0] if qs else None), (us[0] if us else None)
    if ctype == "application/sparql-query":
        return request.get_data(as_text=True), None
    if ctype == "application/sparql-update":
        return None, request.get_data(as_text=True)
    raise _Unsupported(ctype or "none")


class _Unsupported(Exception):
    pass


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    if request.method == "OPTIONS":
        return _cors(Response(status=204))
    try:
        text, update = _read_request()
    except _Unsupported as exc:
        return error_response(415, "unsupported-media-type",
                              f"POST needs application/x-www-form-urlencoded, application/sparql-query or "
                              f"application/sparql-update, not {exc}")
    if update is not None:
        return _update(update)
    if text is None:
        return service_description()
    return _cors(_query(text))


def _query(text: str) -> Response:
    s = settings()
    backend = get_backend()
    default_graphs = request.values.getlist("default-graph-uri") or None
    named_graphs = request.values.getlist("named-graph-uri") or None
    known = set(backend.named_graphs()) if ("FROM" in _strip(text).upper()) else None
    screen(text, max_length=s.max_query_length, max_nesting=s.max_nesting, allow=s.service_allowlist,
           known_graphs=known)
    form = query_form(text)
    media = negotiate(form)
    if media is None:
        return error_response(406, "not-acceptable", f"cannot serve a {form} result as "
                              f"{request.values.get('format') or request.headers.get('Accept')}")
    timeout = s.query_timeout
    if request.values.get("timeout"):
        try:
            timeout = min(timeout, max(0.1, float(request.values["timeout"])))
        except ValueError:
            raise QuerySyntaxError("timeout must be a number of seconds") from None
    version = backend.version()
    key = hashlib.sha256("\0".join([version, text, media, repr(default_graphs), repr(named_graphs)])
                         .encode()).hexdigest()
    etag = f'"{key[:32]}"'
    if request.if_none_match.contains(key[:32]):
        return Response(status=304, headers={"ETag": etag})
    t0 = time.perf_counter()
    hit = _cache().get(key)
    if hit is None:
        pool = _pool()
        if pool is not None:
            is_graph = form in {"CONSTRUCT", "DESCRIBE"}
            kind, body = pool.run(version, text, select_type=None if is_graph else media,
                                  graph_type=media if is_graph else None, timeout=timeout,
                                  default_graphs=default_graphs, named_graphs=named_graphs,
                                  base_iri=request.base_url)
            if body is None:
                raise KooperationsgraphError(f"the query is a {kind} query; ask for a matching format")
        else:
            kind, body = backend.query_serialized(text, media, timeout=timeout, default_graphs=default_graphs,
                                                  named_graphs=named_graphs)
        hit = (kind, body)
        _cache().put(key, hit)
        state = "miss"
    else:
        state = "hit"
    ms = (time.perf_counter() - t0) * 1000
    resp = Response(hit[1], mimetype=media)
    if media.startswith("text/") or media.endswith("+json") or media.endswith("+xml"):
        resp.charset = "utf-8"
    resp.headers["ETag"] = etag
    resp.headers["Server-Timing"] = f"cache;desc={state}, query;dur={ms:.3f}"
    resp.headers["Vary"] = "Accept"
    return resp


def _update(text: str) -> Response:
    s = settings()
    if not s.write_token:
        return error_response(403, "read-only", "this endpoint is read-only; start the server with "
                              "--write-token (or KG_WRITE_TOKEN) to allow SPARQL Update")
    auth = request.headers.get("Authorization", "")
    if auth != f"Bearer {s.write_token}":
        return error_response(403, "forbidden", "SPARQL Update needs the write token as "
                              "'Authorization: Bearer <token>'")
    if re.search(r"\bLOAD\b", _strip(text), re.I):
        raise QueryRefused("LOAD is not allowed on this server (no outbound requests)")
    screen(text, max_length=s.max_query_length, max_nesting=s.max_nesting, allow=s.service_allowlist)
    get_backend().update(text)
    return _cors(Response(status=204))


def _cors(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    resp.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept, Authorization, If-None-Match"
    resp.headers["Access-Control-Expose-Headers"] = "ETag, Server-Timing"
    return resp


SD = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query{update} ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON> , <http://www.w3.org/ns/formats/SPARQL_Results_XML> ,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV> , <http://www.w3.org/ns/formats/SPARQL_Results_TSV> ,
        <http://www.w3.org/ns/formats/Turtle> , <http://www.w3.org/ns/formats/N-Triples> ,
        <http://www.w3.org/ns/formats/JSON-LD> , <http://www.w3.org/ns/formats/RDF_XML> ;
    sd:feature sd:UnionDefaultGraph ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ; dcterms:description "union of all named graphs" ] ;
        void:uriSpace "{base}" ] .
"""


def service_description() -> Response:
    best = request.accept_mimetypes.best_match(["text/turtle", "application/ld+json", "text/html"])
    if best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["text/turtle"]:
        return redirect("/query")
    ttl = SD.format(endpoint=request.base_url, base=BASE,
                    update=" , sd:SPARQL11Update" if settings().write_token else "")
    if best == "application/ld+json":
        from rdflib import Graph

        body = Graph().parse(data=ttl, format="turtle").serialize(format="json-ld")
        return _cors(Response(body, mimetype="application/ld+json"))
    return _cors(Response(ttl, mimetype="text/turtle"))
