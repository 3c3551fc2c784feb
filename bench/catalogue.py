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
from kooperationsgraph.store.base import Backend
from kooperationsgraph.store.embedded import EmbeddedBackend

REPO = Path(__file__).resolve().parents[1]


def catalogue_table(backend: Backend, timeout: float, runs: int) -> int:
    """Time every catalogue query through ``backend``'s seam and print one table row each; returns how many
    answered in under 1 s. A timeout or an engine error is printed in its row; the other queries still run."""
    queries = list(Catalogue.load(REPO / "queries"))
    print("| query | median s | rows | ÷ 1 s target |\n|---|---:|---:|---|", flush=True)
    met = 0
    for q in queries:
        times: list[float] = []
        rows: int | str = "–"
        error = ""
        for _ in range(runs):
            t = time.perf_counter()
            try:
                res = backend.query(q.text, bindings=q.bindings(), lane="user", timeout=timeout)
                rows = len(list(res)) if hasattr(res, "__iter__") else 1
            except QueryTimeout:
                error = f"timeout (> {timeout:.0f})"
                break
            except Exception as exc:  # noqa: BLE001 - reported in the table
                error = f"error: {str(exc)[:80]}"
                break
            times.append(time.perf_counter() - t)
        if error:
            line = f"| {q.id} | {error} | – | **not met** |"
        else:
            med = statistics.median(times)
            met += med < 1
            line = f"| {q.id} | {med:.2f} | {rows} | {'met' if med < 1 else '**not met**'} |"
        print(line, f"(load {os.getloadavg()[0]:.1f})", flush=True)
    print(f"\n{met} of {len(queries)} under 1 s", flush=True)
    return met


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--root", type=Path, default=REPO)
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--runs", type=int, default=1)
    args = p.parse_args(argv)
    settings = Settings(root=args.root, store_path=args.store, query_timeout=args.timeout)
    t0 = time.perf_counter()
    backend = EmbeddedBackend(settings)
    opened = time.perf_counter() - t0
    print(f"store {args.store} opened in {opened:.1f} s; timeout {args.timeout:.0f} s; medians of {args.runs}; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n", flush=True)
    catalogue_table(backend, args.timeout, args.runs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
