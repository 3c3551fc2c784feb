"""Embedded backend: pyoxigraph's RocksDB store on disk (built by :mod:`.build`)."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..config import Settings
from ..errors import KooperationsgraphError, StoreBusy
from ..namespaces import PREFIXES
from ..rdfio import query_syntax_error, rdf_format
from ..sparql.formats import RESULT_FORMATS
from ..sparql.terms import fill, iri, to_ox_term
from .base import Backend, QueryResult
from .pool import USER, Job, NoFormatForKind, execute, pool_for
from .terms import to_ox, to_rdflib

PROJECT_PREFIXES = tuple(PREFIXES.items())
APP_RESULT_BYTES = 1 << 30
FORMAT_BY_MEDIA = {f.media_type: f for f in RESULT_FORMATS.values()}

VERSION_FILE = "VERSION"
SNAPSHOTS_KEPT = 3


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


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def decode(t: object) -> Node | None:
    """A term encoded by :func:`.pool.encode` as an rdflib term (lexical forms kept)."""
    if t is None:
        return None
    if isinstance(t, str):
        return URIRef(t)
    if len(t) == 2:  # type: ignore[arg-type]
        return BNode(t[1])  # type: ignore[index]
    value, dt, lang = t  # type: ignore[misc]
    if lang:
        return Literal(value, lang=lang)
    return Literal(value) if dt == XSD_STRING else Literal(value, datatype=URIRef(dt), normalize=False)


def from_payload(kind: str, payload: object) -> QueryResult:
    """A worker's answer (encoded terms) as a backend-neutral result (rdflib terms)."""
    if kind == "ask":
        return QueryResult("ask", boolean=bool(payload))
    if kind == "graph":
        triples = [(decode(s), decode(p), decode(o)) for s, p, o in payload]  # type: ignore[attr-defined]
        return QueryResult("graph", triples=triples)  # type: ignore[arg-type]
    variables, rows = payload  # type: ignore[misc]
    return QueryResult("select", variables=list(variables), rows=[tuple(map(decode, row)) for row in rows])


