"""Writing to a remote server in pieces: N-Triples lines, chunks that keep blank nodes together, and reading
N-Triples answers back as normalised terms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import BNode
from rdflib.term import Node

from ...errors import BackendUnavailable
from .virtuoso import ox_graph_term

CHUNK_TRIPLES = 10_000
#: Triples per SPARQL Update request (Virtuoso compiles INSERT DATA to SQL and refuses more than 10 000 lines
#: of it — about 2 000 triples).
UPDATE_CHUNK_TRIPLES = 1_000
#: Triples per read request for large graphs (below Virtuoso's MaxVectorSize of 1 000 000).
PAGE_TRIPLES = 250_000


def nt(t: Node) -> str:
    """N-Triples form of an rdflib term (valid in SPARQL Update, too)."""
    if isinstance(t, BNode):
        return "_:" + re.sub(r"[^A-Za-z0-9_]", "_", str(t))
    return t.n3()


# ------------------------------------------------------------------------------------------------ chunks
def chunks(lines: Iterable[tuple[str, tuple[str, ...]]], size: int = CHUNK_TRIPLES) -> Iterator[list[str]]:
    """Group N-Triples lines into chunks of about ``size``; lines sharing blank nodes (transitively) stay in
    one chunk, because a blank-node label means the same node only within one request. Lines without blank
    nodes stream through; blank-node lines are held until the end (ontologies and shapes have few)."""
    buf: list[str] = []
    parent: dict[str, str] = {}
    held: list[tuple[str, tuple[str, ...]]] = []

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for line, bnodes in lines:
        if not bnodes:
            buf.append(line)
            if len(buf) >= size:
                yield buf
                buf = []
            continue
        held.append((line, bnodes))
        roots = [find(b) for b in bnodes]
        for r in roots[1:]:
            parent[find(r)] = find(roots[0])
    groups: dict[str, list[str]] = {}
    for line, bnodes in held:
        groups.setdefault(find(bnodes[0]), []).append(line)
    for group in groups.values():
        if buf and len(buf) + len(group) > size:
            yield buf
            buf = []
        buf.extend(group)
    if buf:
        yield buf


def rdflib_lines(triples: Iterable[tuple[Node, Node, Node]]) -> Iterator[tuple[str, tuple[str, ...]]]:
    for s, p, o in triples:
        bnodes = tuple(nt(t) for t in (s, o) if isinstance(t, BNode))
        yield f"{nt(s)} {nt(p)} {nt(o)} .", bnodes


def ox_lines(triples: Iterable[Any]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """N-Triples lines straight from pyoxigraph triples/quads (fast path for push)."""
    for q in triples:
        s, p, o = q.subject, q.predicate, q.object
        bnodes = tuple(str(t) for t in (s, o) if isinstance(t, ox.BlankNode))
        yield f"{s} {p} {o} .", bnodes




def parse_ntriples(body: bytes) -> list[tuple[Node, Node, Node]]:
    """A server's N-Triples answer as rdflib triples (normalised like SELECT results)."""
    try:
        return [(ox_graph_term(t.subject), ox_graph_term(t.predicate), ox_graph_term(t.object))
                for t in ox.parse(body, ox.RdfFormat.N_TRIPLES)]
    except SyntaxError as exc:
        raise BackendUnavailable(f"the SPARQL server sent malformed N-Triples: {exc}") from None
