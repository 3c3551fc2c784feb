"""Embedded backend: pyoxigraph's RocksDB store on disk (built by :mod:`.build`)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib.term import Node

from ..config import Settings
from ..errors import KooperationsgraphError
from ..rdfio import query_syntax_error, rdf_format
from .base import Backend, QueryResult
from .terms import to_ox, to_rdflib

VERSION_FILE = "VERSION"


class StoreNotBuilt(KooperationsgraphError):
    pass


_OPEN: dict[Path, ox.Store] = {}
_OPEN_LOCK = threading.Lock()


def shared_store(path: Path) -> ox.Store:
    """One RocksDB handle per path and process (RocksDB refuses a second open of the same directory)."""
    key = path.resolve()
    with _OPEN_LOCK:
        if key not in _OPEN:
            _OPEN[key] = ox.Store(str(key))
        return _OPEN[key]


def forget_store(path: Path) -> None:
    """Drop the cached handle (after the directory was replaced by a rebuild)."""
    with _OPEN_LOCK:
        _OPEN.pop(path.resolve(), None)


def convert_result(res: object) -> QueryResult:
    if isinstance(res, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        variables = [v.value for v in res.variables]
        rows = [tuple(to_rdflib(sol[v]) for v in variables) for sol in res]
        return QueryResult("select", variables=variables, rows=rows)
    if isinstance(res, ox.QueryTriples):
        triples = [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in res]
        return QueryResult("graph", triples=triples)  # type: ignore[arg-type]
    raise TypeError(type(res))


def query_kwargs(default_graphs: list[str] | None, named_graphs: list[str] | None) -> dict[str, object]:
    kw: dict[str, object] = {}
    if default_graphs:
        kw["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        kw["use_default_graph_as_union"] = True
    if named_graphs:
        kw["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    return kw


class EmbeddedBackend(Backend):
    name = "embedded"

    def __init__(self, settings: Settings, *, store: ox.Store | None = None, path: Path | None = None):
        self.settings = settings
        self.path = path or settings.store_dir
        if store is not None:
            self.store = store
        else:
            if not (self.path / VERSION_FILE).exists():
                raise StoreNotBuilt(f"no embedded store at {self.path}; run `kooperationsgraph build` first")
            self.store = shared_store(self.path)
        self._lock = threading.Lock()
        self._version = self._read_version()

    # -- versions -------------------------------------------------------------------------------
    def _read_version(self) -> str:
        f = self.path / VERSION_FILE
        return f.read_text().strip() if f.exists() else "0"

    def _bump(self) -> None:
        self.store.flush()  # read-only workers reopen the store when the version changes
        base, _, n = self._version.partition("+")
        self._version = f"{base}+{int(n or 0) + 1}"
        if (self.path / VERSION_FILE).exists():
            (self.path / VERSION_FILE).write_text(self._version + "\n")

    def version(self) -> str:
        return self._version

    # -- queries --------------------------------------------------------------------------------
    def query(self, sparql: str, *, timeout: float | None = None, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None) -> QueryResult:
        try:
            res = self.store.query(sparql, **query_kwargs(default_graphs, named_graphs))  # type: ignore[arg-type]
            return convert_result(res)
        except SyntaxError as exc:
            raise query_syntax_error(exc) from None

    def update(self, sparql: str) -> None:
        with self._lock:
            try:
                self.store.update(sparql)
            except SyntaxError as exc:
                raise query_syntax_error(exc) from None
            self._bump()

    # -- graphs ---------------------------------------------------------------------------------
    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_triples(self, graph: str | None) -> Iterable[tuple[Node, Node, Node]]:
        g = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        for q in self.store.quads_for_pattern(None, None, None, g):
            yield (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))  # type: ignore[misc]

    def replace_graph(self, graph: str, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        g = ox.NamedNode(graph)
        quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples]  # type: ignore[arg-type]
        with self._lock:
            # one transaction: clear + insert through a single update is not possible with Quad objects,
            # so build the new graph aside and swap it in via SPARQL MOVE (atomic in one update call).
            tmp = ox.NamedNode(graph + "#__tmp__")
            self.store.remove_graph(tmp) if self.store.contains_named_graph(tmp) else None
            self.store.extend(quads_in(quads, tmp))
            self.store.update(f"MOVE SILENT GRAPH <{tmp.value}> TO GRAPH <{g.value}>")
            self._bump()

    def drop_graph(self, graph: str) -> None:
        with self._lock:
            self.store.update(f"DROP SILENT GRAPH <{graph}>")
            self._bump()

    def dump(self, media_type: str) -> bytes:
        fmt = rdf_format(media_type)
        if not fmt.quads:
            raise ValueError("dump needs a quad format (TriG, N-Quads)")
        return self.store.dump(format=fmt.ox_format)  # type: ignore[return-value]

    def close(self) -> None:
        self.store.flush()


def quads_in(quads: list[ox.Quad], graph: ox.NamedNode) -> list[ox.Quad]:
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]
