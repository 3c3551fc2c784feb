"""``kooperationsgraph template`` and ``kooperationsgraph import``: the contribution workbook generated from the
shapes, and its import with every problem at its cell. Exit codes of ``import``: 0 importable (and, without
``--dry-run``, submitted as a change set), 1 unreadable cells or Violations (Warnings too with ``--strict``),
2 usage or unreadable file."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from ..config import Settings
from ..errors import KooperationsgraphError
from .common import Command, open_backend

FORMATS = ("xlsx", "csv")


def configure_template(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="xlsx",
                   help="xlsx (one workbook) or csv (a .zip with one CSV file per sheet)")
    p.add_argument("-o", "--output", type=Path, help="file to write (default: vorlage.xlsx / vorlage.zip)")
    p.add_argument("--with-data", action="store_true", help="fill the sheets with the store's entities")


def cmd_template(args: argparse.Namespace, settings: Settings) -> int:
    from ..sheets.model import load_profile
    from ..sheets.template import export_rows, write_csv_zip, write_xlsx

    profile = load_profile(settings)
    rows = export_rows(profile, open_backend(settings)) if args.with_data else None
    data = write_xlsx(profile, rows) if args.format == "xlsx" else write_csv_zip(profile, rows)
    out = args.output or Path("vorlage.xlsx" if args.format == "xlsx" else "vorlage.zip")
    out.write_bytes(data)
    count = sum(len(r) for r in (rows or {}).values())
    print(f"wrote {out} ({len(profile.sheets)} sheets{f', {count} rows' if rows else ''})", file=sys.stderr)
    return 0


def configure_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE", help=".xlsx workbook, .zip of CSV files, or one sheet as .csv")
    p.add_argument("--dry-run", action="store_true", help="read, map and validate only; write nothing")
    p.add_argument("--strict", action="store_true", help="Warnings block too")
    p.add_argument("--lang", choices=["de", "en"], default="de")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--author", default=None, help="who submits the change set (default: the login name)")
    p.add_argument("--reason", default="", help="why (stored with the change set)")


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from ..sheets.importer import import_file

    path: Path = args.file
    if not path.is_file():
        raise KooperationsgraphError(f"{path}: no such file")
    backend = open_backend(settings)
    result = import_file(path.read_bytes(), path.name, settings, backend)
    out = result.to_json() + "\n" if args.format == "json" else result.to_text(args.lang)
    sys.stdout.write(out)
    if result.fails(strict=args.strict):
        return 1
    if args.dry_run or result.unchanged:
        return 0
    from ..changes import submit

    added, removed = result.graphs()
    outcome = submit(backend, settings, added, removed, args.author or getpass.getuser(),
                     args.reason or f"import {path.name}", strict=args.strict, source="import")
    if outcome.refused:
        print("Der Änderungssatz wurde abgelehnt – neue Befunde:" if args.lang == "de" else
              "The change set was refused – new findings:", file=sys.stderr)
        sys.stderr.write(outcome.report(args.lang, blocking_only=True).to_text())
        return 1
    if outcome.empty:
        print("keine Änderung" if args.lang == "de" else "no change", file=sys.stderr)
        return 0
    print((f"Änderungssatz {outcome.change_id} wartet auf Prüfung (kooperationsgraph changes show {outcome.change_id})"
           if args.lang == "de" else
           f"change set {outcome.change_id} waits for review (kooperationsgraph changes show {outcome.change_id})"),
          file=sys.stderr)
    return 0


COMMANDS = [
    Command("template", "write the contribution workbook generated from the shapes (xlsx or csv)", configure_template,
            cmd_template),
    Command("import", "import a filled workbook: rows → RDF, validated, problems at their cells", configure_import,
            cmd_import),
]
