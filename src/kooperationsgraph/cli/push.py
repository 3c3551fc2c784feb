"""``push``: load the built store into a remote SPARQL server (chunked, idempotent)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ..config import Settings
from ..errors import KooperationsgraphError
from ..store.push import Progress, push_store
from ..store.remote import CHUNK_TRIPLES, UPDATE_CHUNK_TRIPLES, RemoteBackend
from .common import Command


def open_devnull() -> TextIO:
    import os

    return open(os.devnull, "w")  # noqa: SIM115 - lives as long as the progress object


def remote_settings(settings: Settings, args: argparse.Namespace) -> Settings:
    endpoint = args.endpoint or settings.endpoint
    if not endpoint:
        raise KooperationsgraphError("push needs --endpoint URL (or KG_ENDPOINT)")
    return settings.with_(
        backend="remote",
        endpoint=endpoint,
        update_endpoint=args.update_endpoint or settings.update_endpoint,
        graph_store_endpoint=args.graph_store or settings.graph_store_endpoint,
        remote_user=args.user or settings.remote_user,
        remote_password=args.password if args.password is not None else settings.remote_password,
    )


def _cfg_push(p: argparse.ArgumentParser) -> None:
    p.add_argument("--endpoint", help="SPARQL query endpoint, e.g. http://localhost:8890/sparql")
    p.add_argument("--update-endpoint", help="SPARQL Update endpoint (Virtuoso: …/sparql-auth); "
                                             "default: the query endpoint")
    p.add_argument("--graph-store", help="Graph Store Protocol endpoint for the bulk upload "
                                         "(Virtuoso: …/sparql-graph-crud-auth); default: SPARQL Update")
    p.add_argument("--user", help="user for the update / Graph Store endpoint (or KG_REMOTE_USER)")
    p.add_argument("--password", help="password (prefer KG_REMOTE_PASSWORD: command lines are visible)")
    p.add_argument("--chunk", type=int, help=f"triples per request (default {CHUNK_TRIPLES} with --graph-store, "
                                              f"{UPDATE_CHUNK_TRIPLES} with SPARQL Update)")
    p.add_argument("--no-build", action="store_true", help="push the store as it is, without `build` first")
    p.add_argument("--no-reason", action="store_true", help="build without the OWL reasoner")


def cmd_push(args: argparse.Namespace, settings: Settings) -> int:
    from ..store.build import build
    from ..store.embedded import EmbeddedBackend

    remote_cfg = remote_settings(settings, args)
    if not args.no_build:
        rep = build(settings, reason=False if args.no_reason else None)
        if rep.rebuilt:
            print(f"built {settings.store_dir}: {rep.triples} triples", file=sys.stderr)
    local = EmbeddedBackend(settings)
    remote = RemoteBackend(remote_cfg)
    report = push_store(local.store, remote, progress=Progress(len(local.store)), chunk_size=args.chunk)
    print(f"pushed {report.triples} triples in {len(report.graphs)} graphs to {remote.public_endpoint} "
          f"({report.seconds:.1f} s); version {remote.version()}")
    for g in report.dropped:
        print(f"  dropped stale graph <{g}>")
    return 0


COMMANDS = [Command("push", "load ontology, data, derived and inferred graphs into a remote SPARQL server",
                    _cfg_push, cmd_push)]
