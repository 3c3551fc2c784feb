"""Every catalogue query against a built store, through the store seam with its timeout (issue 15: each under
1 s; at 10 M triples, whether they complete at all). A query over the timeout is reported as such, not waited
for: the seam stops it, as it would for a researcher.

    python bench/catalogue.py --store /tmp/run10m/run-10000000/store --root /tmp/run10m/run-10000000/root \
        --timeout 60 --runs 1

Prints one Markdown table: query, median seconds (or "timeout"), rows, against the 1 s target.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from kooperationsgraph.catalogue import Catalogue
from kooperationsgraph.config import Settings
from kooperationsgraph.errors import QueryTimeout
from kooperationsgraph.store.embedded import EmbeddedBackend


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--runs", type=int, default=1)
    args = p.parse_args(argv)
    settings = Settings(root=args.root, store_path=args.store, query_timeout=args.timeout)
    t0 = time.perf_counter()
    backend = EmbeddedBackend(settings)
    opened = time.perf_counter() - t0
    queries = list(Catalogue.load(Path(__file__).resolve().parents[1] / "queries"))
    lines = [f"store {args.store} opened in {opened:.1f} s; timeout {args.timeout:.0f} s; medians of {args.runs}; "
             f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", "",
             "| query | median s | rows | ÷ 1 s target |", "|---|---:|---:|---|"]
    print("\n".join(lines), flush=True)
    met = 0
    for q in queries:
        times: list[float] = []
        rows: int | str = "–"
        for _ in range(args.runs):
            t = time.perf_counter()
            try:
                res = backend.query(q.text, bindings=q.bindings(), lane="user", timeout=args.timeout)
                rows = len(list(res)) if hasattr(res, "__iter__") else 1
            except QueryTimeout:
                times = []
                break
            times.append(time.perf_counter() - t)
        if not times:
            line = f"| {q.id} | timeout (> {args.timeout:.0f}) | – | **not met** |"
        else:
            med = statistics.median(times)
            met += med < 1
            line = f"| {q.id} | {med:.2f} | {rows} | {'met' if med < 1 else '**not met**'} |"
        print(line, f"(load {os.getloadavg()[0]:.1f})", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{met} of {len(queries)} under 1 s; peak RSS {peak:.0f} MiB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
