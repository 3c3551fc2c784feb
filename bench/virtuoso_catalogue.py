"""A built embedded store on Virtuoso (issue 15: where 10 M triples are too slow for the embedded store, what the
remote backend does): the store is dumped to N-Quads (every graph: ontology, data, derived, meta), bulk-loaded
into a Virtuoso started here (Debian's package, page cache raised for the size), and every catalogue query runs
through the remote backend's seam with its timeout.

    python bench/virtuoso_catalogue.py --store /tmp/run10m/run-10000000/store --workdir /tmp/virt10m --timeout 30

Prints the dump and load times, Virtuoso's peak memory and one Markdown table (query, seconds or "timeout",
rows). Not a test: no limit is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalogue import catalogue_table  # noqa: E402
from virtuoso import VirtuosoServer  # noqa: E402

from kooperationsgraph.config import Settings  # noqa: E402
from kooperationsgraph.store.remote import RemoteBackend  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def hwm_mib(pid: int) -> float:
    m = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(m.group(1)) / 1024 if m else float("nan")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--workdir", type=Path, required=True)
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--buffers", type=int, default=700_000, help="Virtuoso NumberOfBuffers (8 KiB pages)")
    args = p.parse_args(argv)
    data = args.workdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    dump = data / "store.nq"
    if not dump.exists():
        t = time.perf_counter()
        store = ox.Store.read_only(str(args.store))
        with dump.open("wb") as f:
            store.dump(f, format=ox.RdfFormat.N_QUADS)
        print(f"dump to N-Quads: {time.perf_counter() - t:.1f} s, {dump.stat().st_size / 2**20:.0f} MiB", flush=True)
    v = VirtuosoServer(args.workdir / "virtuoso", extra_dirs=(str(data),))
    ini = v.ini.read_text()
    ini = re.sub(r"NumberOfBuffers\s*=\s*\d+", f"NumberOfBuffers = {args.buffers}", ini)
    ini = re.sub(r"MaxDirtyBuffers\s*=\s*\d+", f"MaxDirtyBuffers = {args.buffers * 3 // 4}", ini)
    v.ini.write_text(ini)
    v.start()
    try:
        t = time.perf_counter()
        v.bulk_load(data, dump.name, "urn:bench:default")
        loaded = time.perf_counter() - t
        assert v.proc is not None
        print(f"Virtuoso bulk load: {loaded:.1f} s; load average {os.getloadavg()[0]:.1f}", flush=True)
        cfg = Settings(root=REPO, backend="remote", endpoint=v.endpoint, update_endpoint=v.update_endpoint,
                       graph_store_endpoint=v.graph_store, remote_user="dba", remote_password="dba",
                       query_timeout=args.timeout)
        print(flush=True)
        catalogue_table(RemoteBackend(cfg), args.timeout, args.runs)
        print(f"Virtuoso peak RSS {hwm_mib(v.proc.pid):.0f} MiB", flush=True)
    finally:
        v.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
