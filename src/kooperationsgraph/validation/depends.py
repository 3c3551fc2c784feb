"""What a shape (or derivation rule) depends on: an index from each shape to the predicates and classes its
targets and its SPARQL constraints read, how far from the focus node they reach, and whether the analysis
succeeded at all. :mod:`.incremental` uses it to find the focus nodes a change can affect.

A SPARQL text is analysed from rdflib's algebra (every triple pattern and property path, inside EXISTS and
sub-selects too). Per shape:

* ``predicates`` – IRIs in predicate position (paths unfolded: sequence, alternative, inverse, ``?``/``*``/``+``);
  ``None`` when a predicate is a variable or a negated path (any triple may matter);
* ``depth`` – the most hops a solution can lie from ``$this``: the sum of the pattern lengths; ``None`` when a
  ``*``/``+`` path makes it unbounded;
* ``local`` – whether every triple pattern is connected to ``$this`` through variables; a pattern that is not
  (e.g. a threshold read from a fixed node, or a comparison across two unrelated groups) makes the shape
  global: a change to one of its predicates re-validates every target of the shape;
* ``constants`` – IRIs in subject/object position (the BFS does not walk through them).

A shape that cannot be analysed (no SPARQL, a parse failure) is ``global`` with ``predicates = None``: every
change re-validates all its targets — the safe fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import RDF, RDFS, Graph, URIRef, Variable
from rdflib.namespace import SH
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from .fast import TARGETS, _prefixes, _shapes


@dataclass
class Pattern:
    """What one SPARQL text reads."""

    predicates: set[str] | None = field(default_factory=set)
    depth: int | None = 0
    local: bool = True
    constants: set[str] = field(default_factory=set)
    #: a variable in object position of two patterns: solutions may join through a literal value
    literal_joins: bool = False
    #: a variable in object position of rdf:type that also occurs elsewhere: joins may pass through a class
    class_joins: bool = False


@dataclass
class ShapeDeps:
    shape: str
    target_classes: set[str] = field(default_factory=set)
    target_nodes: set[str] = field(default_factory=set)
    target_predicates: set[str] = field(default_factory=set)  # targetSubjectsOf / targetObjectsOf
    pattern: Pattern = field(default_factory=Pattern)

    @property
    def analysed(self) -> bool:
        return self.pattern.predicates is not None

    def reads(self, predicate: str) -> bool:
        """Whether a triple with this predicate can change the shape's targets or results."""
        if predicate in self.target_predicates or predicate == str(RDFS.subClassOf):
            return True
        if predicate == str(RDF.type) and self.target_classes:
            return True
        preds = self.pattern.predicates
        return preds is None or predicate in preds


# ---------------------------------------------------------------------------------------------- SPARQL
def _path_info(p: object) -> tuple[set[str] | None, int | None]:
    """(predicates, length) of a predicate position: an IRI, a variable or a property path."""
    if isinstance(p, URIRef):
        return {str(p)}, 1
    if isinstance(p, Variable):
        return None, 1
    if isinstance(p, InvPath):
        return _path_info(p.arg)
    if isinstance(p, SequencePath):
        preds: set[str] | None = set()
        length: int | None = 0
        for a in p.args:
            ap, al = _path_info(a)
            preds = None if preds is None or ap is None else preds | ap
            length = None if length is None or al is None else length + al
        return preds, length
    if isinstance(p, AlternativePath):
        preds, length = set(), 0
        for a in p.args:
            ap, al = _path_info(a)
            preds = None if preds is None or ap is None else preds | ap
            length = None if length is None or al is None else max(length, al)
        return preds, length
    if isinstance(p, MulPath):
        ap, al = _path_info(p.path)
        return ap, (al if p.mod == "?" else None)
    if isinstance(p, NegatedPath):
        return None, 1
    if isinstance(p, Path):
        return None, None
    return None, None


