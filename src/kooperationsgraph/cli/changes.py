"""``kooperationsgraph changes list|show ID|accept ID|reject ID|submit FILE``: the review of change sets on the
embedded store (a running server holds the store: review in its web UI at /aenderungen instead). ``submit``
stages an RDF file as a change set (``--remove FILE`` for removals); exit code 1 when the guard refuses it
(new Violations; with ``--strict`` new Warnings too), printing exactly what is new."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rdflib import Graph

from ..config import Settings
from ..errors import KooperationsgraphError
from .common import Command, open_backend


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = sub.add_parser("list", help="change sets, newest first")
    ls.add_argument("--status", choices=["pending", "accepted", "rejected"])
    ls.add_argument("--format", choices=["text", "json"], default="text")
    show = sub.add_parser("show", help="one change set with its added and removed triples")
    show.add_argument("id")
    show.add_argument("--format", choices=["text", "json"], default="text")
    for name, what in (("accept", "apply a pending change set atomically"), ("reject", "reject a pending change set")):
        a = sub.add_parser(name, help=what)
        a.add_argument("id")
        a.add_argument("--reason", default="", help="why (recorded in the history graph)")
        a.add_argument("--reviewer", default="cli", help="name recorded as reviewer (default: cli)")
        a.add_argument("--lang", choices=["de", "en"], default="de")
    s = sub.add_parser("submit", help="stage an RDF file as a change set (guarded)")
    s.add_argument("file", type=Path, help="triples to add (Turtle, N-Triples, …)")
    s.add_argument("--remove", type=Path, help="triples to remove")
    s.add_argument("--graph", help="named graph the triples go into (default: the contributions graph)")
    s.add_argument("--author", default="cli")
    s.add_argument("--reason", default="")
    s.add_argument("--strict", action="store_true", help="new Warnings refuse the change too")
    s.add_argument("--lang", choices=["de", "en"], default="de")
    s.add_argument("--format", choices=["text", "json"], default="text")


def _load(path: Path, settings: Settings) -> Graph:
    from ..rdfio import format_for_path
    from ..store.terms import to_rdflib
    from ..untrusted import ParseLimits, parse_untrusted

    fmt = format_for_path(path)
    if fmt is None:
        raise KooperationsgraphError(f"{path}: not an RDF file")
    g = Graph()
    for q in parse_untrusted(path.read_bytes(), fmt, str(path), limits=ParseLimits.for_files(settings),
                             base_iri=path.resolve().as_uri()):
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))  # type: ignore[arg-type]
    return g


def cmd_changes(args: argparse.Namespace, settings: Settings) -> int:
    from .. import changes

    backend = open_backend(settings)
    if args.action == "list":
        items = changes.list_changes(backend, args.status)
        if args.format == "json":
            print(json.dumps([c.as_json() for c in items], ensure_ascii=False, indent=1))
        else:
            for c in items:
                print(f"{c.id}  {c.status:<8}  {c.created}  {c.author:<14}  {c.source:<13}  {c.reason}")
            if not items:
                print("no change sets")
        return 0
    if args.action == "show":
        cs = changes.get_change(backend, args.id)
        if cs is None:
            raise KooperationsgraphError(f"no change set {args.id!r}")
        if args.format == "json":
            out = cs.as_json()
            out["addedTriples"] = [[t.n3() for t in q[:3]] + [q[3]] for q in cs.added]
            out["removedTriples"] = [[t.n3() for t in q[:3]] + [q[3]] for q in cs.removed]
            print(json.dumps(out, ensure_ascii=False, indent=1))
            return 0
        print(f"change set {cs.id} ({cs.status}) by {cs.author} at {cs.created} via {cs.source}: {cs.reason}")
        if cs.reviewer:
            print(f"reviewed by {cs.reviewer} at {cs.reviewed}: {cs.review_reason or ''}")
        for sign, quads in (("+", cs.added), ("-", cs.removed)):
            for s, p, o, g in quads:
                print(f"{sign} {s.n3()} {p.n3()} {o.n3()}" + (f"  [{g}]" if g else ""))
        return 0
    if args.action in {"accept", "reject"}:
        try:
            if args.action == "accept":
                cs = changes.accept(backend, settings, args.id, args.reviewer, args.reason)
            else:
                cs = changes.reject(backend, settings, args.id, args.reviewer, args.reason)
        except changes.ChangeRefused as exc:
            print(exc.result.report_text(args.lang), end="")
            return 1
        print(f"{cs.id}: {cs.status} (store version {backend.version()})")
        return 0
    added = _load(args.file, settings)
    removed = _load(args.remove, settings) if args.remove else Graph()
    result = changes.submit(backend, settings, added, removed, args.author, args.reason, args.strict, graph=args.graph,
                            source="api")
    if args.format == "json":
        print(json.dumps(result.as_json(args.lang), ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(result.report_text(args.lang))
    return 1 if result.refused else 0


COMMANDS = [Command("changes", "review change sets: list, show, accept, reject (and submit a file)", configure,
                    cmd_changes)]
