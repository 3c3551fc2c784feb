"""Reading commands: ``query``, ``stats``, ``export`` (they work beside a running server: read-only)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..config import Settings
from ..errors import KooperationsgraphError
from ..output import compact, table
from .common import Command, open_backend


def _cfg_query(p: argparse.ArgumentParser) -> None:
    p.add_argument("sparql", nargs="?", help="SPARQL text, or a path to a .rq file (or - for stdin)")
    p.add_argument("--name", help="run a catalogue query by id (see queries/)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="catalogue query parameter (repeatable)")
    p.add_argument("--format", choices=["table", "csv", "tsv", "json", "turtle"], default="table")


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    if args.name:
        from ..catalogue import Catalogue

        cat = Catalogue.load(settings.queries_dir)
        params = dict(kv.split("=", 1) for kv in args.param if "=" in kv)
        bad = [kv for kv in args.param if "=" not in kv]
        if bad:
            raise KooperationsgraphError(f"--param expects NAME=VALUE, got {bad[0]!r}")
        q = cat.get(args.name)
        text, bindings = q.text, q.bindings(params)
    elif args.sparql is None:
        raise KooperationsgraphError("give a SPARQL query, a .rq file, - for stdin, or --name ID")
    elif args.sparql == "-":
        text = sys.stdin.read()
    elif _is_query_file(args.sparql):
        text = Path(args.sparql).read_text(encoding="utf-8")
    else:
        text = args.sparql
    if not args.name:
        bindings = {}
    res = open_backend(settings).query(text, bindings=bindings, timeout=settings.query_timeout, lane="user")
    if res.kind == "ask":
        print("true" if res.boolean else "false")
        return 0
    if res.kind == "graph":
        fmt = "text/turtle" if args.format in {"table", "turtle"} else "application/n-triples"
        sys.stdout.write(res.serialize(fmt).decode())
        return 0
    if args.format == "table":
        print(table(res.variables, [[compact(t) for t in row] for row in res.rows]))
        print(f"({len(res.rows)} rows)")
    elif args.format == "json":
        sys.stdout.write(res.serialize("application/sparql-results+json").decode() + "\n")
    else:
        media = "text/csv" if args.format == "csv" else "text/tab-separated-values"
        sys.stdout.write(res.serialize(media).decode())
    return 0


def _is_query_file(arg: str) -> bool:
    """A path to a query file (not query text): short enough to be a file name, and a file or ``*.rq``."""
    if "\n" in arg or len(arg) > 1024 or "{" in arg:
        return False
    try:
        return arg.endswith(".rq") or Path(arg).is_file()
    except OSError:  # e.g. a name component longer than the file system allows
        return False

def _cfg_stats(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["text", "json"], default="text")


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from ..stats import collect

    st = collect(open_backend(settings))
    if args.format == "json":
        print(json.dumps(st.as_dict(), ensure_ascii=False, indent=1, default=str))
        return 0
    print(f"Triples: {st.triples} in {st.graphs} named graphs")
    print(f"Kooperationen: {st.cooperations} (mit Quelle: {st.sourced_cooperations}); Akteure: {st.actors}; "
          f"Vereinbarungen: {st.agreements}; Rechtsnormen: {st.legal_norms}")
    print(f"Länder: {st.laender}; Kreise: {st.kreise}; Gemeinden: {st.gemeinden}\n")
    print(table(["Klasse", "Anzahl"], [[str(c.get("label", c["class"])), str(c["n"])] for c in st.classes]))
    print()
    print(table(["Sektor", "Kooperationen", "Akteure"],
                [[str(s.get("label", "")), str(s["kooperationen"]), str(s["akteure"])] for s in st.sectors]))
    print()
    print(table(["Land", "ARS", "Akteure", "Kooperationen"],
                [[str(r["label"]), str(r["ars"]), str(r["akteure"]), str(r["kooperationen"])]
                 for r in st.laender_table]))
    return 0

def _cfg_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["turtle", "ntriples", "jsonld", "trig", "nquads"], default="trig")
    p.add_argument("--graph", help="export one named graph (IRI); default: the whole dataset")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from rdflib import Dataset, Graph

    from ..namespaces import graph_iri_for
    from ..rdfio import export_graph, rdf_format

    backend = open_backend(settings)
    fmt = rdf_format(args.format)
    if args.graph:
        graph = args.graph if "://" in args.graph or args.graph.startswith("urn:") else graph_iri_for(args.graph)
        if graph not in backend.named_graphs():
            raise KooperationsgraphError(f"--graph: the store has no named graph <{graph}> "
                                         "(list them with `kooperationsgraph stats` or GET /.well-known/void)")
        data: bytes = export_graph(backend, graph, fmt)
    elif fmt.quads:
        data = backend.dump(fmt.media_type)
    else:
        ds = Dataset()
        ds.parse(data=backend.dump("application/n-quads"), format="nquads")
        g = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        data = g.serialize(format=fmt.rdflib_name).encode()
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


COMMANDS = [
    Command("query", "run a SPARQL query (text, file or catalogue id) against the store", _cfg_query, cmd_query),
    Command("stats", "triples, entities per class, per sector and per Land", _cfg_stats, cmd_stats),
    Command("export", "export the dataset (TriG/N-Quads) or one graph (Turtle/N-Triples/JSON-LD)", _cfg_export, cmd_export),
]
