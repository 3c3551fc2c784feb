"""SPARQL 1.1 Protocol endpoint ``/sparql``: query by GET, form POST or direct POST; content negotiation
with q-values (werkzeug's MIMEAccept) and a ``format`` parameter; protocol errors as 400/405/406/415;
updates only with the write token; CORS; ETags keyed by the store version; a bounded result cache; a real
server-side timeout (embedded store: worker processes, :mod:`..store.isolated`)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, g, request
from rdflib.term import Node
from werkzeug.exceptions import BadRequest, NotAcceptable, UnsupportedMediaType

from ...changes.effect import update_effect
from ...sparql.formats import DEFAULTS, RESULT_FORMATS, ResultFormat, by_name_or_type, kind_of, media_types_for
from ...sparql.screen import Screened
from ...sparql.terms import iri
from ...store.pool import USER, NoFormatForKind
from ..extensions import get_backend, settings
from ..http import authorised, cors
from ..writes import guarded_write

bp = Blueprint("sparql", __name__)

#: A graph IRI that is never in the store: stands for "empty" where an explicit dataset leaves a part empty.
EMPTY_GRAPH = "urn:x-kooperationsgraph:empty-graph"
CACHE_ENTRIES = 512
CACHE_BYTES = 64 * 1024 * 1024
CACHE_MAX_ITEM = 8 * 1024 * 1024
KINDS = ("select", "ask", "graph")


# ---------------------------------------------------------------------------------------------- caches
@dataclass(frozen=True)
class Cached:
    kind: str
    media_type: str
    body: bytes
    etag: str


class ResultCache:
    """LRU of serialized results, bounded by entries and bytes; emptied when the store version changes."""

    def __init__(self, entries: int = CACHE_ENTRIES, max_bytes: int = CACHE_BYTES):
        self.entries, self.max_bytes = entries, max_bytes
        self._data: OrderedDict[str, Cached] = OrderedDict()
        self._bytes = 0
        self._version: str | None = None
        self._lock = threading.Lock()

    def _check_version(self, version: str) -> None:
        if version != self._version:
            self._data.clear()
            self._bytes, self._version = 0, version

    def get(self, version: str, key: str) -> Cached | None:
        with self._lock:
            self._check_version(version)
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, version: str, key: str, value: Cached) -> None:
        if len(value.body) > CACHE_MAX_ITEM:
            return
        with self._lock:
            self._check_version(version)
            old = self._data.pop(key, None)
            self._bytes -= len(old.body) if old else 0
            self._data[key] = value
            self._bytes += len(value.body)
            while len(self._data) > self.entries or self._bytes > self.max_bytes:
                _, dropped = self._data.popitem(last=False)
                self._bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._data)


def _ext(name: str, factory: type) -> object:
    ext = current_app.extensions
    if name not in ext:
        with _EXT_LOCK:
            ext.setdefault(name, factory())
    return ext[name]


_EXT_LOCK = threading.Lock()


def result_cache() -> ResultCache:
    return _ext("kg_result_cache", ResultCache)  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------- protocol
def negotiate(kind: str) -> ResultFormat | None:
    """The format for a result kind: the ``format`` parameter(s) first, else ``Accept`` with q-values."""
    wanted = request.args.getlist("format") + request.args.getlist("output")
    if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        wanted += request.form.getlist("format") + request.form.getlist("output")
    if wanted:
        for value in wanted:
            fmt = by_name_or_type(value, kind)
            if fmt is not None:
                return fmt
        return None
    if not request.headers.get("Accept"):
        return RESULT_FORMATS[DEFAULTS[kind]]
    table = media_types_for(kind)
    best = request.accept_mimetypes.best_match(list(table))
    return table[best] if best else None


def _single(name: str) -> str | None:
    values = request.args.getlist(name)
    if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        values += request.form.getlist(name)
    if len(values) > 1:
        raise BadRequest(f"more than one '{name}' parameter; send exactly one")
    return values[0] if values else None


def _body_text() -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in {"utf-8", "utf8"}:
        raise UnsupportedMediaType(f"the request body must be UTF-8, not {charset}")
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the request body is not valid UTF-8 (byte {exc.start})") from None


def read_operation() -> tuple[str | None, str | None]:
    """(query, update) from the request, or raise the protocol's 400/415."""
    if request.method == "GET":
        if "update" in request.args:
            raise BadRequest("SPARQL Update must be sent by POST, not GET")
        return _single("query"), None
    ctype = (request.mimetype or "").lower()
    if ctype == "application/x-www-form-urlencoded":
        query, update = _single("query"), _single("update")
        if query is not None and update is not None:
            raise BadRequest("send either 'query' or 'update', not both")
        if query is None and update is None:
            raise BadRequest("the form has neither a 'query' nor an 'update' parameter")
        return query, update
    if ctype == "application/sparql-query":
        if "query" in request.args or "update" in request.args:
            raise BadRequest("the query is in the body; the URL must not carry another 'query' or 'update'")
        return _body_text(), None
    if ctype == "application/sparql-update":
        if "query" in request.args or "update" in request.args:
            raise BadRequest("the update is in the body; the URL must not carry another 'query' or 'update'")
        return None, _body_text()
    raise UnsupportedMediaType(
        f"POST needs Content-Type application/x-www-form-urlencoded, application/sparql-query or "
        f"application/sparql-update, not {ctype or 'none'}")


