"""Commands that build the embedded store: ``build`` and ``reason``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..config import Settings
from ..errors import KooperationsgraphError
from .common import Command, open_backend


def _cfg_build(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="rebuild even if no input changed")
    p.add_argument("--no-reason", action="store_true", help="skip the OWL reasoner (HermiT)")


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from ..store.build import build

    rep = build(settings, force=args.force, reason=False if args.no_reason else None)
    if not rep.rebuilt:
        print(f"store is up to date ({settings.store_dir}, fingerprint {rep.fingerprint[:12]})")
        return 0
    print(f"built {settings.store_dir}: {rep.triples} triples in {len(rep.graphs)} file graphs, "
          f"{rep.derived} derived, {rep.inferred} inferred, {rep.seconds:.1f} s")
    for note in rep.notes:
        print("  " + note)
    for rel, earlier in sorted(rep.repeats.items()):
        where = ", ".join(f"{n} from {e}" for e, n in sorted(earlier.items()))
        print(f"  {rel} repeats triples of an earlier file, kept there only: {where}")
    return 0

def _cfg_reason(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", help="reason over these RDF files together with the ontology "
                                            "(default: the store) — e.g. an example to check for consistency")


def cmd_reason(args: argparse.Namespace, settings: Settings) -> int:
    import pyoxigraph as ox

    from ..namespaces import INFERRED_GRAPH, graph_iri_for
    from ..rdfio import format_for_path, parse_quads
    from ..reasoning import reason

    if args.files:
        store = ox.Store()
        for f in [settings.ontology_dir / "kooperationsgraph.ttl", *map(Path, args.files)]:
            fmt = format_for_path(f)
            if fmt is None:
                raise KooperationsgraphError(f"{f}: unknown RDF file type")
            store.extend(parse_quads(None, fmt, str(f), path=f, graph=graph_iri_for(str(f))))
        res = reason(store)
        target = None
    else:
        backend = open_backend(settings)
        store = backend.store  # type: ignore[attr-defined]
        res = reason(store)
        target = backend
    if not res.consistent:
        print("INCONSISTENT:")
        for line in res.explanation:
            print("  " + line)
        return 1
    print(f"consistent; {len(res.inferred)} inferred class assertions")
    if target is not None:
        from rdflib import URIRef

        target.replace_graph(INFERRED_GRAPH, [(URIRef(s), URIRef(p), URIRef(o)) for s, p, o in res.inferred])
        print(f"written to <{INFERRED_GRAPH}>")
    return 0


COMMANDS = [
    Command("build", "build the embedded store from ontology/ + data/ (only when inputs changed)", _cfg_build, cmd_build),
    Command("reason", "run HermiT (owlready2) and write inferred triples; report inconsistencies", _cfg_reason, cmd_reason),
]
