"""Derivation rules (``ontology/rules/*.rq``, CONSTRUCT queries) evaluated to a fixpoint, semi-naively: a rule
runs again only when a rule that ran after it added a triple with a predicate it reads (``rdf:type`` counted
per class where the pattern names one; "added" means the triples actually added). Every run happens at the
same place in the same round as in the naive schedule (every rule, every round); the runs left out are
exactly those whose input did not change, which would add nothing. So the derived graph is the same, triple
for triple.

What a rule reads comes from its algebra (rdflib's SPARQL parser): the predicates of its triple patterns,
property paths included, in the WHERE clause (EXISTS and sub-selects too). A variable or negated predicate, or
a pattern of unexpected shape, means "any": such a rule runs every round, as before.

A rule whose file has the line ``# derive: closed under its own output`` is not re-run for its own additions
alone (rules that ran after it still re-trigger it). That holds for a closure such as ``rdfs-typen`` (``?x a
?class . ?class rdfs:subClassOf+ ?super`` gives ``?x a ?super``): a type it adds has only superclasses the
first run already reached, so its re-run would add nothing; tests/test_derive.py compares with the naive
schedule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, URIRef
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.paths import Path as RdfPath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ..namespaces import DERIVED_GRAPH

#: The naive schedule's bound on rounds, kept so results stay identical (the project's rules settle in two).
MAX_ROUNDS = 5
TYPE = ox.NamedNode(str(RDF.type))
#: The marker line of a rule whose own output never gives it new results (see the module text).
CLOSED_MARK = "# derive: closed under its own output"
#: (predicate IRI, class IRI of an rdf:type pattern with a constant class, else None)
Key = tuple[str, str | None]


class _Any(Exception):
    """A pattern whose predicate is a variable (or a negated path): it reads or writes anything."""


@dataclass(frozen=True)
class Rule:
    name: str
    text: str
    reads: frozenset[Key] | None  # None: any predicate
    closed: bool = False  # re-running it on its own output alone adds nothing

    def affected_by(self, written: set[Key]) -> bool:
        if self.reads is None:
            return True
        return any(_overlap(r, w) for r in self.reads for w in written)


def _overlap(a: Key, b: Key) -> bool:
    return a[0] == b[0] and (a[1] is None or b[1] is None or a[1] == b[1])


def _path_predicates(p: RdfPath) -> Iterable[str]:
    if isinstance(p, URIRef):
        yield str(p)
    elif isinstance(p, MulPath):
        yield from _path_predicates(p.path)
    elif isinstance(p, InvPath):
        yield from _path_predicates(p.arg)
    elif isinstance(p, (SequencePath, AlternativePath)):
        for a in p.args:
            yield from _path_predicates(a)
    else:  # NegatedPath or a variable: anything but (or any of) the named predicates
        raise _Any


def _keys(triples: Iterable[tuple[object, object, object]]) -> set[Key]:
    out: set[Key] = set()
    for _s, p, o in triples:
        if isinstance(p, URIRef):
            out.add((str(p), str(o) if p == RDF.type and isinstance(o, URIRef) else None))
        elif isinstance(p, RdfPath) and not isinstance(p, NegatedPath):
            out.update((pred, None) for pred in _path_predicates(p))
        else:
            raise _Any
    return out


def _pattern_triples(node: object) -> Iterable[tuple[object, object, object]]:
    """Triple patterns anywhere in an algebra expression (BGPs, filters with EXISTS, sub-selects)."""
    if isinstance(node, CompValue):
        for triple in dict.get(node, "triples") or []:  # BGP, and TriplesBlock inside EXISTS (left untranslated)
            if len(triple) != 3:
                raise _Any  # an unexpected shape: read as "any", never as "nothing"
            yield tuple(triple)
        for key, value in dict.items(node):
            if key == "triples":
                continue
            yield from _pattern_triples(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _pattern_triples(item)


@lru_cache(maxsize=256)
def analyse(name: str, text: str) -> Rule:
    """What the rule reads; cached per text. The parser (pyparsing) keeps exceptions whose tracebacks hold
    the calling frames alive until the next garbage collection, so :func:`load_rules` runs before a store is
    opened (:func:`..build.build`): no frame that holds an on-disk store (and its lock) is kept."""
    algebra = prepareQuery(text).algebra
    try:
        reads: frozenset[Key] | None = frozenset(_keys(_pattern_triples(dict.get(algebra, "p"))))
    except _Any:
        reads = None
    return Rule(name, text, reads, is_closed(text))


def is_closed(text: str) -> bool:
    """Whether the rule's text carries the mark :data:`CLOSED_MARK` (see the module doc)."""
    return any(line.strip() == CLOSED_MARK for line in text.splitlines())


def load_rules(paths: list[Path]) -> list[Rule]:
    return [analyse(p.name, p.read_text()) for p in paths]


def run_rule(store: ox.Store, rule: Rule, target: ox.NamedNode, bulk: bool = False) -> tuple[int, set[Key]]:
    """Insert into ``target`` what the rule constructs and no graph holds yet; returns how many triples and
    their keys. Results are streamed; only the new quads are kept until they are written in one batch."""
    fresh: set[ox.Quad] = set()
    exists = store.quads_for_pattern
    for s, p, o in store.query(rule.text, use_default_graph_as_union=True):  # type: ignore[misc]
        if next(exists(s, p, o, None), None) is None:
            fresh.add(ox.Quad(s, p, o, target))
    if not fresh:
        return 0, set()
    (store.bulk_extend if bulk else store.extend)(fresh)
    keys = {(q.predicate.value, q.object.value if q.predicate == TYPE and isinstance(q.object, ox.NamedNode) else None)
            for q in fresh}
    return len(fresh), keys


def derive(store: ox.Store, rules: list[Rule], *, bulk: bool = False, trace: list | None = None) -> int:
    """Apply the rules to a fixpoint (at most MAX_ROUNDS rounds); returns the number of derived triples.
    ``bulk``: write with the store's bulk writer (only for a store nobody else reads while it is built).
    ``trace`` collects (round, rule, added) for every run, for tests and the bench."""
    target = ox.NamedNode(DERIVED_GRAPH)
    dirty = [True] * len(rules)
    total = 0
    for round_no in range(MAX_ROUNDS):
        for i, rule in enumerate(rules):
            if not dirty[i]:
                continue
            dirty[i] = False
            added, keys = run_rule(store, rule, target, bulk)
            if trace is not None:
                trace.append((round_no, rule.name, added))
            if added:
                total += added
                for j, other in enumerate(rules):
                    if (j != i or not rule.closed) and other.affected_by(keys):
                        dirty[j] = True
        if not any(dirty):
            break
    return total