def _graph_params(names: tuple[str, str]) -> tuple[list[str], list[str]]:
    """Protocol dataset parameters, each checked as an IRI (400 otherwise)."""
    values = request.values if request.mimetype == "application/x-www-form-urlencoded" else request.args
    return [str(iri(v)) for v in values.getlist(names[0])], [str(iri(v)) for v in values.getlist(names[1])]


def dataset_for(screened: Screened) -> tuple[list[str] | None, list[str] | None]:
    """The dataset to query: protocol parameters win over FROM/FROM NAMED; an explicit dataset leaves the
    unnamed part empty (SPARQL 1.1 Protocol § 2.1.4); no dataset: the union of all graphs."""
    default, named = _graph_params(("default-graph-uri", "named-graph-uri"))
    if not default and not named:
        default, named = screened.from_graphs, screened.from_named
    if not default and not named:
        return None, None
    return (default or [EMPTY_GRAPH]), (named or [EMPTY_GRAPH])


def _timeout() -> float:
    limit = settings().query_timeout
    raw = request.values.get("timeout")
    if not raw:
        return limit
    try:
        asked = float(raw)
    except ValueError:
        raise BadRequest(f"timeout must be a number of seconds, not {raw!r}") from None
    if not asked > 0:
        raise BadRequest("timeout must be positive")
    return min(limit, asked)


def screened(text: str, *, update: bool = False) -> Screened:
    """The store seam's screen (cached there per text); relative IRIs resolve against the request's base."""
    return get_backend().screen(text, update=update, base_iri=request.base_url)