def _triples(node: object, out: list[tuple[Node, object, Node]], seen: set[int]) -> None:
    """Every triple pattern anywhere in an algebra tree (BGPs, paths, EXISTS, sub-selects)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "triples" and isinstance(value, list):
                out.extend(tuple(t) for t in value if isinstance(t, (tuple, list)) and len(t) == 3)  # type: ignore[misc]
            else:
                _triples(value, out, seen)
    elif isinstance(node, (list, tuple)):
        for v in node:
            _triples(v, out, seen)


@lru_cache(maxsize=1024)
def analyse(text: str, anchor: str = "this", prefixes: tuple[tuple[str, str], ...] = ()) -> Pattern:
    """Analyse a SELECT/CONSTRUCT text; ``anchor`` is the variable results are about (``$this``)."""
    try:
        query = prepareQuery(text.replace("$this", "?this"), initNs=dict(prefixes))
    except Exception:  # noqa: BLE001 - cannot analyse: the caller falls back to full re-validation
        return Pattern(predicates=None, depth=None, local=False, literal_joins=True, class_joins=True)
    triples: list[tuple[Node, object, Node]] = []
    _triples(query.algebra, triples, set())
    out = Pattern()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    variables_of: list[list[str]] = []
    object_uses: dict[str, int] = {}
    uses: dict[str, int] = {}
    type_objects: set[str] = set()
    for s, p, o in triples:
        for t in (s, p, o):
            if isinstance(t, Variable):
                uses[str(t)] = uses.get(str(t), 0) + 1
        if isinstance(o, Variable):
            object_uses[str(o)] = object_uses.get(str(o), 0) + 1
            if p == RDF.type or (isinstance(p, Path) and str(RDF.type) in str(p)):
                type_objects.add(str(o))
        preds, length = _path_info(p)
        out.predicates = None if out.predicates is None or preds is None else out.predicates | preds
        out.depth = None if out.depth is None or length is None else out.depth + length
        names = [str(t) for t in (s, o) if isinstance(t, Variable)]
        if isinstance(p, Variable):
            names.append(str(p))
        for t in (s, o):
            if isinstance(t, URIRef):
                out.constants.add(str(t))
        variables_of.append(names)
        for a in names[1:]:
            parent[find(a)] = find(names[0])
    out.literal_joins = any(n > 1 for n in object_uses.values())
    out.class_joins = any(uses.get(v, 0) > 1 for v in type_objects)
    root = find(anchor)
    for names in variables_of:
        if not names or find(names[0]) != root:
            out.local = False  # a pattern not joined to the anchor through variables
    return out


# ---------------------------------------------------------------------------------------------- shapes
def shape_index(g: Graph) -> dict[str, ShapeDeps]:
    """Shape IRI → its dependencies, for every shape of the shapes graph."""
    out: dict[str, ShapeDeps] = {}
    for shape in sorted(s for s in _shapes(g) if isinstance(s, URIRef)):
        deps = ShapeDeps(str(shape))
        deps.target_classes = {str(c) for c in g.objects(shape, SH.targetClass)}
        deps.target_nodes = {str(n) for n in g.objects(shape, SH.targetNode)}
        deps.target_predicates = {str(p) for t in (SH.targetSubjectsOf, SH.targetObjectsOf) for p in g.objects(shape, t)}
        constraints = list(g.objects(shape, SH.sparql))
        if not constraints or any(p for p in g.predicates(shape, SH.path)) or any(g.objects(shape, SH.property)):
            deps.pattern = Pattern(predicates=None, depth=None, local=False)  # Core constraints: not analysed
        else:
            merged = Pattern()
            for c in constraints:
                prefixes: dict[str, str] = {}
                for pnode in g.objects(c, SH.prefixes):
                    prefixes.update(_prefixes(g, pnode))
                select = g.value(c, SH.select)
                part = analyse(str(select), "this", tuple(sorted(prefixes.items()))) if select is not None else \
                    Pattern(predicates=None, depth=None, local=False)
                merged.predicates = None if merged.predicates is None or part.predicates is None \
                    else merged.predicates | part.predicates
                merged.depth = None if merged.depth is None or part.depth is None else max(merged.depth, part.depth)
                merged.local = merged.local and part.local
                merged.constants |= part.constants
            deps.pattern = merged
        if not any(g.objects(shape, t) for t in TARGETS):
            deps.pattern = Pattern(predicates=set(), depth=0, local=True)  # never validated (no target)
        out[str(shape)] = deps
    return out


def rule_predicates(texts: list[str]) -> set[str] | None:
    """Predicates the derivation rules read (None: a rule reads any predicate)."""
    preds: set[str] | None = set()
    for text in texts:
        p = analyse(text, "x").predicates
        preds = None if preds is None or p is None else preds | p
    return preds
