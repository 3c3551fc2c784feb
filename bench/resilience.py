"""Resilience benchmark: the full single-removal sweep for every good of the synthetic landscape, dominator
tree against the naive baseline (one reachability search per removal), in one run; plus one what-if scenario.

For each size the landscape (``bench/generate.py --supply``) is loaded with the ontology into an in-memory
store, the derivation rules run, and the supply graph is read through the same queries and code as the CLI.
Both sweeps must give identical results and find exactly the planted single points of failure.

    .venv/bin/python bench/resilience.py --sizes 10000 100000 1000000 [--naive-sample N]

``--naive-sample N`` runs the baseline on N candidates per good (the planted ones plus a seeded sample) and
extrapolates its time to all candidates; results are compared on the sample. Without it the baseline is full.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import landscape  # noqa: E402

from kooperationsgraph.config import Settings  # noqa: E402
from kooperationsgraph.namespaces import graph_iri_for  # noqa: E402
from kooperationsgraph.rdfio import format_for_path, parse_quads  # noqa: E402
from kooperationsgraph.resilience.dominators import dominator_sweep, naive_sweep  # noqa: E402
from kooperationsgraph.resilience.load import load_supply  # noqa: E402
from kooperationsgraph.resilience.network import build_graphs  # noqa: E402
from kooperationsgraph.resilience.whatif import what_if  # noqa: E402
from kooperationsgraph.store.build import apply_rules, rule_files  # noqa: E402
from kooperationsgraph.store.embedded import EmbeddedBackend  # noqa: E402

REPO = HERE.parent


@dataclass
class Row:
    size: int
    triples: int
    actors: int
    good: str
    nodes: int
    edges: int
    candidates: int
    spofs: int
    planted_exact: bool
    dominator_s: float
    naive_s: float
    naive_extrapolated: bool
    identical: bool


def load_store(text: str) -> ox.Store:
    store = ox.Store()
    for rel in ("ontology/kooperationsgraph.ttl", "ontology/versorgung.ttl"):
        path = REPO / rel
        store.extend(parse_quads(None, format_for_path(path), rel, path=path, graph=graph_iri_for(rel)))
    store.load(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph_iri_for("bench/landscape")))
    apply_rules(store, rule_files(Settings(root=REPO)))
    return store


def bench_size(size: int, seed: int, sample: int) -> tuple[list[Row], dict[str, float]]:
    t0 = time.perf_counter()
    land = landscape(size, seed, supply=True)
    text = "".join(land.w.lines)
    store = load_store(text)
    t_store = time.perf_counter() - t0
    backend = EmbeddedBackend(Settings(root=REPO), store=store, path=Path("/nonexistent"))
    t0 = time.perf_counter()
    data = load_supply(backend)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    graphs = build_graphs(data)
    t_graphs = time.perf_counter() - t0
    actors = sum(1 for n in data.nodes.values() if n.kind == "akteur")
    rows: list[Row] = []
    rnd = random.Random(seed)
    for good, gg in sorted(graphs.items()):
        t0 = time.perf_counter()
        dom = dominator_sweep(gg)
        t_dom = time.perf_counter() - t0
        cands = gg.candidates
        planted = land.planted.get(good, [])
        extrapolated = bool(sample) and sample < len(cands)
        chosen = sorted(set(planted) | set(rnd.sample(cands, min(sample, len(cands))))) if extrapolated else cands
        t0 = time.perf_counter()
        naive = naive_sweep(gg, chosen)
        t_naive = (time.perf_counter() - t0) * (len(cands) / len(chosen) if extrapolated else 1.0)
        dom_on_chosen = {k: v for k, v in dom.items() if k in set(chosen)}
        rows.append(Row(size, len(store), actors, good.rsplit("/", 1)[-1], gg.graph.number_of_nodes(),
                        gg.graph.number_of_edges(), len(cands), len(dom), sorted(dom) == sorted(planted),
                        t_dom, t_naive, extrapolated, dom_on_chosen == naive))
    scenario = next(iter(land.planted.values()))[0]
    t0 = time.perf_counter()
    what_if(data, [scenario], graphs)
    t_whatif = time.perf_counter() - t0
    return rows, {"generate+store+rules": t_store, "load": t_load, "graphs": t_graphs, "whatif": t_whatif,
                  "triples": float(len(store))}


def fmt(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--naive-sample", type=int, default=0, help="baseline on N candidates per good (0 = all)")
    args = p.parse_args(argv)
    print(f"Machine: {platform.node()}, {platform.platform()}, Python {platform.python_version()}")
    print()
    print("| landscape | store triples | actors | good | graph nodes / edges | removals | SPOFs | planted found "
          "exactly | dominator sweep | naive sweep | speed-up | identical |")
    print("|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---|")
    phases = []
    for size in args.sizes:
        rows, ph = bench_size(size, args.seed, args.naive_sample)
        phases.append((size, ph))
        for r in rows:
            star = " (extrapolated)" if r.naive_extrapolated else ""
            print(f"| {r.size:,} | {r.triples:,} | {r.actors:,} | {r.good} | {r.nodes:,} / {r.edges:,} | "
                  f"{r.candidates:,} | {r.spofs} | {r.planted_exact} | {fmt(r.dominator_s)} | {fmt(r.naive_s)}{star} | "
                  f"{r.naive_s / r.dominator_s:.0f}× | {r.identical} |", flush=True)
        total_dom = sum(r.dominator_s for r in rows)
        total_naive = sum(r.naive_s for r in rows)
        print(f"| {size:,} | | | **all goods** | | {sum(r.candidates for r in rows):,} | "
              f"{sum(r.spofs for r in rows)} | {all(r.planted_exact for r in rows)} | **{fmt(total_dom)}** | "
              f"**{fmt(total_naive)}** | **{total_naive / total_dom:.0f}×** | {all(r.identical for r in rows)} |",
              flush=True)
    print()
    print("| landscape | store triples | generate + store + rules | load supply graph (queries) | build graphs | "
          "one what-if (all goods, cascades) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size, ph in phases:
        print(f"| {size:,} | {int(ph['triples']):,} | {fmt(ph['generate+store+rules'])} | {fmt(ph['load'])} | "
              f"{fmt(ph['graphs'])} | {fmt(ph['whatif'])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
