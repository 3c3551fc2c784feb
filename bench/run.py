"""Benchmarks of the store engines side by side on the same synthetic landscape (bench/generate.py) plus the
real ontology and data: load/build time, every catalogue query per engine, validation embedded vs remote, and
peak memory. Prints one table per measurement (medians of ``--runs``, ratios) and writes bench/RESULTS.md.

Engines:
  embedded direct       pyoxigraph store on disk, ``Store.query`` (the engine alone)
  embedded /sparql      the app's /sparql on the embedded backend (Flask test client; when present)
  rdflib memory         rdflib ``Graph`` in memory (skipped above ``--rdflib-max`` triples: minutes per query)
  Virtuoso direct       HTTP POST to Virtuoso's /sparql with the same dataset parameters the app sends
  Virtuoso via app      the app's /sparql on the remote backend (or ``RemoteBackend.query_serialized``)

    python bench/run.py --sizes 100000 1000000 --runs 5
    python bench/run.py --embedded-only --sizes 100000 1000000 --runs 3   # issue 15 targets, no Virtuoso
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from generate import generate  # noqa: E402

from kooperationsgraph.config import Settings  # noqa: E402
from kooperationsgraph.namespaces import sparql_prologue  # noqa: E402

P = sparql_prologue()
BENCH_QUERIES: dict[str, str] = {
    "3hop-group-having": P + """SELECT ?kreis (COUNT(DISTINCT ?k) AS ?n) WHERE {
  ?m kg:kooperation ?k ; kg:mitglied ?a . ?a kg:sitz ?g . ?g kg:teilVon ?kreis .
} GROUP BY ?kreis HAVING (COUNT(DISTINCT ?k) > 1) ORDER BY DESC(?n) ?kreis""",
    "path-group": P + """SELECT ?land (COUNT(DISTINCT ?v) AS ?n) WHERE {
  ?v kg:partei ?a . ?a kg:sitz/kg:teilVon/kg:teilVon ?land .
} GROUP BY ?land ORDER BY ?land""",
    "partners-top20": P + """SELECT ?a (COUNT(DISTINCT ?b) AS ?partner) WHERE {
  ?v kg:partei ?a, ?b FILTER(?a != ?b) } GROUP BY ?a ORDER BY DESC(?partner) ?a LIMIT 20""",
}

KG_NS = "https://w3id.org/kooperationsgraph/ontology#"
#: App queries that the app never sends without these variables bound (web/listing.py binds the class ``?c`` and,
#: for the facets, the property ``?prop``): timed with the bindings the cooperation list sends; unbound they list
#: every typed resource of the store with every property (minutes at 1 M), which no page asks for.
APP_BINDINGS: dict[str, dict[str, str]] = {
    "app:liste-instanzen": {"c": KG_NS + "Kooperation"},
    "app:liste-facette": {"c": KG_NS + "Kooperation", "prop": KG_NS + "sektor"},
}


def bound(name: str, text: str) -> str:
    """The query as the app's embedded pool runs it with the bindings of APP_BINDINGS: neither variable is in the
    projection, so the pool puts them into a VALUES block (store/pool.py, sparql.terms.bind_values)."""
    from rdflib import URIRef

    from kooperationsgraph.sparql.terms import bind_values

    values = APP_BINDINGS.get(name)
    return bind_values(text, {k: URIRef(v) for k, v in values.items()}) if values else text


def catalogue_queries(settings: Settings) -> dict[str, str]:
    """The app's catalogue queries (with their example parameters) plus the statistics queries."""
    from kooperationsgraph.catalogue import APP_QUERIES, parse_header

    out = {"app:" + p.stem: parse_header(p).text for p in sorted(APP_QUERIES.glob("*.rq"))}
    try:
        from kooperationsgraph.catalogue import Catalogue
    except ImportError:
        return out
    try:
        qdir = settings.queries_dir if settings.queries_dir.is_dir() else ROOT / "queries"  # the bench root has none
        for q in Catalogue.load(qdir):
            try:  # every parameter at its default, bound by the gate's VALUES helper
                out["cat:" + q.id] = q.render()
            except Exception:  # noqa: BLE001,S112 - a query we cannot fill in is left out of the benchmark
                continue
    except Exception as exc:  # noqa: BLE001
        print(f"catalogue not usable: {exc}", file=sys.stderr)
    return out


