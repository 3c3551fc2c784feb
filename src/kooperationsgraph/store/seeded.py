"""Seeded re-derivation: after a small change, recompute a derivation rule's output only where the change can
alter it, instead of deleting and re-running the rule over the whole store.

A rule whose file carries the line ``# derive: seeded by ?a ?b …`` claims: *a solution of its WHERE clause can
appear or vanish through a change only if it binds one of these variables to a term of a changed triple* (true
when every triple pattern's subject and object are among the seeds, and the rule reads nothing it derives).
Every seed must be bound by a mandatory triple pattern (not only inside OPTIONAL), since a seed is bound before
evaluation (pyoxigraph ``substitutions``); so must every variable of the CONSTRUCT template, which must be seeds.

Given the changed triples' terms ``nodes``:

1. before the change, ``old`` = what the rule constructs with some seed bound to one of the nodes;
2. after it, ``new`` = the same. A triple of ``new`` is added to the derived graph unless a graph holds it
   (an asserted copy replaces a derived one: the derived graph never repeats asserted triples, as in
   :func:`.derive.run_rule`);
3. a triple of ``old`` that is not in ``new`` is removed unless the rule still constructs it from a solution
   the change did not touch (checked with the template's variables bound to the triple's terms).

The result equals deleting the rule's output and re-running it (tests/test_seeded.py compares both on random
changes); :mod:`..validation.incremental` uses it for the rules it may use it for (:func:`eligible`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Variable
from rdflib.plugins.sparql import prepareQuery

from ..namespaces import DERIVED_GRAPH
from .terms import to_ox

SEED_MARK = "# derive: seeded by"
#: Beyond this many changed terms the rule is re-run whole (each term costs a few bound queries).
MAX_NODES = 64
Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]
Slot = ox.NamedNode | ox.BlankNode | ox.Literal | str  # a str is a template variable's name


@dataclass(frozen=True)
class SeededRule:
    name: str
    text: str
    seeds: tuple[str, ...]
    template: tuple[tuple[Slot, Slot, Slot], ...]


def seeds_of(text: str) -> tuple[str, ...] | None:
    """The seed variables named by the rule's mark (None: no mark)."""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(SEED_MARK):
            names = tuple(w.lstrip("?$") for w in line[len(SEED_MARK):].split())
            return names or None
    return None


def _slot(term: object) -> Slot:
    return str(term) if isinstance(term, Variable) else to_ox(term)  # type: ignore[arg-type,return-value]


def seeded_rule(name: str, text: str) -> SeededRule | None:
    """The rule as a seeded rule, or None when it has no mark or its template breaks the mark's conditions."""
    seeds = seeds_of(text)
    if seeds is None:
        return None
    template = tuple((_slot(s), _slot(p), _slot(o)) for s, p, o in prepareQuery(text).algebra.template)
    variables = {x for t in template for x in t if isinstance(x, str)}
    body = " ".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    if any(not re.search(r"[?$]" + re.escape(v) + r"\b", body) for v in seeds):
        return None  # a seed the query does not have (pyoxigraph refuses to bind it)
    if not variables <= set(seeds) or any(not isinstance(t[1], ox.NamedNode) for t in template):
        return None
    return SeededRule(name, text, seeds, template)


def eligible(rules: list[tuple[str, str]], io: list[tuple[str, set[str] | None, set[str] | None]]) -> dict[str, SeededRule]:
    """The seeded rules (by name) no other rule feeds or shares an output with: given (name, text) and
    (name, reads, writes) per rule. Their output can be kept up to date on its own."""
    out: dict[str, SeededRule] = {}
    for name, text in rules:
        rule = seeded_rule(name, text)
        mine = next((r, w) for n, r, w in io if n == name)
        if rule is None or mine[0] is None or mine[1] is None:
            continue
        others = [w for n, _r, w in io if n != name]
        if any(w is None or w & (mine[0] | mine[1]) for w in others):
            continue
        out[name] = rule
    return out


def nodes_of(quads: Iterable[ox.Quad]) -> set[ox.NamedNode | ox.BlankNode | ox.Literal] | None:
    """The terms of the changed triples (None: too many for a seeded run)."""
    out: set[ox.NamedNode | ox.BlankNode | ox.Literal] = set()
    for q in quads:
        out.add(q.subject)  # type: ignore[arg-type]
        out.add(q.object)  # type: ignore[arg-type]
        if len(out) > MAX_NODES:
            return None
    return out


def _construct(store: ox.Store, rule: SeededRule, bound: dict[str, object]) -> set[Triple]:
    subs = {ox.Variable(k): v for k, v in bound.items()}
    return {(t.subject, t.predicate, t.object)  # type: ignore[misc]
            for t in store.query(rule.text, use_default_graph_as_union=True, substitutions=subs)}  # type: ignore[arg-type,union-attr]


def constructed(store: ox.Store, rule: SeededRule, nodes: Iterable[object]) -> set[Triple]:
    """What the rule constructs from the solutions that bind a seed to one of ``nodes``."""
    out: set[Triple] = set()
    for n in nodes:
        for seed in rule.seeds:
            out |= _construct(store, rule, {seed: n})
    return out


def _still_constructed(store: ox.Store, rule: SeededRule, t: Triple) -> bool:
    for pattern in rule.template:
        bound: dict[str, object] = {}
        ok = True
        for slot, term in zip(pattern, t, strict=True):
            if isinstance(slot, str):
                if bound.setdefault(slot, term) != term:
                    ok = False
            elif slot != term:
                ok = False
        if ok and t in _construct(store, rule, bound):
            return True
    return False


def update(store: ox.Store, rule: SeededRule, old: set[Triple],
           nodes: Iterable[object]) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """Bring the rule's derived triples up to date after a change (``old``: :func:`constructed` before it);
    returns the derived quads added and removed."""
    g = ox.NamedNode(DERIVED_GRAPH)
    new = constructed(store, rule, nodes)
    plus: list[ox.Quad] = []
    minus: list[ox.Quad] = []
    for s, p, o in sorted(new, key=str):
        q = ox.Quad(s, p, o, g)
        derived = q in store
        asserted = any(x.graph_name != g for x in store.quads_for_pattern(s, p, o, None))
        if derived and asserted:
            minus.append(q)
        elif not derived and not asserted:
            plus.append(q)
    for t in sorted(old - new, key=str):
        q = ox.Quad(*t, g)
        if q in store and not _still_constructed(store, rule, t):
            minus.append(q)
    for q in minus:
        store.remove(q)
    store.extend(plus)
    return plus, minus
