"""Backend interface and backend-neutral query results (rdflib terms are the lingua franca)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

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

    def values(self, var: str) -> list[Node | None]:
        i = self.variables.index(var)
        return [row[i] for row in self.rows]

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


def term_to_json(t: Node | None) -> dict[str, str] | None:
    """SPARQL-JSON style term description (used by the web UI and the JSON outputs)."""
    if t is None:
        return None
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    assert isinstance(t, Literal)
    d = {"type": "literal", "value": str(t)}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype:
        d["datatype"] = str(t.datatype)
    return d


class Backend(ABC):
    """What every store offers. Embedded and remote implement it; nothing else talks to a store."""

    name: str = "abstract"

    @abstractmethod
    def query(self, sparql: str, *, timeout: float | None = None, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None) -> QueryResult:
        """Run a SPARQL query. Without ``default_graphs`` the default graph is the union of all graphs."""

    def query_serialized(self, sparql: str, media_type: str, *, timeout: float | None = None,
                         default_graphs: list[str] | None = None,
                         named_graphs: list[str] | None = None) -> tuple[str, bytes]:
        """Run a query and serialize it; returns (query kind, body). Backends may do this natively."""
        res = self.query(sparql, timeout=timeout, default_graphs=default_graphs, named_graphs=named_graphs)
        return res.kind, res.serialize(media_type)

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update atomically and bump the store version."""

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

    @abstractmethod
    def drop_graph(self, graph: str) -> None:
        """Remove a named graph and bump the version."""

    @abstractmethod
    def dump(self, media_type: str) -> bytes:
        """The whole dataset as TriG or N-Quads."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources."""

    def count(self, sparql_where: str) -> int:
        """Convenience: ``SELECT (COUNT(*) AS ?n) WHERE { … }``."""
        res = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {sparql_where} }}")
        return int(res.rows[0][0]) if res.rows and res.rows[0][0] is not None else 0
