"""Query worker processes of the embedded store: every query of the embedded backend runs here, never in the
server process.

* A timeout really stops the work: the worker is killed and replaced.
* A native crash (the engine's recursive parser on deep nesting, an allocation failure) takes down one
  worker, never the server; the request answers 500/503 with a clear message.
* Each worker has a memory cap (``RLIMIT_AS``, ``Settings.query_memory_mb``) and every result a size cap
  (``Settings.max_result_bytes``): a result over the cap answers 413 and nothing big crosses the pipe.
* Fair admission: there are two lanes, each with its own workers — ``app`` for the application's own short
  queries (pages, lists, search, catalogue) and ``user`` for free text from ``/sparql`` and the CLI — so
  runaway user queries never hold the workers a page needs. A request waits at most
  ``Settings.admission_wait`` seconds for a worker of its lane, then answers 503 with ``Retry-After``.

Each worker opens a read-only checkpoint of the store (``EmbeddedBackend.snapshot``, hard links made once per
store version): nothing writes a checkpoint, so a read-only handle on it cannot see files vanish while the
server writes and compacts the live store. Values are bound with pyoxigraph's ``substitutions``.
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..errors import KooperationsgraphError, QueryEngineCrash, QueryTimeout, ResultTooLarge, ServerBusy
from ..limits import die_with_parent, limit_memory

#: The one long-lived thread that starts query workers (see :meth:`QueryPool._spawn`).
_SPAWNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-spawn")

APP, USER = "app", "user"
LANES = (APP, USER)


class WorkerCrashed(QueryEngineCrash):
    """The query made a worker process die (stack overflow in the native parser, memory cap reached …)."""


class NoFormatForKind(KooperationsgraphError):
    """The query's form was not the one predicted and no format was negotiated for its actual form."""

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__(f"the query returns a {kind} result, for which no acceptable format was negotiated")


@dataclass(frozen=True)
class Job:
    """One query for a worker. ``formats`` maps a result kind (select/ask/graph) to a pyoxigraph format name
    (serialised result); empty: the result comes back as terms."""

    store: str  # directory of the read-only checkpoint to query
    text: str
    bindings: tuple[tuple[str, Any], ...] = ()  # (variable name, pyoxigraph term)
    formats: tuple[tuple[str, str], ...] = ()
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    max_bytes: int = 64_000_000
    prefixes: tuple[tuple[str, str], ...] = ()  # predeclared prefixes (the project's)


