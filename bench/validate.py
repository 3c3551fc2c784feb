"""Validation benchmark: synthetic landscapes (bench/generate.py) of growing size, validated by

* ``pyshacl-plain`` — pySHACL on a plain rdflib graph of the whole prepared data (data + context + derived
  facts), as one would call it without this project's engine;
* ``engine-pyshacl`` — ``kooperationsgraph validate --engine pyshacl`` (pySHACL; SPARQL parsed once);
* ``engine-fast`` — ``kooperationsgraph validate --engine fast`` (constraints compiled to Oxigraph queries).

Prints a table: triples, engine, seconds, results, and whether the results equal the fast engine's.

    python bench/validate.py --sizes 10000 100000 --plain-max 10000
"""

from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--plain-max", type=int, default=10_000, help="largest size for pyshacl-plain (it is slow)")
    p.add_argument("--pyshacl-max", type=int, default=100_000, help="largest size for engine-pyshacl")
    p.add_argument("--workdir", type=Path, help="where generated files go (default: a temp dir)")
    args = p.parse_args(argv)
    settings = Settings.from_env()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'triples':>9}  {'engine':<15} {'seconds':>9}  {'results':>7}  same as fast", flush=True)
    for size in args.sizes:
        text, _expected = generate(size, args.seed)
        path = work / f"landscape-{size}.ttl"
        path.write_text(text, encoding="utf-8")
        secs, fast = run_engine(path, settings, "fast")
        print(f"{size:>9}  {'engine-fast':<15} {secs:>9.2f}  {len(fast):>7}  –", flush=True)
        if size <= args.pyshacl_max:
            secs, ref = run_engine(path, settings, "pyshacl")
            same = "yes" if ref == fast else "NO"
            print(f"{size:>9}  {'engine-pyshacl':<15} {secs:>9.2f}  {len(ref):>7}  {same}", flush=True)
        if size <= args.plain_max:
            secs, n = plain_pyshacl(path, settings)
            same = "yes (count)" if n == len(fast) else "NO"
            print(f"{size:>9}  {'pyshacl-plain':<15} {secs:>9.2f}  {n:>7}  {same}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
