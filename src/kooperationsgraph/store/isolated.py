"""Run queries of the embedded store in worker processes, so a timeout really stops the work (the worker
is killed and replaced) and a native crash takes down only a worker, never the server. Each worker opens
the on-disk store read-only and reopens it when the store version changes."""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import KooperationsgraphError, QueryTimeout
from ..rdfio import query_syntax_error

RESULT_FORMATS = {
    "application/sparql-results+json": "JSON", "application/sparql-results+xml": "XML",
    "text/csv": "CSV", "text/tab-separated-values": "TSV",
}
GRAPH_FORMATS = {
    "text/turtle": "TURTLE", "application/n-triples": "N_TRIPLES", "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
}


class WorkerCrashed(KooperationsgraphError):
    """The query made a worker process die (e.g. a stack overflow in the native parser)."""


def _worker(conn: Connection, path: str) -> None:  # pragma: no cover - runs in a child process
    import pyoxigraph as ox

    store, version = None, None
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        want_version, text, select_type, graph_type, default_graphs, named_graphs, base_iri = msg
        try:
            if store is None or version != want_version:
                store, version = ox.Store.read_only(path), want_version
            kw: dict[str, object] = {"base_iri": base_iri} if base_iri else {}
            if default_graphs:
                kw["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            else:
                kw["use_default_graph_as_union"] = True
            if named_graphs:
                kw["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
            res = store.query(text, **kw)
            if isinstance(res, ox.QueryTriples):
                kind = "graph"
                body = res.serialize(format=getattr(ox.RdfFormat, GRAPH_FORMATS[graph_type])) if graph_type else None
            else:
                kind = "ask" if isinstance(res, ox.QueryBoolean) else "select"
                body = (res.serialize(format=getattr(ox.QueryResultsFormat, RESULT_FORMATS[select_type]))
                        if select_type else None)
            conn.send(("ok", kind, body))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc), None))
        except Exception as exc:  # noqa: BLE001 - report any store error to the parent
            conn.send(("error", f"{type(exc).__name__}: {exc}", None))


@dataclass
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection


class QueryPool:
    """A fixed number of worker processes; ``run`` blocks for a free one."""

    def __init__(self, path: Path, size: int = 2):
        self.path = str(path)
        self.size = max(1, size)
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        p = self._ctx.Process(target=_worker, args=(child, self.path), daemon=True)
        p.start()
        child.close()
        return _Worker(p, parent)

    def run(self, version: str, text: str, *, select_type: str | None, graph_type: str | None,
            timeout: float, default_graphs: list[str] | None = None,
            named_graphs: list[str] | None = None, base_iri: str | None = None) -> tuple[str, bytes | None]:
        w = self._idle.get()
        try:
            w.conn.send((version, text, select_type, graph_type, default_graphs or [], named_graphs or [], base_iri))
            if not w.conn.poll(timeout):
                self._replace(w)
                w = None  # type: ignore[assignment]
                raise QueryTimeout(timeout)
            try:
                status, kind_or_msg, body = w.conn.recv()
            except (EOFError, OSError):
                self._replace(w)
                w = None  # type: ignore[assignment]
                raise WorkerCrashed("the query could not be processed (the query worker stopped); "
                                    "the server keeps serving") from None
        finally:
            if w is not None:
                self._idle.put(w)
        if status == "syntax":
            raise query_syntax_error(SyntaxError(kind_or_msg))
        if status == "error":
            raise KooperationsgraphError(kind_or_msg)
        return kind_or_msg, body

    def _replace(self, w: _Worker) -> None:
        w.process.kill()
        w.process.join(5)
        w.conn.close()
        self._idle.put(self._spawn())

    def close(self) -> None:
        while not self._idle.empty():
            w = self._idle.get_nowait()
            w.process.kill()
            w.conn.close()
