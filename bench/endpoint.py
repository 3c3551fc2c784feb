"""Endpoint benchmark: each catalogue query through /sparql (HTTP on loopback, the real waitress server with
its worker processes) against the same query directly on the embedded store, uncached (a unique comment per
run defeats the result cache) and cached; plus throughput of 4 concurrent clients on a single-entity lookup.

    python bench/endpoint.py [--sizes 0,100000] [--runs 5]

Size 0 is the shipped data; other sizes add a synthetic landscape from bench/generate.py."""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import pyoxigraph as ox  # noqa: E402
from live import live_server  # noqa: E402

from kooperationsgraph.catalogue import Catalogue  # noqa: E402
from kooperationsgraph.config import Settings  # noqa: E402
from kooperationsgraph.store.build import build  # noqa: E402
from kooperationsgraph.store.embedded import EmbeddedBackend  # noqa: E402


def make_store(size: int, tmp: Path) -> Path:
    root = tmp / f"root-{size}"
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "data", root / "data", ignore=shutil.ignore_patterns("examples"))
    if size:
        subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--triples", str(size), "--seed", "1",
                        "-o", str(root / "data" / "bench.ttl")], check=True, stderr=subprocess.DEVNULL)
    store = root / "store"
    build(Settings(root=root, store_path=store), reason=False)
    return store


def get(url: str) -> float:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as r:
        r.read()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="0,100000")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    cat = Catalogue.load(REPO / "queries")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        for size in [int(s) for s in args.sizes.split(",")]:
            store = make_store(size, tmp)
            direct_copy = tmp / f"direct-{size}"
            shutil.copytree(store, direct_copy)
            seam = EmbeddedBackend(Settings(store_path=direct_copy))
            engine = ox.Store.read_only(str(direct_copy))
            triples = int(seam.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0])
            print(f"\n## {triples:,} triples\n")
            print("direct: pyoxigraph in this process, results materialised; seam: Backend.query (worker process, "
                  "app lane); /sparql: HTTP to the real server (worker process, user lane)\n")
            print("| query | direct ms | seam ms | /sparql ms | /sparql ÷ direct | cached ms |\n"
                  "|---|---:|---:|---:|---:|---:|")
            with live_server(store, tmp) as base:
                for q in cat:
                    text = q.render()
                    d, m, h = [], [], []
                    for i in range(args.runs):
                        t0 = time.perf_counter()
                        res = engine.query(text + f"\n# run {i}", use_default_graph_as_union=True)
                        list(res) if not isinstance(res, ox.QueryBoolean) else bool(res)
                        d.append(time.perf_counter() - t0)
                        t0 = time.perf_counter()
                        seam.query(text + f"\n# seam {i}")
                        m.append(time.perf_counter() - t0)
                        h.append(get(base + "/sparql?" + urllib.parse.urlencode({"query": text + f"\n# http {i}"})))
                    url = base + "/sparql?" + urllib.parse.urlencode({"query": text})
                    get(url)
                    c = statistics.median(get(url) for _ in range(args.runs))
                    md, mm, mh = (statistics.median(x) * 1000 for x in (d, m, h))
                    print(f"| {q.id} | {md:.1f} | {mm:.1f} | {mh:.1f} | {mh / md:.2f} | {c * 1000:.2f} |")
                lookup = base + "/sparql?" + urllib.parse.urlencode(
                    {"query": "SELECT ?p ?o WHERE { <https://w3id.org/kooperationsgraph/id/kooperation/trianel> ?p ?o }"})
                n, stop = [0], time.perf_counter() + 5
                lock = threading.Lock()

                def client(lookup: str = lookup, stop: float = stop, n: list[int] = n,
                           lock: threading.Lock = lock) -> None:
                    while time.perf_counter() < stop:
                        get(lookup)
                        with lock:
                            n[0] += 1

                threads = [threading.Thread(target=client) for _ in range(4)]
                for th in threads:
                    th.start()
                for th in threads:
                    th.join()
                print(f"\nsingle-entity lookup, 4 concurrent clients, 5 s: {n[0] / 5:.0f} requests/s")


if __name__ == "__main__":
    main()
