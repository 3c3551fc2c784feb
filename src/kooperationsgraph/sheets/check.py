"""Validation of an import with the project's engine (:mod:`..validation.engine`): the same pipeline as
``kooperationsgraph validate`` (context, lexical checks, derivation rules, fast or reference engine), run once,
each result worded in German and in English."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import cast

from rdflib import Graph
from rdflib.term import Node

from ..config import Settings
from ..validation.engine import Options, choose_engine, rulebook_for
from ..validation.engines.pyshacl import run_pyshacl
from ..validation.findings import to_finding
from ..validation.inputs import as_rdflib_graph, prepare
from ..validation.messages import Labels
from ..validation.report import Finding


class Triples:
    """Triples handed to the validation pipeline as they are (it reads ``data.triples((None, None, None))``);
    building an rdflib graph first only to be read once cost a third of an import's validation time."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self._triples = list(dict.fromkeys(triples))

    def triples(self, _pattern: object) -> Iterator[tuple[Node, Node, Node]]:
        return iter(self._triples)


def validate_both(data: Graph | Triples, settings: Settings) -> list[tuple[Finding, Finding]]:
    """Every result for ``data`` (with the project's context) as (German, English) findings."""
    prep = prepare(settings, data=cast(Graph, data))
    book = rulebook_for(settings, Options())
    engine = choose_engine("auto", book, None)
    if engine == "fast":
        from ..validation.fast import run_fast

        raw = run_fast(prep.store, book, None, None, where="workbook")
        labels = Labels.from_store(prep.store)
    else:
        graph = as_rdflib_graph(prep.store)
        raw = run_pyshacl(graph, book, None, None, where="workbook")
        labels = Labels.from_graph(graph)
    return [(to_finding(r, book, labels, "de"), to_finding(r, book, labels, "en")) for r in raw]
