"""``kooperationsgraph validate``: check files, folders, one store graph or the whole store against the
compliance and data-quality rules. Exit codes: 0 no Violation (Warnings fail only with ``--strict``),
1 Violations, 2 usage or parse errors (with file:line:column)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..config import Settings
from ..errors import KooperationsgraphError
from ..validation.engine import ENGINES, Options, validate_files, validate_store
from ..validation.report import Report
from .common import Command

#: Output formats by name → renderer (a table, not an if-chain).
FORMATS: dict[str, Callable[[Report, bool], str]] = {
    "text": lambda r, verbose: r.to_text(verbose=verbose),
    "json": lambda r, verbose: r.to_json() + "\n",
    "turtle": lambda r, verbose: r.to_turtle(),
    "html": lambda r, verbose: r.to_html(),
}


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE_OR_FOLDER",
        help="RDF files or folders (every RDF file inside); default: the store's data",
    )
    p.add_argument("--graph", help="validate one named graph of the store (IRI or path like data/kooperationen/energie)")
    p.add_argument("--focus", help="only results for this node (IRI or prefixed name, e.g. akteur:stawag)")
    p.add_argument("--rules", help="regime prefixes or rule ids, comma-separated, e.g. DS,VG-1,ST")
    p.add_argument("--land", metavar="ARS", help="only nodes seated in or covering this unit (ARS, e.g. 05)")
    p.add_argument("--format", choices=sorted(FORMATS), default="text")
    p.add_argument("--lang", choices=["de", "en"], default="de", help="language of messages and hints")
    p.add_argument("--strict", action="store_true", help="Warnings fail too (exit 1)")
    p.add_argument("--verbose", action="store_true", help="show SHACL terms (shape, path, value) in the text report")
    p.add_argument("--save", action="store_true", help="store the report in the store as a named graph")
    p.add_argument(
        "--diff",
        action="store_true",
        help="show results new / fixed / still open since the last saved report",
    )
    p.add_argument(
        "--engine",
        choices=ENGINES,
        default="auto",
        help="pyshacl (the reference), fast (each SPARQL constraint compiled to one query on Oxigraph; "
        "same results, proven by tests) or auto (fast where the shapes allow it, else pyshacl)",
    )
    p.add_argument("--stichtag", type=_iso_date, metavar="YYYY-MM-DD", help="reference date (default: today)")
    p.add_argument(
        "--shapes",
        type=Path,
        metavar="FILE",
        help="validate against these shapes instead of the project's (data as given: no context, no rules)",
    )
    p.add_argument("--no-norms", action="store_true", help="do not load legal norms and thresholds (data/recht/)")


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    if args.files and args.graph:
        raise KooperationsgraphError("give either files or --graph, not both")
    opts = Options(
        rules=args.rules,
        focus=args.focus,
        land=args.land,
        lang=args.lang,
        engine=args.engine,
        shapes=args.shapes,
        norms=not args.no_norms,
        today=args.stichtag,
    )
    backend = None
    if args.files:
        report = validate_files(list(args.files), settings, opts)
    else:
        from ..store import open_store

        backend = open_store(settings)
        report = validate_store(backend, settings, opts, graph=args.graph)
    out = FORMATS[args.format](report, args.verbose)
    if args.save or args.diff:
        out = _history(args, settings, report, backend, out)
    sys.stdout.write(out)
    return 1 if report.fails(strict=args.strict) else 0


def _history(args: argparse.Namespace, settings: Settings, report: Report, backend, out: str) -> str:
    from ..validation import history

    if backend is None:
        from ..store import open_store

        backend = open_store(settings)
    saved = history.save(backend, report) if args.save else None
    d = history.diff(backend, report) if args.diff else None
    if args.format == "json":
        obj = report.as_json()
        if d is not None:
            obj["diff"] = d.as_json()
        return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"
    if args.format != "text":
        if saved:
            print(f"saved <{saved}>", file=sys.stderr)
        return out
    extra = ""
    if d is not None:
        extra += "\n" + history.render_diff_text(d, report.lang)
    if saved:
        extra += ("\nGespeichert als " if report.lang == "de" else "\nSaved as ") + f"<{saved}>\n"
    return out + extra


COMMANDS = [Command("validate", "check data against the DSGVO, Vergaberecht, Kartellrecht and data-quality rules",
                    configure, cmd_validate)]