# ---------------------------------------------------------------------------------------------- views
@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
@bp.route("/sparql/", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    g.kg_t0 = time.perf_counter()
    if request.method == "OPTIONS":
        return cors(Response(status=204))
    text, update = read_operation()
    if update is not None:
        return cors(run_update(update))
    if text is None:
        return service_description()
    return cors(run_query(text))


def run_query(text: str, *, bindings: Mapping[str, Node] | None = None, lane: str = USER) -> Response:
    """Answer a query: screening, negotiation, ETag/304, cache, timeout. Also used by ``/queries/<id>``
    (``bindings``: its parameters as terms; ``lane``: the app's own lane)."""
    t0 = g.get("kg_t0") or time.perf_counter()
    backend = get_backend()
    sc = screened(text)
    formats = {k: negotiate(k) for k in KINDS}
    predicted = kind_of(sc.form) if sc.form in {"select", "ask", "construct", "describe"} else "select"
    fmt = formats[predicted]
    if fmt is None:
        raise NotAcceptable(f"cannot serve a {sc.form.upper()} result as "
                            f"{request.values.get('format') or request.headers.get('Accept')}; available: "
                            + ", ".join(sorted(media_types_for(predicted))))
    default_graphs, named_graphs = dataset_for(sc)
    version = backend.version()
    bound = sorted((k, v.n3()) for k, v in (bindings or {}).items())
    key = hashlib.sha256("\0".join([version, text, fmt.name, repr(default_graphs), repr(named_graphs), repr(bound)])
                         .encode()).hexdigest()
    etag = f'"{key[:32]}"'
    if request.if_none_match.contains(key[:32]):
        return _timed(Response(status=304, headers={"ETag": etag}), t0, "hit")
    cache = result_cache()
    hit = cache.get(version, key)
    state = "hit"
    if hit is None:
        state = "miss"
        kind, body, media = _execute(text, formats, default_graphs, named_graphs, bindings, lane)
        hit = Cached(kind, media, body, etag)
        cache.put(version, key, hit)
    resp = Response(hit.body, mimetype=hit.media_type)
    if hit.media_type.startswith("text/") or hit.media_type.endswith(("+json", "+xml")):
        resp.charset = "utf-8"
    resp.headers["ETag"] = hit.etag
    resp.headers["Vary"] = "Accept"
    return _timed(resp, t0, state)


def _execute(text: str, formats: dict[str, ResultFormat | None], default_graphs: list[str] | None,
             named_graphs: list[str] | None, bindings: Mapping[str, Node] | None, lane: str) -> tuple[str, bytes, str]:
    types = {k: f.media_type for k, f in formats.items() if f is not None}
    try:
        kind, body = get_backend().query_serialized(
            text, types, bindings=bindings, timeout=_timeout(), default_graphs=default_graphs,
            named_graphs=named_graphs, base_iri=request.base_url, lane=lane)
    except NoFormatForKind as exc:
        raise NotAcceptable(str(exc)) from None
    return kind, body, types[kind]


def _timed(resp: Response, t0: float, state: str) -> Response:
    resp.headers["Server-Timing"] = f'cache;desc="{state}", app;dur={(time.perf_counter() - t0) * 1000:.3f}'
    return resp


def run_update(text: str) -> Response:
    """SPARQL Update with a contribute token: its effect (computed on a scratch copy) becomes a change set,
    guarded and reviewed (:mod:`..writes`); applied atomically (one transaction), bumping the store version."""
    denied, who = authorised("contribute", "SPARQL Update")
    if denied is not None:
        return denied
    sc = screened(text, update=True)
    using, using_named = _graph_params(("using-graph-uri", "using-named-graph-uri"))
    if (using or using_named) and sc.dataset_clauses:
        raise BadRequest("using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH in the update")
    if using or using_named:
        text = with_using(text, sc, using, using_named)
    added, removed = update_effect(get_backend(), text, base_iri=request.base_url)
    resp = guarded_write(added, removed, who, "sparql-update")
    result_cache()  # the version changed: the next lookup empties the cache
    return resp


def with_using(text: str, sc: Screened, using: list[str], using_named: list[str]) -> str:
    """Insert the protocol's USING / USING NAMED clauses before each top-level WHERE of the update.

    >>> from kooperationsgraph.sparql.screen import screen
    >>> t = "INSERT { ?s a <urn:x> } WHERE { ?s ?p ?o }"
    >>> with_using(t, screen(t, update=True), ["urn:g"], [])
    'INSERT { ?s a <urn:x> } USING <urn:g> WHERE { ?s ?p ?o }'
    """
    import pyoxigraph as ox

    clause = "".join(f"USING {ox.NamedNode(i)} " for i in using)
    clause += "".join(f"USING NAMED {ox.NamedNode(i)} " for i in using_named)
    for pos in sorted(sc.where_positions, reverse=True):
        before = text[:pos].rstrip()
        if before.upper().endswith("DELETE"):  # DELETE WHERE shorthand takes no USING
            continue
        text = text[:pos] + clause + text[pos:]
    return text


def service_description() -> Response:
    from ..service_description import service_description as sd

    return sd()
