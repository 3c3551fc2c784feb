"""Backend interface and backend-neutral query results (rdflib terms are the lingua franca)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Graph, Variable
from rdflib.query import Result
from rdflib.term import Node

from ..sparql.screen import Screened, screen
from ..sparql.terms import check_bindings

if TYPE_CHECKING:
    from ..config import Settings

SCREEN_CACHE_ENTRIES = 1024

#: Result media types by query form (SPARQL 1.1 Protocol); first entry is the default.
SELECT_MEDIA_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


@dataclass
class QueryResult:
    """Result of a query: ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE)."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def dicts(self) -> list[dict[str, Node]]:
        """Rows as dicts without unbound variables."""
        return [{v: t for v, t in zip(self.variables, row, strict=False) if t is not None} for row in self.rows]

    def graph(self) -> Graph:
        g = Graph()
        for t in self.triples:
            g.add(t)
        return g

    def to_rdflib(self) -> Result:
        if self.kind == "graph":
            r = Result("CONSTRUCT")
            r.graph = self.graph()
            return r
        if self.kind == "ask":
            r = Result("ASK")
            r.askAnswer = bool(self.boolean)
            return r
        r = Result("SELECT")
        r.vars = [Variable(v) for v in self.variables]
        r.bindings = [
            {Variable(v): t for v, t in zip(self.variables, row, strict=False) if t is not None} for row in self.rows
        ]
        return r

    def serialize(self, media_type: str) -> bytes:
        """Serialize in a SPARQL results or RDF media type (see the two tables above)."""
        if self.kind == "graph":
            fmt = GRAPH_MEDIA_TYPES[media_type]
            data = self.graph().serialize(format=fmt)
            return data.encode("utf-8") if isinstance(data, str) else data
        fmt = SELECT_MEDIA_TYPES[media_type]
        if self.kind == "ask" and fmt in {"csv", "tsv"}:
            return (("true" if self.boolean else "false") + "\n").encode()
        if fmt == "tsv":
            lines = ["\t".join("?" + v for v in self.variables)]
            lines += ["\t".join("" if t is None else t.n3() for t in row) for row in self.rows]
            return ("\n".join(lines) + "\n").encode("utf-8")
        out = self.to_rdflib().serialize(format=fmt)
        return out if isinstance(out, bytes) else str(out).encode("utf-8")


class Backend(ABC):
    """What every store offers. Embedded and remote implement it; nothing else talks to a store.

    The seam alone decides how a query runs: :meth:`query` screens the text (:mod:`..sparql.screen`), binds
    values as terms (never as text), applies the timeout and the caps, and picks the lane (``app`` for the
    application's own queries, ``user`` for free text from ``/sparql`` and the CLI)."""

    name: str = "abstract"
    settings: Settings

    # -- the gate -------------------------------------------------------------------------------------
    def screen(self, sparql: str, *, update: bool = False, base_iri: str | None = None) -> Screened:
        """Screen a query or update; cached per text when it names no dataset (FROM depends on the graphs)."""
        cache: OrderedDict[tuple[str, bool, str], Screened] = self.__dict__.setdefault("_screen_cache", OrderedDict())
        key = (sparql, update, base_iri or "")
        hit = cache.get(key)
        if hit is not None:
            return hit
        s = self.settings
        result = screen(sparql, max_length=s.max_query_length, max_nesting=s.max_nesting,
                        allowlist=s.service_allowlist, known_graphs=self.named_graphs, update=update,
                        base_iri=base_iri or "")
        if not (result.from_graphs or result.from_named):
            cache[key] = result
            while len(cache) > SCREEN_CACHE_ENTRIES:
                cache.popitem(last=False)
        return result

    def timeout(self, asked: float | None, lane: str = "user") -> float:
        """The configured limit; a shorter one when asked; longer only for the app's own (internal) queries."""
        limit = self.settings.query_timeout
        if asked is None:
            return limit
        return max(0.001, asked if lane == "app" else min(limit, asked))

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None, timeout: float | None = None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None, lane: str = "app") -> QueryResult:
        """Run a SPARQL query. Without ``default_graphs`` the default graph is the union of all graphs.
        ``bindings`` maps variable names to RDF terms, bound before evaluation (SEP-0007)."""
        self.screen(sparql, base_iri=base_iri)
        return self._query(sparql, check_bindings(bindings), timeout=self.timeout(timeout, lane),
                           default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri, lane=lane)

    def query_serialized(self, sparql: str, media_type: str | Mapping[str, str], *,
                         bindings: Mapping[str, Node] | None = None, timeout: float | None = None,
                         default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                         base_iri: str | None = None, lane: str = "user") -> tuple[str, bytes]:
        """Run a query and serialize it; returns (query kind, body). ``media_type`` is one type, or a map
        from result kind (select/ask/graph) to a type when the form is not known in advance."""
        self.screen(sparql, base_iri=base_iri)
        types = dict(media_type) if not isinstance(media_type, str) else \
            {k: media_type for k in ("select", "ask", "graph")}
        return self._query_serialized(sparql, types, check_bindings(bindings), timeout=self.timeout(timeout, lane),
                                      default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri,
                                      lane=lane)

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL Update atomically and bump the store version (screened like a query: no LOAD or
        SERVICE of anything not allow-listed)."""
        self.screen(sparql, update=True, base_iri=base_iri)
        self._update(sparql, base_iri=base_iri)

    # -- what a backend implements --------------------------------------------------------------------
    @abstractmethod
    def _query(self, sparql: str, bindings: dict[str, Node], *, timeout: float, default_graphs: list[str] | None,
               named_graphs: list[str] | None, base_iri: str | None, lane: str) -> QueryResult:
        """Run a screened query with checked bindings."""

    def _query_serialized(self, sparql: str, types: dict[str, str], bindings: dict[str, Node], *, timeout: float,
                          default_graphs: list[str] | None, named_graphs: list[str] | None, base_iri: str | None,
                          lane: str) -> tuple[str, bytes]:
        res = self._query(sparql, bindings, timeout=timeout, default_graphs=default_graphs,
                          named_graphs=named_graphs, base_iri=base_iri, lane=lane)
        if res.kind not in types:
            from .pool import NoFormatForKind

            raise NoFormatForKind(res.kind)
        return res.kind, res.serialize(types[res.kind])

    @abstractmethod
    def _update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a screened update."""

    @abstractmethod
    def version(self) -> str:
        """Opaque store version; changes on every write. Keys caches and ETags."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs."""

    @abstractmethod
    def graph_triples(self, graph: str | None) -> Iterable[tuple[Node, Node, Node]]:
        """Triples of one named graph (None: the default graph)."""

    @abstractmethod
    def replace_graph(self, graph: str, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Replace one named graph atomically and bump the version."""

    def replace_graph_quads(self, graph: str, quads: Iterable[object], *, append: bool = False) -> None:
        """Replace (or extend) one named graph with pyoxigraph quads from the parse gate."""
        from .terms import to_rdflib

        triples = [(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))  # type: ignore[attr-defined]
                   for q in quads]
        if append and graph in self.named_graphs():
            triples += list(self.graph_triples(graph))
        self.replace_graph(graph, triples)  # type: ignore[arg-type]

    @abstractmethod
    def drop_graph(self, graph: str) -> None:
        """Remove a named graph and bump the version."""

    @abstractmethod
    def dump(self, media_type: str) -> bytes:
        """The whole dataset as TriG or N-Quads."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources."""