class EmbeddedBackend(Backend):
    name = "embedded"

    def __init__(self, settings: Settings, *, store: ox.Store | None = None, path: Path | None = None):
        self.settings = settings
        self.path = path or settings.store_dir
        #: Queries run in worker processes on checkpoints (:mod:`.pool`); an in-memory store given by a
        #: caller (tests, validation) has no checkpoint and is queried in this process.
        self.isolated = store is None
        self.read_only = False
        self._lock = threading.Lock()
        self._snapshot: tuple[str, Path] | None = None
        if store is not None:
            self.store = store
        else:
            if not (self.path / VERSION_FILE).exists():
                raise StoreNotBuilt(f"no embedded store at {self.path}; run `kooperationsgraph build` first")
            try:
                self.store = shared_store(self.path)
            except OSError as exc:
                if "lock" not in str(exc).lower():
                    raise
                # Another process (a running `kooperationsgraph serve`) holds the store: read its newest
                # checkpoint (or the directory itself) read-only; writes say why they cannot run.
                self.read_only = True
                self._version = self._read_version()
                ro = self._checkpoint_dir(self._version)
                self.store = ox.Store.read_only(str(ro if ro.exists() else self.path))
                self._snapshot = (self._version, ro if ro.exists() else self.path)
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

    def _checkpoint_dir(self, version: str) -> Path:
        return self.path.with_name(self.path.name + ".snapshots") / re.sub(r"[^A-Za-z0-9_.-]", "_", version)

    def _writable(self, what: str) -> None:
        if self.read_only:
            raise StoreBusy(f"{what}: the store at {self.path} is held by another process (a running "
                            "`kooperationsgraph serve`?); reading works, writing does not. Stop the server, or "
                            "send the change to its /sparql or /rdf-graphs endpoint with the write token.")

    def snapshot(self) -> Path:
        """A read-only checkpoint of the current version (RocksDB hard links, a few ms), for the query worker
        processes (:mod:`.isolated`): nothing writes a checkpoint, so read-only handles on it stay valid while
        this process writes and compacts the live store. The newest few are kept beside the store."""
        with self._lock:
            if self._snapshot and (self._snapshot[0] == self._version or self.read_only):
                return self._snapshot[1]
            target = self._checkpoint_dir(self._version)
            root = target.parent
            root.mkdir(exist_ok=True)
            if not target.exists():
                tmp = root / f"{target.name}.tmp-{os.getpid()}"
                shutil.rmtree(tmp, ignore_errors=True)
                self.store.backup(str(tmp))
                tmp.rename(target)
            for old in sorted((p for p in root.iterdir() if p != target and ".tmp-" not in p.name),
                              key=lambda p: p.stat().st_mtime)[:-SNAPSHOTS_KEPT]:
                shutil.rmtree(old, ignore_errors=True)
            self._snapshot = (self._version, target)
            return target

    # -- queries --------------------------------------------------------------------------------
    def _job(self, sparql: str, bindings: dict[str, Node], default_graphs: list[str] | None,
             named_graphs: list[str] | None, base_iri: str | None, formats: dict[str, str] | None = None,
             lane: str = USER) -> Job:
        """A job for the pool. The result cap (KG_MAX_RESULT_BYTES) applies to free-text queries; the app's own
        queries (label index, lists) are bounded by their text and may be larger (the memory cap still holds)."""
        store = str(self.snapshot()) if self.isolated else ""
        fmt_names = tuple((k, FORMAT_BY_MEDIA[m].name) for k, m in (formats or {}).items() if m in FORMAT_BY_MEDIA)
        return Job(store, sparql, tuple((k, to_ox_term(v)) for k, v in bindings.items()), fmt_names,
                   tuple(default_graphs or ()), tuple(named_graphs or ()), base_iri,
                   self.settings.max_result_bytes if lane == USER else APP_RESULT_BYTES,
                   PROJECT_PREFIXES)

    def _run(self, job: Job, timeout: float, lane: str) -> tuple[str, object]:
        if not self.isolated:
            try:
                return execute(self.store, job)
            except SyntaxError as exc:
                raise query_syntax_error(exc) from None
            except KeyError as exc:
                raise NoFormatForKind(str(exc.args[0]) if exc.args else "") from None
        s = self.settings
        size = s.query_workers if lane == USER else s.page_workers
        pool = pool_for(self.path, lane, size=size, memory_mb=s.query_memory_mb, admission_wait=s.admission_wait)
        return pool.run(job, timeout)

    def _query(self, sparql: str, bindings: dict[str, Node], *, timeout: float, default_graphs: list[str] | None,
               named_graphs: list[str] | None, base_iri: str | None, lane: str) -> QueryResult:
        kind, payload = self._run(self._job(sparql, bindings, default_graphs, named_graphs, base_iri, lane=lane),
                                  timeout, lane)
        return from_payload(kind, payload)

    def _query_serialized(self, sparql: str, types: dict[str, str], bindings: dict[str, Node], *, timeout: float,
                          default_graphs: list[str] | None, named_graphs: list[str] | None, base_iri: str | None,
                          lane: str) -> tuple[str, bytes]:
        if not all(m in FORMAT_BY_MEDIA for m in types.values()):
            return super()._query_serialized(sparql, types, bindings, timeout=timeout, default_graphs=default_graphs,
                                             named_graphs=named_graphs, base_iri=base_iri, lane=lane)
        job = self._job(sparql, bindings, default_graphs, named_graphs, base_iri, types, lane)
        kind, body = self._run(job, timeout, lane)
        assert isinstance(body, bytes)
        return kind, body

    def _update(self, sparql: str, *, base_iri: str | None = None) -> None:
        self._writable("SPARQL Update")
        with self._lock:
            try:
                self.store.update(sparql, base_iri=base_iri) if base_iri else self.store.update(sparql)
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
        g = ox.NamedNode(str(iri(graph)))
        self.replace_graph_quads(graph, [ox.Quad(to_ox(s), to_ox(p), to_ox(o), g)  # type: ignore[arg-type]
                                         for s, p, o in triples])

    def replace_graph_quads(self, graph: str, quads: Iterable[ox.Quad], *, append: bool = False) -> None:
        """Replace (or with ``append`` extend) one named graph with pyoxigraph quads — terms exactly as parsed,
        lexical forms kept. Built aside, then swapped in by one ``MOVE`` (atomic)."""
        self._writable("Graph Store write")
        g = ox.NamedNode(str(iri(graph)))
        tmp = ox.NamedNode(graph + "#__tmp__")
        with self._lock:
            if self.store.contains_named_graph(tmp):
                self.store.remove_graph(tmp)
            if append:
                self.store.extend(quads_in(list(self.store.quads_for_pattern(None, None, None, g)), tmp))
            self.store.extend(quads_in(list(quads), tmp))
            self.store.update(fill("MOVE SILENT GRAPH ?tmp TO GRAPH ?g", {"tmp": URIRef(tmp.value), "g": URIRef(g.value)}))
            self._bump()

    def apply_quads(self, added: Iterable[tuple[Node, Node, Node, str | None]],
                    removed: Iterable[tuple[Node, Node, Node, str | None]]) -> None:
        """Apply an accepted change set: removals, then additions, terms exactly as given (lexical forms kept;
        a SPARQL update would rewrite ``"01"^^xsd:integer``), under the write lock and before the version bump,
        so no reader checkpoint ever sees half of it."""
        self._writable("Accepting a change set")

        def quad(q: tuple[Node, Node, Node, str | None]) -> ox.Quad:
            s, p, o, g = q
            return ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(iri(g))) if g else ox.DefaultGraph())  # type: ignore[arg-type]

        minus, plus = [quad(q) for q in removed], [quad(q) for q in added]
        with self._lock:
            for q in minus:
                self.store.remove(q)
            self.store.extend(plus)
            self._bump()

    def drop_graph(self, graph: str) -> None:
        self._writable("Graph Store delete")
        g = ox.NamedNode(str(iri(graph)))
        with self._lock:
            if self.store.contains_named_graph(g):
                self.store.remove_graph(g)
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
