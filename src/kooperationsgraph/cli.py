"""Command line: ``kooperationsgraph build | serve | query | stats | export | reason | …``.

The only module that exits. Exit codes: 0 ok, 1 findings (e.g. violations), 2 usage, parse or runtime errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .config import Settings
from .errors import KooperationsgraphError, QuerySyntaxError
from .output import compact, table

Handler = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {}


def command(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None]):
    """Register a sub-command (a table of names → handlers, not an if-chain)."""

    def deco(fn: Handler) -> Handler:
        COMMANDS[name] = (help_text, configure, fn)
        return fn

    return deco


def _store(settings: Settings):
    from .store import open_store

    return open_store(settings)


# ---------------------------------------------------------------------------------------------- build
def _cfg_build(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="rebuild even if no input changed")
    p.add_argument("--no-reason", action="store_true", help="skip the OWL reasoner (HermiT)")


@command("build", "build the embedded store from ontology/ + data/ (only when inputs changed)", _cfg_build)
def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from .store.build import build

    rep = build(settings, force=args.force, reason=False if args.no_reason else None)
    if not rep.rebuilt:
        print(f"store is up to date ({settings.store_dir}, fingerprint {rep.fingerprint[:12]})")
        return 0
    print(f"built {settings.store_dir}: {rep.triples} triples in {len(rep.graphs)} file graphs, "
          f"{rep.derived} derived, {rep.inferred} inferred, {rep.seconds:.1f} s")
    for note in rep.notes:
        print("  " + note)
    return 0


# ---------------------------------------------------------------------------------------------- serve
def _cfg_serve(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--threads", type=int, default=8, help="WSGI worker threads (concurrent readers)")
    p.add_argument("--write-token", help="enable SPARQL Update / Graph Store writes with this Bearer token "
                                         "(or set KG_WRITE_TOKEN)")
    p.add_argument("--endpoint", help="serve from a remote SPARQL endpoint instead of the embedded store")
    p.add_argument("--update-endpoint", help="SPARQL Update endpoint of the remote server")
    p.add_argument("--timeout", type=float, help="query timeout in seconds (default 30)")


@command("serve", "serve the web app and /sparql with a production WSGI server (waitress)", _cfg_serve)
def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import waitress

    from .web import create_app

    changes: dict[str, object] = {}
    if args.write_token:
        changes["write_token"] = args.write_token
    if args.endpoint:
        changes.update(backend="remote", endpoint=args.endpoint, update_endpoint=args.update_endpoint)
    if args.timeout:
        changes["query_timeout"] = args.timeout
    app = create_app(settings.with_(**changes) if changes else settings)
    print(f"kooperationsgraph {__version__} serving on http://{args.host}:{args.port}/", flush=True)
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="kooperationsgraph",
                   max_request_body_size=max(settings.max_upload_bytes, settings.max_query_length) * 2)
    return 0


# ---------------------------------------------------------------------------------------------- query
def _cfg_query(p: argparse.ArgumentParser) -> None:
    p.add_argument("sparql", nargs="?", help="SPARQL text, or a path to a .rq file (or - for stdin)")
    p.add_argument("--name", help="run a catalogue query by id (see queries/)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="catalogue query parameter (repeatable)")
    p.add_argument("--format", choices=["table", "csv", "tsv", "json", "turtle"], default="table")


@command("query", "run a SPARQL query (text, file or catalogue id) against the store", _cfg_query)
def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    from .namespaces import with_prefixes

    if args.name:
        from .catalogue import Catalogue

        cat = Catalogue.load(settings.queries_dir)
        params = dict(kv.split("=", 1) for kv in args.param if "=" in kv)
        bad = [kv for kv in args.param if "=" not in kv]
        if bad:
            raise KooperationsgraphError(f"--param expects NAME=VALUE, got {bad[0]!r}")
        text = cat.get(args.name).render(params)
    elif args.sparql is None:
        raise KooperationsgraphError("give a SPARQL query, a .rq file, - for stdin, or --name ID")
    elif args.sparql == "-":
        text = sys.stdin.read()
    elif args.sparql.endswith(".rq") or Path(args.sparql).is_file():
        text = Path(args.sparql).read_text(encoding="utf-8")
    else:
        text = args.sparql
    text, offset = with_prefixes(text)
    try:
        res = _store(settings).query(text, timeout=settings.query_timeout)
    except QuerySyntaxError as exc:
        if exc.line == 1 and exc.column is not None:
            raise QuerySyntaxError(exc.message, 1, max(1, exc.column - offset)) from None
        raise
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


# ---------------------------------------------------------------------------------------------- stats
def _cfg_stats(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["text", "json"], default="text")


@command("stats", "triples, entities per class, per sector and per Land", _cfg_stats)
def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from .stats import collect

    st = collect(_store(settings))
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


# ---------------------------------------------------------------------------------------------- export
def _cfg_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["turtle", "ntriples", "jsonld", "trig", "nquads"], default="trig")
    p.add_argument("--graph", help="export one named graph (IRI); default: the whole dataset")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")


@command("export", "export the dataset (TriG/N-Quads) or one graph (Turtle/N-Triples/JSON-LD)", _cfg_export)
def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from rdflib import Dataset, Graph

    from .rdfio import rdf_format

    backend = _store(settings)
    fmt = rdf_format(args.format)
    if args.graph:
        g = Graph()
        for t in backend.graph_triples(args.graph):
            g.add(t)
        data: bytes = g.serialize(format=fmt.rdflib_name).encode() if not fmt.quads else b""
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


# ---------------------------------------------------------------------------------------------- reason
def _cfg_reason(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", help="reason over these RDF files together with the ontology "
                                            "(default: the store) — e.g. an example to check for consistency")


@command("reason", "run HermiT (owlready2) and write inferred triples; report inconsistencies", _cfg_reason)
def cmd_reason(args: argparse.Namespace, settings: Settings) -> int:
    import pyoxigraph as ox

    from .namespaces import INFERRED_GRAPH, graph_iri_for
    from .rdfio import format_for_path, parse_quads
    from .reasoning import reason

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
        backend = _store(settings)
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


# ---------------------------------------------------------------------------------------------- main
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kooperationsgraph",
        description="Knowledge graph of Germany's cooperation landscape in supply crises.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--store", type=Path, help="path of the embedded store (default: var/store)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _load_plugins()
    for name, (help_text, configure, _) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        configure(p)
    return parser


def _load_plugins() -> None:
    """Commands living in their own modules register themselves on import."""
    import importlib

    for mod in ("kooperationsgraph.validation.cli", "kooperationsgraph.store.push", "kooperationsgraph.resilience.cli"):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod and not (exc.name and mod.startswith(exc.name)):
                raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = Settings.from_env(store_path=args.store)
    _, _, handler = COMMANDS[args.command]
    try:
        return handler(args, settings)
    except KooperationsgraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
