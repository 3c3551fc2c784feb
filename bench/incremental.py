"""Incremental validation benchmark (issue 13): one changed agreement of the synthetic landscape
(bench/generate.py) re-validated incrementally (only the focus nodes the change can reach, against the store plus
the change) and compared with a full re-validation of the store with the change applied; the bench asserts that
both give identical results.

Two changes per size: ``amount`` – an agreement's estimated contract value (kg:geschaetzterAuftragswert) raised
above the EU threshold (no derivation rule reads it); ``party`` – a party added to an agreement (derivation rules
read kg:partei, so the derived facts are recomputed too).

    python bench/incremental.py --sizes 100000 1000000 --runs 5

``--check affected`` compares with a re-validation of all targets of the affected shapes only (minutes instead
of the full run's quarter of an hour at 1 M on a loaded machine): it checks the focus-node selection and the
focused queries of those shapes, not that the other shapes are unaffected (the full check does).
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

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402
from rdflib import Literal, URIRef  # noqa: E402
from rdflib.namespace import XSD  # noqa: E402

from kooperationsgraph.config import Settings  # noqa: E402
from kooperationsgraph.namespaces import KG, graph_iri_for  # noqa: E402
from kooperationsgraph.store.embedded import EmbeddedBackend  # noqa: E402
from kooperationsgraph.store.terms import to_rdflib  # noqa: E402
from kooperationsgraph.validation.incremental import Mirror, result_key  # noqa: E402
from kooperationsgraph.validation.inputs import context_files, parse_file  # noqa: E402

DAY = date(2026, 11, 28)
DATA_GRAPH = "https://w3id.org/kooperationsgraph/graph/bench/landscape"


def backend_for(text: str, settings: Settings) -> EmbeddedBackend:
    store = ox.Store()
    for f in context_files(settings):
        store.extend(parse_file(f, graph_iri_for(f.relative_to(settings.root).as_posix())))
    store.load(text.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(DATA_GRAPH))
    return EmbeddedBackend(settings, store=store, path=Path(tempfile.mkdtemp(prefix="kg-bench-inc-")))


def changes_for(store: ox.Store) -> dict[str, tuple[list, list]]:
    amount = next(store.quads_for_pattern(None, ox.NamedNode(str(KG.geschaetzterAuftragswert)), None,
                                          ox.NamedNode(DATA_GRAPH)))
    s, p, o = (to_rdflib(amount.subject), to_rdflib(amount.predicate), to_rdflib(amount.object))
    bigger = Literal("5600000.0", datatype=XSD.decimal)
    party = next(store.quads_for_pattern(None, ox.NamedNode(str(KG.partei)), None, ox.NamedNode(DATA_GRAPH)))
    parties = {q.object for q in store.quads_for_pattern(party.subject, party.predicate, None, None)}
    other = next(q for q in store.quads_for_pattern(None, ox.NamedNode(str(KG.partei)), None, ox.NamedNode(DATA_GRAPH))
                 if q.object not in parties)
    return {
        "amount": ([(s, p, bigger, DATA_GRAPH)], [(s, p, o, DATA_GRAPH)]),
        "party": ([(to_rdflib(party.subject), URIRef(str(KG.partei)), to_rdflib(other.object), DATA_GRAPH)], []),
    }


def keys(results: list) -> set:
    return {result_key(r) for r in results}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--check", choices=["full", "affected"], default="full")
    args = p.parse_args(argv)
    settings = Settings.from_env()
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"pyoxigraph {ox.__version__}; load average {os.getloadavg()[0]:.1f}", flush=True)
    print(f"{'triples':>9}  {'change':<7} {'setup s':>8}  {'incr. median ms':>15}  {'runs ms':<28} {'full s':>7}  "
          f"{'foci':>5}  same", flush=True)
    for size in args.sizes:
        text, _ = generate(size, args.seed)
        t0 = time.perf_counter()
        backend = backend_for(text, settings)
        m = Mirror.from_backend(backend, settings, today=DAY)
        setup = time.perf_counter() - t0
        before = m.full() if args.check == "full" else []
        for name, (added, removed) in changes_for(m.store).items():
            runs = []
            for _ in range(args.runs):
                t = time.perf_counter()
                a = m.assess(added, removed)
                runs.append((time.perf_counter() - t) * 1000)
            if args.check == "affected":
                before = m.results({s: None for s in a.affected})
            kept = [r for r in before if str(r.shape) not in a.affected or (
                a.affected[str(r.shape)] is not None and str(r.focus) not in a.affected[str(r.shape)])]
            incremental = keys(kept) | keys(a.after)
            plus, minus = m.apply(added, removed)
            t = time.perf_counter()
            full = keys(m.full() if args.check == "full" else m.results({s: None for s in a.affected}))
            full_s = time.perf_counter() - t
            m.revert(plus, minus)
            assert incremental == full, f"{size} {name}: incremental results differ from the full re-validation"
            foci = sum(len(v) for v in a.affected.values() if v is not None)
            everything = sum(1 for v in a.affected.values() if v is None)
            whole = f"+{everything}" if everything else ""
            scope = "" if args.check == "full" else " (affected shapes)"
            print(f"{size:>9}  {name:<7} {setup:>8.1f}  {statistics.median(runs):>15.1f}  "
                  f"{' '.join(f'{x:.0f}' for x in runs):<28} {full_s:>7.2f}  {foci:>5}{whole}"
                  f"  yes{scope}  (load {os.getloadavg()[0]:.1f})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
