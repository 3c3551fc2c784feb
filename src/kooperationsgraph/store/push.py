"""``kooperationsgraph push``: send what the embedded build holds — ontology, data, derived and inferred
graphs, and the build record — to a remote SPARQL server, one named graph at a time.

Idempotent: each graph the build owns is replaced (loaded into a temporary graph in chunks, then moved into
place in one request), graphs of files that no longer exist are dropped, and everything else on the server
(other projects' graphs, saved validation reports) is left alone. Memory stays flat: triples stream from the
on-disk store into chunks of :data:`~.remote.CHUNK_TRIPLES`.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

import pyoxigraph as ox

from ..namespaces import GRAPH, META_GRAPH
from .remote import RemoteBackend, ox_lines

#: Graph families push owns: a graph here that the build no longer has is stale and dropped.
OWNED_PREFIXES = (GRAPH + "ontology/", GRAPH + "data/", GRAPH + "derived", GRAPH + "inferred")


@dataclass
class PushReport:
    graphs: dict[str, int] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


class Progress:
    """A one-line progress bar on stderr (a line per graph when stderr is not a terminal)."""

    def __init__(self, total: int, out: TextIO | None = None):
        self.total, self.done, self.out = max(total, 1), 0, out or sys.stderr
        self.tty = self.out.isatty()
        self.t0 = time.perf_counter()
        self.label = ""

    def graph(self, iri: str) -> None:
        self.label = iri.removeprefix(GRAPH)
        if not self.tty:
            print(f"push: {self.label} …", file=self.out, flush=True)
        self.draw()

    def advance(self, n: int) -> None:
        self.done += n
        self.draw()

    def draw(self) -> None:
        if not self.tty:
            return
        frac = min(self.done / self.total, 1.0)
        bar = "#" * int(frac * 30)
        rate = self.done / max(time.perf_counter() - self.t0, 1e-6)
        self.out.write(f"\r[{bar:<30}] {frac:4.0%} {self.done}/{self.total} triples, {rate:,.0f}/s "
                       f"{self.label[:40]:<40}")
        self.out.flush()

    def finish(self) -> None:
        if self.tty:
            self.out.write("\n")
        print(f"push: {self.done} triples in {time.perf_counter() - self.t0:.1f} s", file=self.out, flush=True)


def push_store(store: ox.Store, remote: RemoteBackend, *, progress: Progress | None = None,
               chunk_size: int | None = None) -> PushReport:
    """Push every named graph of ``store`` to ``remote`` (the meta graph's build record is merged, not
    replaced: the server's meta graph also holds the version and the graph registry)."""
    t0 = time.perf_counter()
    report = PushReport()
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    progress = progress or Progress(len(store), open(os.devnull, "w"))  # noqa: SIM115
    for g in graphs:
        progress.graph(g)
        quads = store.quads_for_pattern(None, None, None, ox.NamedNode(g))
        if g == META_GRAPH:
            report.graphs[g] = remote.merge_meta(list(quads))
            progress.advance(report.graphs[g])
            continue
        report.graphs[g] = remote.load_graph(g, ox_lines(quads), progress=progress.advance,
                                             chunk_size=chunk_size)
    for stale in remote.named_graphs():
        if stale.startswith(OWNED_PREFIXES) and stale not in report.graphs:
            remote.drop_graph(stale)
            report.dropped.append(stale)
    progress.finish()
    report.seconds = time.perf_counter() - t0
    return report
