"""``kooperationsgraph whatif`` and ``kooperationsgraph spof``: the resilience analysis on the command line."""

from __future__ import annotations

import argparse
import json
import sys

from rdflib import Graph

from ..config import Settings
from ..errors import KooperationsgraphError
from ..resilience.brokers import brokers, splitting_cooperations
from ..resilience.load import load_supply
from ..resilience.network import build_graphs
from ..resilience.rdf import spof_graph, whatif_graph
from ..resilience.render import spof_json, spof_text, whatif_json, whatif_text
from ..resilience.resolve import resolve_good, resolve_node
from ..resilience.spof import spof
from ..resilience.whatif import what_if
from .common import Command, open_backend


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--good", help="only this supply good (IRI, gut:strom, strom or its label)")
    p.add_argument("--land", help="only areas of this Land (2-digit ARS, e.g. 01)")
    p.add_argument("--format", choices=["text", "json", "turtle"], default="text")
    p.add_argument("--save", action="store_true", help="also write the findings into their own named graph")
    p.add_argument("--limit", type=int, default=15, help="rows per table in the text output")


def _cfg_whatif(p: argparse.ArgumentParser) -> None:
    p.add_argument("remove", nargs="+", metavar="REMOVE",
                   help="actor, cooperation, agreement or hospital operator: IRI, prefixed name or label")
    _common(p)


def _land(args: argparse.Namespace) -> str | None:
    if args.land is None:
        return None
    if not (len(args.land) >= 2 and args.land[:2].isdigit()):
        raise KooperationsgraphError(f"--land expects a Land ARS such as 01 or 16, got {args.land!r}")
    return args.land[:2]


def _emit(args: argparse.Namespace, settings: Settings, graph_iri: str, g: Graph, text: str, js: dict) -> None:
    if args.format == "json":
        print(json.dumps(dict(js, graph=graph_iri), ensure_ascii=False, indent=1))
    elif args.format == "turtle":
        sys.stdout.write(f"# named graph <{graph_iri}>\n" + g.serialize(format="turtle"))
    else:
        print(text)
    if args.save:
        open_backend(settings).replace_graph(graph_iri, list(g))
        print(f"saved {len(g)} triples to <{graph_iri}>", file=sys.stderr)


def cmd_whatif(args: argparse.Namespace, settings: Settings) -> int:
    data = load_supply(open_backend(settings))
    removed = [resolve_node(data, t) for t in args.remove]
    good = resolve_good(data, args.good) if args.good else None
    res = what_if(data, removed, build_graphs(data), good, _land(args))
    iri, g = whatif_graph(data, res)
    _emit(args, settings, iri, g, whatif_text(data, res, args.limit), whatif_json(data, res))
    return 0


def _cfg_spof(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--brokers", type=int, default=10, help="how many brokers to list (betweenness)")


def cmd_spof(args: argparse.Namespace, settings: Settings) -> int:
    data = load_supply(open_backend(settings))
    good = resolve_good(data, args.good) if args.good else None
    per_good = spof(data, build_graphs(data), good, _land(args))
    top = brokers(data, args.brokers) if args.brokers else []
    splits = splitting_cooperations(data)
    iri, g = spof_graph(data, per_good)
    _emit(args, settings, iri, g, spof_text(data, per_good, top, splits, args.limit),
          spof_json(data, per_good, top, splits))
    return 0


COMMANDS = [
    Command("whatif", "what-if: who loses supply when actors, cooperations or agreements fail", _cfg_whatif,
            cmd_whatif),
    Command("spof", "single points of failure per good (dominator tree), brokers, splitting cooperations", _cfg_spof,
            cmd_spof),
]