# ------------------------------------------------------------------------------------------------ helpers
def median_time(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up (caches, JIT of query plans)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def proc_hwm_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_root(tmp: Path, landscape: Path) -> Path:
    """A project root with the real ontology/ and data/ plus the landscape as data/bench/landscape.ttl."""
    root = tmp / "root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(ROOT / "ontology", root / "ontology")  # copies: build does not follow symlinked folders
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("examples"))
    (root / "data" / "bench").mkdir(parents=True)
    os.link(landscape, root / "data" / "bench" / "landscape.ttl")
    return root


# ------------------------------------------------------------------------------------------------ workers
def worker_build(root: str, store: str) -> dict[str, float]:
    from kooperationsgraph.store.build import build

    t0 = time.perf_counter()
    rep = build(Settings(root=Path(root), store_path=Path(store)), reason=False, force=True)
    return {"seconds": time.perf_counter() - t0, "triples": rep.triples, "peak_mib": peak_rss_mib()}


def worker_rdflib(root: str, queries_json: str, runs: int) -> dict[str, object]:
    from rdflib import Graph

    from kooperationsgraph.rdfio import format_for_path
    from kooperationsgraph.store.build import input_files

    t0 = time.perf_counter()
    g = Graph()
    for f in input_files(Settings(root=Path(root))):
        fmt = format_for_path(f.path)
        g.parse(f.path, format=fmt.rdflib_name if fmt else "turtle")
    load = time.perf_counter() - t0
    queries = json.loads(Path(queries_json).read_text())
    times = {name: median_time(lambda q=q: list(g.query(q)), runs) for name, q in queries.items()}
    return {"seconds": load, "triples": len(g), "queries": times, "peak_mib": peak_rss_mib()}


