"""Command line: ``kooperationsgraph build | serve | query | stats | export | reason | validate | push | …``.

The top of the stack: it imports the rooms below (store, validation, web), never the other way round. The
command table is explicit: each module lists its commands in ``COMMANDS``. The only package that exits.
Exit codes: 0 ok, 1 findings (e.g. violations), 2 usage, parse or runtime errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..config import Settings
from ..errors import KooperationsgraphError
from . import build, changes, push, query, resilience, serve, sheets, validate
from .common import Command

#: Every command, in the order ``--help`` lists them.
COMMANDS: dict[str, Command] = {c.name: c for mod in (build, serve, query, validate, changes, sheets, resilience, push)
                                for c in mod.COMMANDS}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kooperationsgraph",
        description="Knowledge graph of Germany's cooperation landscape in supply crises.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--store", type=Path, help="path of the embedded store (default: var/store)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for c in COMMANDS.values():
        p = sub.add_parser(c.name, help=c.help, description=c.help)
        c.configure(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = Settings.from_env(store_path=args.store)
    try:
        return COMMANDS[args.command].run(args, settings)
    except KooperationsgraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