def execute(store: Any, job: Job) -> tuple[str, Any]:
    """Run ``job`` on an open pyoxigraph store: (kind, bytes or terms). Shared by workers and in-memory stores."""
    import pyoxigraph as ox

    kw: dict[str, Any] = {"base_iri": job.base_iri} if job.base_iri else {}
    if job.prefixes:
        kw["prefixes"] = dict(job.prefixes)
    if job.default_graphs:
        kw["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    else:
        kw["use_default_graph_as_union"] = True
    if job.named_graphs:
        kw["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    text = job.text
    if job.bindings:
        kw["substitutions"] = {ox.Variable(name): term for name, term in job.bindings}
    try:
        res = store.query(text, **kw)
    except RuntimeError as exc:
        # pyoxigraph substitutes only projected variables (SEP-0007); bind the others with a VALUES block
        # written by the one binding helper (escaped terms, placed with the one lexer).
        if not job.bindings or "does not contains variable" not in str(exc):
            raise
        from ..sparql.terms import bind_values
        from .terms import to_rdflib

        del kw["substitutions"]
        res = store.query(bind_values(text, {n: to_rdflib(t) for n, t in job.bindings}), **kw)
    if isinstance(res, ox.QueryBoolean):
        kind = "ask"
    elif isinstance(res, ox.QueryTriples):
        kind = "graph"
    else:
        kind = "select"
    formats = dict(job.formats)
    if formats:
        name = formats[kind]  # KeyError: no format for this kind (reported as NoFormatForKind)
        from ..sparql.formats import RESULT_FORMATS

        return kind, res.serialize(format=RESULT_FORMATS[name].ox_format)
    if kind == "ask":
        return kind, bool(res)
    if kind == "graph":
        return kind, [(encode(t.subject), encode(t.predicate), encode(t.object)) for t in res]
    variables = [v.value for v in res.variables]
    rows = []
    size = 0
    for sol in res:
        row = tuple(encode(sol[v]) for v in variables)
        size += sum(len(str(t)) + 16 for t in row if t is not None) + 8
        if size > job.max_bytes:
            raise ResultTooLarge(f"the result is larger than this server's cap of {job.max_bytes:,} bytes; "
                                 "add a LIMIT or select fewer variables")
        rows.append(row)
    return kind, (variables, rows)


def encode(term: Any) -> Any:
    """A term as plain Python data, cheap to pickle: IRI → str; literal → (value, datatype, language);
    blank node → ("_:", id). pyoxigraph terms pickle about ten times slower."""
    import pyoxigraph as ox

    if term is None or isinstance(term, ox.NamedNode):
        return None if term is None else term.value
    if isinstance(term, ox.Literal):
        return (term.value, term.datatype.value, term.language)
    if isinstance(term, ox.BlankNode):
        return ("_:", term.value)
    raise TypeError(f"unsupported term {term!r}")


def _worker(conn: Connection, memory_mb: int) -> None:  # pragma: no cover - runs in a child process
    import pyoxigraph as ox

    die_with_parent()
    limit_memory(memory_mb)
    store, opened = None, None
    while True:
        try:
            job: Job = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        try:
            if store is None or opened != job.store:
                store, opened = None, None
                store, opened = ox.Store.read_only(job.store), job.store
            try:
                kind, payload = execute(store, job)
            except OSError:  # the checkpoint went under a long query: reopen once
                store = ox.Store.read_only(job.store)
                kind, payload = execute(store, job)
            data = pickle.dumps(("ok", kind, payload), protocol=pickle.HIGHEST_PROTOCOL)
            if len(data) > job.max_bytes:
                data = pickle.dumps(("too-large", f"the result has {len(data):,} bytes; this server's cap is "
                                     f"{job.max_bytes:,} bytes: add a LIMIT or select fewer variables", None))
        except SyntaxError as exc:
            data = pickle.dumps(("syntax", str(exc), None))
        except KeyError as exc:
            data = pickle.dumps(("format", str(exc.args[0]) if exc.args else "", None))
        except ResultTooLarge as exc:
            data = pickle.dumps(("too-large", str(exc), None))
        except MemoryError:
            data = pickle.dumps(("memory", "", None))
        except Exception as exc:  # noqa: BLE001 - report any store error to the parent
            data = pickle.dumps(("error", f"{type(exc).__name__}: {exc}", None))
        try:
            conn.send_bytes(data)
        except (OSError, ValueError):
            return


@dataclass
class _Worker:
    process: Any
    conn: Connection


@dataclass
class QueryPool:
    """A fixed number of worker processes for one lane; ``run`` waits a bounded time for a free one."""

    lane: str
    size: int = 2
    memory_mb: int = 2048
    admission_wait: float = 10.0
    _idle: queue.Queue[_Worker] = field(default_factory=queue.Queue, repr=False)
    _closed: threading.Event = field(default_factory=threading.Event, repr=False)

    def __post_init__(self) -> None:
        self.size = max(1, self.size)
        self._ctx = mp.get_context("spawn")  # no fork: the server process holds RocksDB and threads
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        # Workers ask to die with their parent (PR_SET_PDEATHSIG), and for the kernel the parent is the *thread*
        # that started them: spawned from a short-lived thread (an import's prefetch, say), they were killed
        # (signal 9) when it ended. So every worker is started from one thread that lives as long as the process.
        return _SPAWNER.submit(self._spawn_now).result()

    def _spawn_now(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        p = self._ctx.Process(target=_worker, args=(child, self.memory_mb), daemon=True,
                              name=f"kg-query-{self.lane}")
        p.start()
        child.close()
        return _Worker(p, parent)

    def run(self, job: Job, timeout: float) -> tuple[str, Any]:
        """(kind, payload); raises QueryTimeout, WorkerCrashed, ServerBusy, ResultTooLarge, QuerySyntaxError."""
        try:
            w: _Worker | None = self._idle.get(timeout=self.admission_wait)
        except queue.Empty:
            raise ServerBusy(f"all {self.size} query workers for {'pages' if self.lane == APP else 'queries'} "
                             f"stayed busy for {self.admission_wait:g} s; try again shortly",
                             retry_after=max(1, int(self.admission_wait))) from None
        assert w is not None
        try:
            try:
                w.conn.send_bytes(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
                ready = w.conn.poll(timeout)
            except (OSError, EOFError):
                ready = True  # the worker is gone; recv below reports it
            if not ready:
                self._replace(w)
                w = None
                raise QueryTimeout(timeout)
            try:
                status, message, payload = pickle.loads(w.conn.recv_bytes())
            except (EOFError, OSError):
                code = w.process.exitcode
                if code is None:
                    w.process.join(1)
                    code = w.process.exitcode
                self._replace(w)
                w = None
                raise WorkerCrashed(
                    "the query engine process stopped on this query"
                    + (f" (signal {-code})" if code is not None and code < 0 else "")
                    + f": it needed more than the {self.memory_mb} MB a query may use, or recursed too deep. "
                    "It was replaced and the server keeps serving; simplify the query or add a LIMIT.") from None
            if status == "memory":
                self._replace(w)
                w = None
                raise WorkerCrashed(f"the query needed more than the {self.memory_mb} MB a query may use; "
                                    "simplify it or add a LIMIT")
        finally:
            if w is not None:
                self._idle.put(w)
        return raise_for(status, message, payload)

    def _replace(self, w: _Worker) -> None:
        w.process.kill()
        w.process.join(5)
        w.conn.close()
        if not self._closed.is_set():
            self._idle.put(self._spawn())

    def close(self) -> None:
        self._closed.set()
        while True:
            try:
                w = self._idle.get_nowait()
            except queue.Empty:
                return
            w.process.kill()
            w.process.join(5)
            w.conn.close()


def raise_for(status: str, message: str, payload: Any) -> tuple[str, Any]:
    """Turn a worker's answer into a result or the matching typed error."""
    from ..rdfio import query_syntax_error

    if status == "ok":
        return message, payload
    if status == "syntax":
        raise query_syntax_error(SyntaxError(message))
    if status == "format":
        raise NoFormatForKind(message.strip("'"))
    if status == "too-large":
        raise ResultTooLarge(message)
    raise KooperationsgraphError(message)


_POOLS: dict[tuple[Path, str], QueryPool] = {}
_POOLS_LOCK = threading.Lock()


def pool_for(store_dir: Path, lane: str, *, size: int, memory_mb: int, admission_wait: float) -> QueryPool:
    """One pool per (store directory, lane) and process, like the one RocksDB handle per directory: apps
    and backends on the same store share the workers."""
    if lane not in LANES:
        raise ValueError(f"unknown lane {lane!r}")
    key = (store_dir.resolve(), lane)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            pool = _POOLS[key] = QueryPool(lane, size, memory_mb, admission_wait)
        return pool


def close_pools(store_dir: Path | None = None) -> None:
    with _POOLS_LOCK:
        for key in [k for k in _POOLS if store_dir is None or k[0] == store_dir.resolve()]:
            _POOLS.pop(key).close()
