"""Validation benchmark: synthetic landscapes (bench/generate.py) of growing size, validated by

* ``pyshacl-plain`` — pySHACL on a plain rdflib graph of the whole prepared data (data + context + derived
  facts), as one would call it without this project's engine;
* ``engine-pyshacl`` — ``kooperationsgraph validate --engine pyshacl`` (pySHACL; SPARQL parsed once);
* ``engine-fast`` — ``kooperationsgraph validate --engine fast`` (constraints compiled to Oxigraph queries);
* ``bare queries`` — the fast engine's compiled constraint queries alone, run on the prepared store and
  iterated (no parsing, no derivations, no wording): the floor the full run is compared with.

Prints a table: triples, engine, median seconds of ``--runs``, results, whether the results equal the fast
engine's, and the ratio to the bare queries (target of issue 15: full validation ≤ 2× its bare queries), then
the phases of one fast run (parse, set-aside, derivations, constraint queries, wording) and the machine.

    python bench/validate.py --sizes 100000 1000000 --runs 3 --pyshacl-max 10000

With ``--store S --root R`` it validates a built store instead (``kooperationsgraph validate`` without files):
the whole store on a hard-linked scratch copy on disk, and, where it fits (``--memory-max-mb``), copied into
memory, each against its compiled constraint queries run bare on the same prepared data (the scratch copy or
the in-memory copy, after the set-aside and the reference date), with the peak memory of the process after each:

    python bench/validate.py --store W/run-1000000/store --root W/run-1000000/root --runs 3
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from kooperationsgraph.config import Settings  # noqa: E402
from kooperationsgraph.validation import Options, validate_files  # noqa: E402

DAY = date(2026, 11, 28)
TARGET_RATIO = 2.0


def keyset(findings) -> set[tuple[str, str, str, str, str]]:
    return {(f.rule, f.focus, f.path or "", f.value or "", f.message) for f in findings}


def plain_pyshacl(path: Path, settings: Settings) -> tuple[float, int]:
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH

    from kooperationsgraph.store.terms import to_rdflib
    from kooperationsgraph.validation.inputs import prepare
    from kooperationsgraph.validation.rules import project_rulebook

    t0 = time.perf_counter()
    prep = prepare(settings, files=[path], today=DAY)
    g = Graph()
    for q in prep.store.quads_for_pattern(None, None, None, None):
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))  # type: ignore[arg-type]
    _, results, _ = pyshacl.validate(g, shacl_graph=project_rulebook(settings.root).graph, advanced=True)
    n = sum(1 for rep in results.subjects(None, SH.ValidationReport) for _ in results.objects(rep, SH.result))
    return time.perf_counter() - t0, n


def run_engine(path: Path, settings: Settings, engine: str) -> tuple[float, set]:
    t0 = time.perf_counter()
    report = validate_files([path], settings, Options(engine=engine, today=DAY))
    return time.perf_counter() - t0, keyset(report.findings)


def phases(path: Path, settings: Settings) -> tuple[dict[str, float], float]:
    """One fast run split into its phases (the same calls validate_files makes); returns them and the time of
    the bare constraint queries on the prepared store."""

    from kooperationsgraph.untrusted import ParseLimits
    from kooperationsgraph.validation import inputs
    from kooperationsgraph.validation.fast import run_fast
    from kooperationsgraph.validation.findings import to_finding
    from kooperationsgraph.validation.messages import Labels
    from kooperationsgraph.validation.rules import project_rulebook

    out: dict[str, float] = {}
    real = {name: getattr(inputs, name) for name in ("load_file", "parse_file", "_set_aside", "derive_rules")}

    def timed(name: str):
        def call(*a, **k):
            t = time.perf_counter()
            try:
                return real[name](*a, **k)
            finally:
                out[name] = out.get(name, 0.0) + time.perf_counter() - t
        return call

    for name in real:
        setattr(inputs, name, timed(name))
    try:
        t0 = time.perf_counter()
        prep = inputs.prepare(settings, files=[path], limits=ParseLimits.for_files(settings), today=DAY)
        out["prepare (all)"] = time.perf_counter() - t0
    finally:
        for name, fn in real.items():
            setattr(inputs, name, fn)
    book = project_rulebook(settings.root)
    bare = bare_queries(prep.store, settings)
    t0 = time.perf_counter()
    raw = run_fast(prep.store, book, None, None)
    out["constraint queries + results (run_fast)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    labels = Labels.from_store(prep.store)
    for r in raw:
        to_finding(r, book, labels, "de")
    out["wording findings"] = time.perf_counter() - t0
    return out, bare


def bare_queries(store, settings: Settings) -> float:
    """The project's compiled constraint queries, run and iterated on ``store`` (no wording, no derivations)."""
    from rdflib import URIRef

    from kooperationsgraph.validation.fast import _shapes, compile_shape
    from kooperationsgraph.validation.rules import project_rulebook

    book = project_rulebook(settings.root)
    t0 = time.perf_counter()
    for shape in sorted(s for s in _shapes(book.graph) if isinstance(s, URIRef)):
        for comp in compile_shape(book.graph, shape):
            for _ in store.query(comp.query, use_default_graph_as_union=True):
                pass
    return time.perf_counter() - t0


def peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def store_table(store_path: Path, root: Path, runs: int, memory_max_mb: int) -> None:
    """Whole-store validation of a built store: scratch copy on disk, then (if it fits) copy in memory."""
    from kooperationsgraph.store import open_store
    from kooperationsgraph.store.scratch import disk_bytes, scratch_copy
    from kooperationsgraph.validation import validate_store
    from kooperationsgraph.validation.inputs import prepare

    settings = Settings.from_env(root=root, store_path=store_path)
    backend = open_store(settings)
    size_mb = disk_bytes(store_path) / 1e6
    quads = json_triples(store_path)
    print(f"store {store_path}: {quads:,} quads, table files {size_mb:,.0f} MB; target: full validation ≤ "
          f"{TARGET_RATIO:.0f}× its bare constraint queries on the same data; medians of {runs}")
    print("| copy | bare queries s | full validation s (median) | runs s | findings | same | ÷ bare | peak RSS MiB |")
    print("|---|---:|---:|---|---:|---|---:|---:|", flush=True)
    first = None
    for mode, limit in (("scratch (disk, hard links)", 0), ("memory", 10**9)):
        if limit and size_mb > memory_max_mb:
            print(f"| {mode} | – | not run: {size_mb:,.0f} MB of tables is above --memory-max-mb {memory_max_mb} | "
                  "| | | | |", flush=True)
            continue
        opts = Options(today=DAY)
        found, secs = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            report = validate_store(backend, settings.with_(validate_in_memory_max_mb=limit), opts)
            secs.append(time.perf_counter() - t0)
            found.append(keyset(report.findings))
        with scratch_copy(backend, above_bytes=limit * 1_000_000) as scratch:  # the data the full run validates
            prep = prepare(settings, backend=backend, today=DAY, scratch=scratch)
            bare = bare_queries(prep.store, settings)
            del prep
        first = found[0] if first is None else first
        med = statistics.median(secs)
        ok = "met" if med <= TARGET_RATIO * bare else "not met"
        print(f"| {mode} | {bare:.2f} | {med:.2f} | {' '.join(f'{x:.2f}' for x in secs)} | {len(found[0])} | "
              f"{'yes' if all(f == first for f in found) else 'NO'} | {med / bare:.2f}× ({ok}) | {peak_mib():,.0f} |",
              flush=True)
    backend.close()


def json_triples(store_path: Path) -> int:
    import json

    info = store_path / "BUILD.json"
    return int(json.loads(info.read_text()).get("triples", 0)) if info.exists() else 0


def machine() -> str:
    import pyoxigraph
    import pyshacl
    import rdflib

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.node()}: {os.cpu_count()} CPUs, {mem:.0f} GiB RAM, {platform.platform()}; Python "
            f"{platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}, pyshacl "
            f"{pyshacl.__version__}; load average at the end {load}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--runs", type=int, default=3, help="runs per engine and size (the table shows the median)")
    p.add_argument("--plain-max", type=int, default=10_000, help="largest size for pyshacl-plain (it is slow)")
    p.add_argument("--pyshacl-max", type=int, default=100_000, help="largest size for engine-pyshacl")
    p.add_argument("--workdir", type=Path, help="where generated files go (default: a temp dir)")
    p.add_argument("--store", type=Path, help="validate this built store instead of generated files")
    p.add_argument("--root", type=Path, help="with --store: the checkout (ontology/, data/) it was built from")
    p.add_argument("--memory-max-mb", type=int, default=2_000,
                   help="with --store: largest store (MB of table files) also validated as a copy in memory")
    args = p.parse_args(argv)
    if args.store:
        store_table(args.store, args.root or Path.cwd(), args.runs, args.memory_max_mb)
        print(f"\nMachine: {machine()}")
        return 0
    settings = Settings.from_env()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"target: full validation ≤ {TARGET_RATIO:.0f}× its bare constraint queries; medians of {args.runs}")
    print("| triples | engine | median s | runs s | results | same as fast | ÷ bare queries |")
    print("|---:|---|---:|---|---:|---|---:|", flush=True)
    detail = []
    for size in args.sizes:
        path = work / f"landscape-{size}.ttl"
        if not path.exists():
            text, _expected = generate(size, args.seed)
            path.write_text(text, encoding="utf-8")
        parts, bare = phases(path, settings)
        detail.append((size, parts, bare))
        runs = [run_engine(path, settings, "fast") for _ in range(args.runs)]
        fast = runs[0][1]
        secs = [r[0] for r in runs]
        med = statistics.median(secs)
        ok = "met" if med <= TARGET_RATIO * bare else "not met"
        print(f"| {size:,} | bare queries | {bare:.2f} | | | | 1.00× |")
        print(f"| {size:,} | engine-fast | {med:.2f} | {' '.join(f'{s:.2f}' for s in secs)} | {len(fast)} | "
              f"{'yes' if all(r[1] == fast for r in runs) else 'NO'} | {med / bare:.2f}× ({ok}) |", flush=True)
        if size <= args.pyshacl_max:
            s, ref = run_engine(path, settings, "pyshacl")
            print(f"| {size:,} | engine-pyshacl | {s:.2f} | (1 run) | {len(ref)} | {'yes' if ref == fast else 'NO'} | "
                  f"{s / bare:.1f}× |", flush=True)
        if size <= args.plain_max:
            s, n = plain_pyshacl(path, settings)
            print(f"| {size:,} | pyshacl-plain | {s:.2f} | (1 run) | {n} | {'yes (count)' if n == len(fast) else 'NO'} "
                  f"| {s / bare:.1f}× |", flush=True)
    print("\nPhases of one fast run (seconds):\n")
    for size, parts, bare in detail:
        print(f"{size:,}: " + ", ".join(f"{k} {v:.2f}" for k, v in parts.items()) + f", bare queries {bare:.2f}")
    print(f"\nMachine: {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
