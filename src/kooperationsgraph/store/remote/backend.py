"""The :class:`Backend` over a remote SPARQL 1.1 server: the project's dataset (its registered graphs) and
version kept in the server's meta graph, queries with the server's differences handled (:mod:`.virtuoso`), and
writes in chunks (:mod:`.chunks`) over HTTP (:mod:`.http`). See the package docstring for the why."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from ...config import Settings
from ...errors import KooperationsgraphError
from ...namespaces import GRAPH, KG, META_GRAPH
from ...rdfio import rdf_format
from ...sparql.prefixes import declare_missing
from ...sparql.terms import bind_values, iri, term_text
from ..base import Backend, QueryResult
from ..terms import to_ox
from .chunks import CHUNK_TRIPLES, PAGE_TRIPLES, UPDATE_CHUNK_TRIPLES, chunks, ox_lines, parse_ntriples, rdflib_lines
from .http import ACCEPT, Transport, public_url
from .virtuoso import declares_dataset, has_transitive_path, json_term, normalise_json_term, order_outside, silent_drops

STORE_NODE = META_GRAPH + "#store"
VERSION_P = str(KG) + "storeVersion"
GRAPH_P = str(KG) + "storeGraph"
VOID_DATASET = "http://rdfs.org/ns/void#Dataset"
TMP_GRAPH_PREFIX = "urn:kooperationsgraph:tmp:"
#: Seconds a version read stays valid; several processes agree after at most this long.
VERSION_TTL = 1.0

def _iri(value: str) -> str:
    """A graph name for update text: checked as an IRI, escaped by the one term writer."""
    return term_text(iri(value))


class RemoteBackend(Backend):
    """The :class:`Backend` interface over a SPARQL 1.1 query (+ update, + Graph Store) endpoint."""

    name = "remote"

    def __init__(self, settings: Settings):
        if not settings.endpoint:
            raise KooperationsgraphError("backend 'remote' needs an endpoint (--endpoint or KG_ENDPOINT)")
        self.settings = settings
        self.endpoint = settings.endpoint
        self.update_endpoint = settings.update_endpoint or settings.endpoint
        self.graph_store = settings.graph_store_endpoint
        self.http = Transport(self.endpoint, self.update_endpoint, self.graph_store,
                              settings.remote_user, settings.remote_password)
        self._lock = threading.Lock()
        self._version: tuple[float, str] | None = None
        self._graphs: tuple[str, list[str]] | None = None

    # -- dataset and version --------------------------------------------------------------------------
    def version(self) -> str:
        now = time.monotonic()
        cached = self._version
        if cached is not None and now - cached[0] < VERSION_TTL:
            return cached[1]
        q = f"SELECT ?v WHERE {{ GRAPH <{META_GRAPH}> {{ <{STORE_NODE}> <{VERSION_P}> ?v }} }}"
        _, body, _ = self.http.request(q, "application/sparql-results+json", timeout=self.settings.query_timeout)
        rows = json.loads(body)["results"]["bindings"]
        v = rows[0]["v"]["value"] if rows else "0"
        self._version = (now, v)
        return v

    def _dataset(self) -> list[str]:
        """The project's graphs (cached per store version)."""
        v = self.version()
        cached = self._graphs
        if cached is not None and cached[0] == v:
            return cached[1]
        q = f"SELECT ?g WHERE {{ GRAPH <{META_GRAPH}> {{ <{STORE_NODE}> <{GRAPH_P}> ?g }} }}"
        _, body, _ = self.http.request(q, "application/sparql-results+json", timeout=self.settings.query_timeout)
        graphs = sorted(b["g"]["value"] for b in json.loads(body)["results"]["bindings"])
        self._graphs = (v, graphs)
        return graphs

    def _bump_ops(self, register: Iterable[str] = (), unregister: Iterable[str] = ()) -> str:
        """Update operations that set a new version and (un)register graphs; appended to each write."""
        new = uuid.uuid4().hex[:16]
        meta, s = f"<{META_GRAPH}>", f"<{STORE_NODE}>"
        ops = [f"DELETE WHERE {{ GRAPH {meta} {{ {s} <{VERSION_P}> ?v }} }}"]
        for g in unregister:
            ops.append(f"DELETE DATA {{ GRAPH {meta} {{ {s} <{GRAPH_P}> {_iri(g)} }} }}")
        triples = [f"{s} a <{VOID_DATASET}>", f'{s} <{VERSION_P}> "{new}"', f"{s} <{GRAPH_P}> {meta}"]
        triples += [f"{s} <{GRAPH_P}> {_iri(g)}" for g in register]
        ops.append(f"INSERT DATA {{ GRAPH {meta} {{ {' . '.join(triples)} }} }}")
        return " ;\n".join(ops)

    def _written(self) -> None:
        self._version = None
        self._graphs = None

    # -- queries --------------------------------------------------------------------------------------
    def _query_dataset(self, sparql: str, default_graphs: list[str] | None,
                       named_graphs: list[str] | None) -> tuple[list[str], list[str]] | None:
        if default_graphs or named_graphs:
            ours = self._dataset()
            return (default_graphs or ours, named_graphs or ours)
        if declares_dataset(sparql):
            return None
        if has_transitive_path(sparql):
            # Virtuoso 7.2 evaluates ``p*``/``p+`` wrongly (or refuses them) when the dataset is restricted by
            # default-graph-uri or FROM: the closure does not cross graphs. Such queries run on the server's
            # own default graph, the union of all its graphs, which holds the project's graphs too.
            return None
        ours = self._dataset()
        return (ours, ours)

    def _query(self, sparql: str, bindings: dict[str, Node], *, timeout: float, default_graphs: list[str] | None,
               named_graphs: list[str] | None, base_iri: str | None = None, lane: str = "app") -> QueryResult:
        sparql = declare_missing(bind_values(sparql, bindings) if bindings else sparql)
        dataset = self._query_dataset(sparql, default_graphs, named_graphs)
        if has_transitive_path(sparql):
            sparql = order_outside(sparql)
        kind, body, _ = self.http.request(sparql, ACCEPT, timeout=timeout, dataset=dataset)
        if kind == "graph":
            return QueryResult("graph", triples=parse_ntriples(body))
        data = json.loads(body)
        if "boolean" in data:
            return QueryResult("ask", boolean=bool(data["boolean"]))
        variables = data["head"].get("vars", [])
        rows = [tuple(json_term(b[v]) if v in b else None for v in variables) for b in data["results"]["bindings"]]
        return QueryResult("select", variables=variables, rows=rows)

    def _query_serialized(self, sparql: str, types: dict[str, str], bindings: dict[str, Node], *, timeout: float,
                          default_graphs: list[str] | None, named_graphs: list[str] | None, base_iri: str | None,
                          lane: str) -> tuple[str, bytes]:
        """Pass the server's SPARQL-JSON / N-Triples through (normalised); other types are re-serialised."""
        kw: dict[str, Any] = {"timeout": timeout, "default_graphs": default_graphs, "named_graphs": named_graphs,
                              "base_iri": base_iri, "lane": lane}
        form = self.screen(sparql).form
        media_type = types.get("graph" if form in {"construct", "describe"} else "select") or next(iter(types.values()))
        if media_type not in {"application/sparql-results+json", "application/n-triples"}:
            return super()._query_serialized(sparql, types, bindings, **kw)
        sparql = declare_missing(bind_values(sparql, bindings) if bindings else sparql)
        dataset = self._query_dataset(sparql, default_graphs, named_graphs)
        if has_transitive_path(sparql):
            sparql = order_outside(sparql)
        accept = dict(ACCEPT)
        accept["graph" if media_type == "application/n-triples" else "select"] = media_type
        accept["ask"] = accept["select"]
        kind, body, _ = self.http.request(sparql, accept, timeout=timeout, dataset=dataset)
        if kind == "graph":
            if media_type == "application/n-triples":
                return kind, body
            return kind, QueryResult("graph", triples=parse_ntriples(body)).serialize(media_type)
        if media_type != "application/sparql-results+json":
            return super()._query_serialized(sparql, types, {}, **kw)
        data = json.loads(body)
        if "boolean" in data:
            return "ask", json.dumps({"head": {}, "boolean": bool(data["boolean"])}).encode()
        head = {"vars": data["head"].get("vars", [])}
        rows = [{k: normalise_json_term(t) for k, t in b.items()} for b in data["results"]["bindings"]]
        return "select", json.dumps({"head": head, "results": {"bindings": rows}}, ensure_ascii=False).encode()

    # -- writes ---------------------------------------------------------------------------------------
    def _update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """The update, a registry sync for graphs under the project's graph base, and a new version — in one
        request (one transaction on Virtuoso)."""
        meta, s = f"<{META_GRAPH}>", f"<{STORE_NODE}>"
        sync = (f"INSERT {{ GRAPH {meta} {{ {s} <{GRAPH_P}> ?g }} }} WHERE {{ "
                f"{{ SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?x ?y ?z }} }} }} "
                f'FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }} ;\n'
                f"DELETE {{ GRAPH {meta} {{ {s} <{GRAPH_P}> ?g }} }} WHERE {{ GRAPH {meta} {{ {s} <{GRAPH_P}> ?g }} "
                f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?x ?y ?z }} }} }}")
        text = silent_drops(sparql.rstrip().rstrip(";"))
        if base_iri:
            text = f"BASE {_iri(base_iri)}\n{text}"
        with self._lock:
            try:
                self.http.update_request(f"{text}\n;\n{sync} ;\n{self._bump_ops()}")
            finally:
                self._written()

    def load_graph(self, graph: str, lines: Iterable[tuple[str, tuple[str, ...]]], *,
                   progress: Callable[[int], None] | None = None, chunk_size: int | None = None) -> int:
        """Replace ``graph`` with the given N-Triples lines: chunks go into a temporary graph, then one update
        request moves it into place, registers the graph and bumps the version. Returns the triple count."""
        tmp = TMP_GRAPH_PREFIX + uuid.uuid4().hex
        chunk_size = chunk_size or (CHUNK_TRIPLES if self.graph_store else UPDATE_CHUNK_TRIPLES)
        n = 0
        try:
            for chunk in chunks(lines, chunk_size):
                self._write_chunk(tmp, chunk)
                n += len(chunk)
                if progress:
                    progress(len(chunk))
            with self._lock:
                if n:
                    ops = f"MOVE SILENT GRAPH {_iri(tmp)} TO GRAPH {_iri(graph)} ;\n" + self._bump_ops(register=[graph])
                else:
                    ops = f"DROP SILENT GRAPH {_iri(graph)} ;\n" + self._bump_ops(unregister=[graph])
                self.http.update_request(ops)
        except BaseException:
            try:
                self.http.update_request(f"DROP SILENT GRAPH {_iri(tmp)}")
            except KooperationsgraphError:
                pass
            raise
        finally:
            self._written()
        return n

    def _write_chunk(self, graph: str, lines: list[str]) -> None:
        body = "\n".join(lines)
        if self.graph_store:
            self.http.post_graph(graph, body + "\n")
        elif "_:" in body:
            self.http.update_request(f"INSERT {{ GRAPH {_iri(graph)} {{\n{body}\n}} }} WHERE {{}}")
        else:
            self.http.update_request(f"INSERT DATA {{ GRAPH {_iri(graph)} {{\n{body}\n}} }}")

    def merge_meta(self, quads: list[Any]) -> int:
        """Replace the build record in the meta graph (the version and graph registry there stay)."""
        body = " ".join(line for line, _ in ox_lines(quads))
        build = META_GRAPH + "#build"
        ops = (f"DELETE WHERE {{ GRAPH {_iri(META_GRAPH)} {{ {_iri(build)} ?p ?o }} }} ;\n"
               f"INSERT DATA {{ GRAPH {_iri(META_GRAPH)} {{ {body} }} }} ;\n" + self._bump_ops())
        with self._lock:
            try:
                self.http.update_request(ops)
            finally:
                self._written()
        return len(quads)

    @property
    def public_endpoint(self) -> str:
        return public_url(self.endpoint)

    def replace_graph(self, graph: str, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self.load_graph(graph, rdflib_lines(triples))

    def drop_graph(self, graph: str) -> None:
        with self._lock:
            try:
                self.http.update_request(f"DROP SILENT GRAPH {_iri(graph)} ;\n" + self._bump_ops(unregister=[graph]))
            finally:
                self._written()

    # -- graphs ---------------------------------------------------------------------------------------
    def named_graphs(self) -> list[str]:
        return list(self._dataset())

    def graph_triples(self, graph: str | None) -> Iterable[tuple[Node, Node, Node]]:
        """One graph's triples: in one request when small, else in ordered pages — servers cap result sizes
        (Virtuoso: ``ResultSetMaxRows``, reported in ``X-SPARQL-MaxRows``, and ``MaxVectorSize``)."""
        if graph is None:
            return  # the project keeps no triples in the server's default graph
        timeout = max(self.settings.query_timeout, 600)
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": iri(graph)},
                         timeout=timeout,
                         default_graphs=[graph])
        total = int(res.rows[0][0]) if res.rows and res.rows[0][0] is not None else 0
        page = PAGE_TRIPLES
        if total <= page:
            q = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}"
            _, body, headers = self.http.request(q, "application/n-triples", timeout=timeout)
            triples = parse_ntriples(body)
            cap = int(headers.get("x-sparql-maxrows", "0") or 0)
            if not cap or len(triples) < cap:
                yield from triples
                return
            page = cap
        for offset in range(0, total, page):
            q = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }} "
                 f"ORDER BY ?s ?p ?o }} }} LIMIT {page} OFFSET {offset}")
            _, body, _ = self.http.request(q, "application/n-triples", timeout=timeout)
            yield from parse_ntriples(body)

    def dump(self, media_type: str) -> bytes:
        fmt = rdf_format(media_type)
        if not fmt.quads:
            raise ValueError("dump needs a quad format (TriG, N-Quads)")
        store = ox.Store()
        for g in self.named_graphs():
            gn = ox.NamedNode(g)
            store.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), gn)
                          for s, p, o in self.graph_triples(g)])
        return store.dump(format=fmt.ox_format)  # type: ignore[return-value]