def run_worker(*args: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "_worker", *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------------ one size
def bench_size(n: int, runs: int, rdflib_max: int, validate_max: int, workdir: Path) -> dict[str, object]:
    from virtuoso import VirtuosoServer

    from kooperationsgraph.store.embedded import EmbeddedBackend, forget_store
    from kooperationsgraph.store.push import push_store
    from kooperationsgraph.store.remote import RemoteBackend

    res: dict[str, object] = {"size": n}
    data_dir = workdir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    landscape = data_dir / f"landscape-{n}.ttl"
    if not landscape.exists():
        text, _ = generate(n, 1)
        landscape.write_text(text, encoding="utf-8")
    root = bench_root(workdir / f"run-{n}", landscape)
    store = workdir / f"run-{n}" / "store"
    settings = Settings(root=root, store_path=store)
    queries = {**catalogue_queries(settings), **BENCH_QUERIES}
    qfile = workdir / f"run-{n}" / "queries.json"
    qfile.write_text(json.dumps(queries))

    print(f"[{n}] build (embedded) …", file=sys.stderr, flush=True)
    res["build"] = run_worker("build", str(root), str(store))
    if n <= rdflib_max:
        print(f"[{n}] rdflib memory: load and queries …", file=sys.stderr, flush=True)
        res["rdflib"] = run_worker("rdflib", str(root), str(qfile), str(runs))

    forget_store(store)
    local = EmbeddedBackend(settings)
    res["triples"] = len(local.store)
    v = VirtuosoServer(workdir / f"virtuoso-{n}", extra_dirs=(str(data_dir),))
    v.start()
    try:
        print(f"[{n}] Virtuoso bulk load …", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        v.bulk_load(data_dir, landscape.name, "urn:bench:bulk")
        res["virtuoso_bulk"] = {"seconds": time.perf_counter() - t0}
        v.isql("SPARQL CLEAR GRAPH <urn:bench:bulk>; checkpoint;")
        cfg = settings.with_(backend="remote", endpoint=v.endpoint, update_endpoint=v.update_endpoint,
                             graph_store_endpoint=v.graph_store, remote_user="dba", remote_password="dba",
                             query_timeout=600.0)
        remote = RemoteBackend(cfg)
        print(f"[{n}] push (Graph Store Protocol) …", file=sys.stderr, flush=True)
        rep = push_store(local.store, remote)
        v.isql("checkpoint;")
        res["push"] = {"seconds": rep.seconds, "triples": rep.triples}
        res["queries"] = query_table(queries, local, remote, settings, cfg, runs)
        (workdir / f"partial-{n}.json").write_text(json.dumps(res, indent=1, default=str))
        if n <= validate_max:
            try:
                res["validation"] = validation_table(local, remote, settings)
            except Exception as exc:  # noqa: BLE001 - report it, keep the other figures
                res["validation"] = {"error": str(exc)[:300]}
        assert v.proc is not None
        res["virtuoso_peak_mib"] = proc_hwm_mib(v.proc.pid)
    finally:
        v.stop()
    res["main_peak_mib"] = peak_rss_mib()
    return res


def query_table(queries: dict[str, str], local, remote, settings: Settings, cfg: Settings,
                runs: int) -> dict[str, dict[str, float | None]]:
    from kooperationsgraph.web import create_app

    app_local = create_app(settings, {"TESTING": True})
    app_remote = create_app(cfg, {"TESTING": True})
    has_sparql = any(r.rule == "/sparql" for r in app_local.url_map.iter_rules())
    cl, cr = app_local.test_client(), app_remote.test_client()
    accept = {"Accept": "application/sparql-results+json"}
    from kooperationsgraph.store.remote import has_transitive_path, order_outside

    def virtuoso_direct(q: str) -> bytes:
        """The same request the backend sends (dataset parameters, rewrites), without the app around it."""
        dataset = remote._query_dataset(q, None, None) or ([], [])
        q = order_outside(q) if has_transitive_path(q) else q
        params = [("query", q)] + [("default-graph-uri", g) for g in dataset[0]] + [
            ("named-graph-uri", g) for g in dataset[1]]
        req = urllib.request.Request(remote.endpoint, data=urllib.parse.urlencode(params).encode(),
                                     headers={**accept, "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(req, timeout=600) as resp:
            return resp.read()

    def via_app(client, q: str) -> bytes:
        r = client.post("/sparql", data={"query": q}, headers=accept)
        if r.status_code != 200:
            raise RuntimeError(f"/sparql answered {r.status_code}: {r.data[:300]!r}")
        return r.data

    out: dict[str, dict[str, float | None]] = {}
    for name, q in queries.items():
        print(f"  query {name} …", file=sys.stderr, flush=True)
        row: dict[str, float | None] = {}
        row["embedded direct"] = median_time(lambda q=q: list(local.store.query(q, use_default_graph_as_union=True)),
                                             runs)
        row["embedded /sparql"] = median_time(lambda q=q: via_app(cl, q), runs) if has_sparql else None
        row["Virtuoso direct"] = median_time(lambda q=q: virtuoso_direct(q), runs)
        if has_sparql:
            row["Virtuoso via app"] = median_time(lambda q=q: via_app(cr, q), runs)
        else:
            row["Virtuoso via app"] = median_time(
                lambda q=q: remote.query_serialized(q, "application/sparql-results+json"), runs)
        out[name] = row
    return out


def validation_table(local, remote, settings: Settings) -> dict[str, object]:
    try:
        from kooperationsgraph.validation.engine import Options, validate_store
    except ImportError:
        return {}
    from datetime import date

    opts = Options(today=date(2026, 11, 28))
    out: dict[str, object] = {}
    reports = {}
    for name, backend in (("embedded", local), ("remote", remote)):
        t0 = time.perf_counter()
        reports[name] = validate_store(backend, settings, opts)
        out[name] = time.perf_counter() - t0

    def key(rep) -> list[tuple[str, ...]]:
        return sorted((str(f.rule), str(f.focus), str(getattr(f, "path", "")), str(getattr(f, "value", "")))
                      for f in rep.findings)

    out["findings"] = len(reports["embedded"].findings)
    out["identical"] = key(reports["embedded"]) == key(reports["remote"])
    return out


def embedded_size(n: int, runs: int, workdir: Path, builds: int | None = None,
                  only: list[str] | None = None) -> str:  # issue 15: build vs 15 s, each query vs 1 s
    """Build ``builds`` times (default ``runs``; 0: reuse the store already in ``workdir``), then time every query
    (``only``: those whose name contains one of the strings). Each query's line goes to stderr as it is done."""
    from kooperationsgraph.store.embedded import EmbeddedBackend, forget_store
    (workdir / "data").mkdir(parents=True, exist_ok=True)
    if not (landscape := workdir / "data" / f"landscape-{n}.ttl").exists():
        landscape.write_text(generate(n, 1)[0], encoding="utf-8")
    store = workdir / f"run-{n}" / "store"
    builds = runs if builds is None else builds
    root = bench_root(workdir / f"run-{n}", landscape) if builds or not store.exists() else workdir / f"run-{n}" / "root"
    settings = Settings(root=root, store_path=store)
    lines = []
    if builds or not store.exists():
        done = [run_worker("build", str(root), str(store)) for _ in range(max(builds, 1))]
        med = statistics.median(secs := sorted(b["seconds"] for b in done))
        phases = json.loads((store / "BUILD.json").read_text()).get("phases", {})
        lines = [f"build (no reasoner): median {fmt_s(med)} of {' '.join(fmt_s(x) for x in secs)}; target 15 s: "
                 f"{med / 15:.2f}× ({'met' if med < 15 else 'not met'}); peak RSS {done[0]['peak_mib']:.0f} MiB; "
                 f"phases of the last build: {', '.join(f'{k} {v:.1f} s' for k, v in phases.items())}; "
                 f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", ""]
        print(lines[0], file=sys.stderr, flush=True)
    forget_store(store)
    local = EmbeddedBackend(settings)
    lines = [f"### {n:,} landscape triples, medians of {runs} ({len(local.store):,} in the store)", "", *lines,
             "| query | median | ÷ 1 s target | |", "|---|---:|---:|---|"]
    for name, q in {**catalogue_queries(settings), **BENCH_QUERIES}.items():
        if only and not any(o in name for o in only):
            continue
        if name in APP_BINDINGS:
            q = bound(name, q)
            print(f"  {name}: bound as the app binds it: "
                  f"{', '.join(f'?{k} = {v}' for k, v in APP_BINDINGS[name].items())}", file=sys.stderr, flush=True)
        t = median_time(lambda q=q: [*r] if hasattr(r := local.store.query(q, use_default_graph_as_union=True),
                                                     "__iter__") else r, runs)  # ASK: QueryBoolean
        shown = name + "".join(f" (?{k} = {v.rsplit('#', 1)[-1]})" for k, v in APP_BINDINGS.get(name, {}).items())
        lines.append(f"| {shown} | {fmt_s(t)} | {t:.2f}× | {'met' if t < 1 else '**not met**'} |")
        print(lines[-1], f"(load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------------ tables
def fmt_s(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


def tables(results: list[dict[str, object]]) -> str:
    lines: list[str] = []
    lines += ["## Load / build", "",
              "| triples | kooperationsgraph build (embedded, no reasoner) | rdflib memory parse | "
              "Virtuoso bulk load (landscape file) | push to Virtuoso (GSP) |",
              "|---:|---:|---:|---:|---:|"]
    for r in results:
        rd = r.get("rdflib") or {}
        lines.append(f"| {r['triples']:,} | {fmt_s(r['build']['seconds'])} | {fmt_s(rd.get('seconds'))} | "
                     f"{fmt_s(r['virtuoso_bulk']['seconds'])} | {fmt_s(r['push']['seconds'])} |")
    for r in results:
        rd = r.get("rdflib") or {}
        lines += ["", f"## Catalogue queries at {r['triples']:,} triples (median)", "",
                  "| query | embedded direct | embedded /sparql | ratio | rdflib memory | Virtuoso direct | "
                  "Virtuoso via app | ratio |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for name, row in r["queries"].items():
            ed, es, vd, va = (row["embedded direct"], row["embedded /sparql"], row["Virtuoso direct"],
                              row["Virtuoso via app"])
            rq = (rd.get("queries") or {}).get(name)
            ratio1 = f"{es / ed:.2f}×" if es and ed else "–"
            ratio2 = f"{va / vd:.2f}×" if va and vd else "–"
            lines.append(f"| {name} | {fmt_s(ed)} | {fmt_s(es)} | {ratio1} | {fmt_s(rq)} | {fmt_s(vd)} | "
                         f"{fmt_s(va)} | {ratio2} |")
    lines += ["", "## Validation (validate_store, engine auto)", "",
              "| triples | embedded | remote (Virtuoso) | findings | identical |", "|---:|---:|---:|---:|---|"]
    for r in results:
        val = r.get("validation") or {}
        if "error" in val:
            lines.append(f"| {r['triples']:,} | failed: {val['error']} | | | |")
        elif val:
            lines.append(f"| {r['triples']:,} | {fmt_s(val['embedded'])} | {fmt_s(val['remote'])} | "
                         f"{val['findings']} | {val['identical']} |")
    lines += ["", "## Peak memory (resident set, MiB)", "",
              "| triples | embedded build | rdflib memory | Virtuoso server | bench process (embedded queries, "
              "app, clients) |", "|---:|---:|---:|---:|---:|"]
    for r in results:
        rd = r.get("rdflib") or {}
        rdm = f"{rd['peak_mib']:.0f}" if rd else "–"
        lines.append(f"| {r['triples']:,} | {r['build']['peak_mib']:.0f} | {rdm} | "
                     f"{r['virtuoso_peak_mib']:.0f} | {r['main_peak_mib']:.0f} |")
    return "\n".join(lines) + "\n"


def machine() -> str:
    import pyoxigraph
    import rdflib

    virt = subprocess.run(["virtuoso-t", "-?"] if shutil.which("virtuoso-t") else ["true"], capture_output=True, text=True)
    vline = next((ln for ln in (virt.stdout + virt.stderr).splitlines() if ln.startswith("Version")), "?")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.node()}: {os.cpu_count()} CPUs, {mem:.0f} GiB RAM, {platform.platform()}; "
            f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}, "
            f"Virtuoso {vline.removeprefix('Version ')}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_worker":
        kind, *rest = argv[1:]
        out = worker_build(*rest) if kind == "build" else worker_rdflib(rest[0], rest[1], int(rest[2]))
        print(json.dumps(out))
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--rdflib-max", type=int, default=100_000, help="largest size rdflib memory is run at")
    p.add_argument("--validate-max", type=int, default=1_000_000, help="largest size validation is run at")
    p.add_argument("--workdir", type=Path, help="keep generated data and stores here (default: a temp dir)")
    p.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    p.add_argument("--embedded-only", action="store_true", help="issue 15 targets only: build and embedded queries")
    p.add_argument("--builds", type=int, help="with --embedded-only: builds to time (default --runs; 0: reuse the store)")
    p.add_argument("--only", nargs="+", help="with --embedded-only: only the queries whose name contains one of these")
    args = p.parse_args(argv)
    if args.embedded_only:
        tmp = args.workdir.resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="kg-bench-"))
        print("\n".join(embedded_size(n, args.runs, tmp, args.builds, args.only)
                         for n in args.sizes) + f"\nMachine: {machine()}")
        return 0
    if shutil.which("virtuoso-t") is None:
        print("virtuoso-t missing: run `make system-deps`", file=sys.stderr)
        return 2
    tmp = args.workdir.resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="kg-bench-"))
    results = []
    for n in args.sizes:
        results.append(bench_size(n, args.runs, args.rdflib_max, args.validate_max, tmp))
        (tmp / "results.json").write_text(json.dumps(results, indent=1, default=str))
    text = tables(results)
    print(text)
    header = (f"# Benchmark results\n\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC — `python bench/run.py --sizes "
              f"{' '.join(map(str, args.sizes))} --runs {args.runs}`\n\nMachine: {machine()}\n\n")
    args.results.write_text(header + text, encoding="utf-8")
    if not args.workdir:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
