"""What a shape (or derivation rule) depends on: an index from each shape to the predicates and classes its
targets and its SPARQL constraints read, how far from the focus node they reach, and whether the analysis
succeeded at all. :mod:`.incremental` uses it to find the focus nodes a change can affect.

A SPARQL text is analysed from rdflib's algebra (every triple pattern and property path, inside EXISTS and
sub-selects too). Per shape:

* ``predicates`` – IRIs in predicate position (paths unfolded: sequence, alternative, inverse, ``?``/``*``/``+``);
  ``None`` when a predicate is a variable or a negated path (any triple may matter);
* ``depth`` – the most hops a matched triple can lie from ``$this``: over the patterns, the shortest distance
  of their nearer end from ``$this`` (through variables) plus their length; ``None`` when a ``*``/``+`` path
  makes it unbounded;
* ``local_predicates`` / ``global_predicates`` – predicates of the patterns joined to ``$this`` through
  variables, and of those that are not (e.g. a threshold read from a fixed node, or a comparison across two
  unrelated groups): a change to a global predicate re-validates every target of the shape;
* ``constants`` – IRIs in subject/object position (the BFS does not walk through them).

A shape that cannot be analysed (no SPARQL, a parse failure) is ``global`` with ``predicates = None``: every
change re-validates all its targets — the safe fallback.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path as FilePath

from rdflib import RDF, RDFS, Graph, URIRef, Variable
from rdflib.namespace import SH
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from .. import cachefile
from .fast import TARGETS, _prefixes, _shapes


@dataclass
class Pattern:
    """What one SPARQL text reads."""

    predicates: set[str] | None = field(default_factory=set)
    depth: int | None = 0
    local: bool = True
    constants: set[str] = field(default_factory=set)
    #: predicates of patterns joined to the anchor, and of patterns that are not (None: unknown)
    local_predicates: set[str] | None = field(default_factory=set)
    global_predicates: set[str] | None = field(default_factory=set)
    #: per predicate of a joined pattern: how far (hops) the nearer end of a matching triple can lie from the
    #: anchor (None: unbounded); a change to that predicate needs a walk of no more than this
    pred_depth: dict[str, int | None] = field(default_factory=dict)
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


_CACHE_VERSION = "depends-3"
_DISK: dict[str, dict] = {}
_DISK_FILE: list[FilePath] = []


def use_cache_file(path: FilePath | None) -> None:
    """Keep analyses in a JSON file between processes (rdflib's SPARQL parser needs seconds per shape)."""
    _DISK_FILE[:] = [path] if path else []
    if path and path.exists():
        try:
            data = json.loads(path.read_text())
            if data.get("version") == _CACHE_VERSION:
                _DISK.update(data["patterns"])
        except (OSError, ValueError, KeyError):
            pass


def _save() -> None:
    if not _DISK_FILE:
        return
    cachefile.write_json(_DISK_FILE[0], {"version": _CACHE_VERSION, "patterns": _DISK})


def _to_json(p: Pattern) -> dict:
    return {k: (sorted(v) if isinstance(v, set) else v) for k, v in asdict(p).items()}


def _from_json(d: dict) -> Pattern:
    return Pattern(**{k: (set(v) if isinstance(v, list) else v) for k, v in d.items()})


def walk_depth(deps: ShapeDeps, predicates: set[str]) -> int | None:
    """How far to walk from the changed triples with these predicates (None: no bound)."""
    out = 0
    for p in predicates:
        if p in deps.target_predicates or p == str(RDF.type) and p not in deps.pattern.pred_depth:
            continue  # a target triple: the focus node is one of its ends
        if p not in deps.pattern.pred_depth:
            if deps.pattern.local_predicates is None:
                return deps.pattern.depth
            continue
        d = deps.pattern.pred_depth[p]
        if d is None:
            return None
        out = max(out, d)
    return out


def analyse(text: str, anchor: str = "this", prefixes: tuple[tuple[str, str], ...] = ()) -> Pattern:
    """Analyse a SELECT/CONSTRUCT text (cached in memory and, with :func:`use_cache_file`, on disk)."""
    key = hashlib.sha256(json.dumps([text, anchor, list(prefixes)]).encode()).hexdigest()
    hit = _DISK.get(key)
    if hit is not None:
        return _from_json(hit)
    out = _analyse(text, anchor, prefixes)
    _DISK[key] = _to_json(out)
    _save()
    return out


@lru_cache(maxsize=1024)
def _analyse(text: str, anchor: str = "this", prefixes: tuple[tuple[str, str], ...] = ()) -> Pattern:
    """Analyse a SELECT/CONSTRUCT text; ``anchor`` is the variable results are about (``$this``)."""
    try:
        query = prepareQuery(text.replace("$this", "?this"), initNs=dict(prefixes))
    except Exception:  # noqa: BLE001 - cannot analyse: the caller falls back to full re-validation
        return Pattern(predicates=None, depth=None, local=False, literal_joins=True, class_joins=True,
                       local_predicates=None, global_predicates=None)
    triples: list[tuple[Node, object, Node]] = []
    _triples(query.algebra, triples, set())
    out = Pattern()
    object_uses: dict[str, int] = {}
    uses: dict[str, int] = {}
    type_objects: set[str] = set()
    edges: list[tuple[str | None, str | None, int | None, set[str] | None]] = []
    for s, p, o in triples:
        for t in (s, p, o):
            if isinstance(t, Variable):
                uses[str(t)] = uses.get(str(t), 0) + 1
        if isinstance(o, Variable):
            object_uses[str(o)] = object_uses.get(str(o), 0) + 1
            if p == RDF.type or (isinstance(p, Path) and str(RDF.type) in str(p)):
                type_objects.add(str(o))
        preds, length = _path_info(p)
        if isinstance(p, Variable):
            preds = None
        out.predicates = None if out.predicates is None or preds is None else out.predicates | preds
        for t in (s, o):
            if isinstance(t, URIRef):
                out.constants.add(str(t))
        edges.append((str(s) if isinstance(s, Variable) else None, str(o) if isinstance(o, Variable) else None,
                      length, preds))
    out.literal_joins = any(n > 1 for n in object_uses.values())
    out.class_joins = any(uses.get(v, 0) > 1 for v in type_objects)
    # shortest distance (in hops) of every variable from the anchor over the patterns; unbounded paths are walls
    dist: dict[str, int] = {anchor: 0}
    changed = True
    while changed:
        changed = False
        for a, b, length, _ in edges:
            if length is None or a is None or b is None:
                continue
            for x, y in ((a, b), (b, a)):
                if x in dist and dist[x] + length < dist.get(y, 1 << 30):
                    dist[y] = dist[x] + length
                    changed = True
    depth: int | None = 0
    local_preds: set[str] | None = set()
    global_preds: set[str] | None = set()
    for a, b, length, preds in edges:
        near = min((dist[v] for v in (a, b) if v is not None and v in dist), default=None)
        if near is None:  # not joined to the anchor by variables
            global_preds = None if global_preds is None or preds is None else global_preds | preds
            continue
        local_preds = None if local_preds is None or preds is None else local_preds | preds
        depth = None if depth is None or length is None else max(depth, near + length)
        for pred in preds or ():
            here = None if length is None else near + length - 1
            if pred in out.pred_depth:
                old = out.pred_depth[pred]
                here = None if old is None or here is None else max(old, here)
            out.pred_depth[pred] = here
        if length is None:  # beyond an unbounded path: everything behind it is near, too
            for v in (a, b):
                if v is not None and v not in dist:
                    dist[v] = near
    out.depth = depth
    out.local_predicates = local_preds
    out.global_predicates = global_preds
    out.local = global_preds == set()
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
            deps.pattern = Pattern(predicates=None, depth=None, local=False, local_predicates=None,
                                   global_predicates=None)  # Core constraints: not analysed
        else:
            merged = Pattern()
            for c in constraints:
                prefixes: dict[str, str] = {}
                for pnode in g.objects(c, SH.prefixes):
                    prefixes.update(_prefixes(g, pnode))
                select = g.value(c, SH.select)
                part = analyse(str(select), "this", tuple(sorted(prefixes.items()))) if select is not None else \
                    Pattern(predicates=None, depth=None, local=False, local_predicates=None, global_predicates=None)
                merged.predicates = None if merged.predicates is None or part.predicates is None \
                    else merged.predicates | part.predicates
                merged.depth = None if merged.depth is None or part.depth is None else max(merged.depth, part.depth)
                merged.local = merged.local and part.local
                merged.constants |= part.constants
                merged.local_predicates = _union(merged.local_predicates, part.local_predicates)
                merged.global_predicates = _union(merged.global_predicates, part.global_predicates)
                for pred, d in part.pred_depth.items():
                    old = merged.pred_depth.get(pred, d)
                    merged.pred_depth[pred] = None if old is None or d is None else max(old, d)
                merged.literal_joins = merged.literal_joins or part.literal_joins
                merged.class_joins = merged.class_joins or part.class_joins
            deps.pattern = merged
        if not any(g.objects(shape, t) for t in TARGETS):
            deps.pattern = Pattern(predicates=set(), depth=0, local=True)  # never validated (no target)
        out[str(shape)] = deps
    return out


def _union(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    return None if a is None or b is None else a | b


def rule_predicates(texts: list[str]) -> set[str] | None:
    """Predicates the derivation rules read (None: a rule reads any predicate)."""
    preds: set[str] | None = set()
    for text in texts:
        p = analyse(text, "x").predicates
        preds = None if preds is None or p is None else preds | p
    return preds


def rule_outputs(text: str) -> set[str] | None:
    """Predicates a CONSTRUCT rule writes (None: a variable predicate, i.e. any)."""
    from rdflib import URIRef
    from rdflib.plugins.sparql import prepareQuery

    out: set[str] = set()
    for _s, p, _o in prepareQuery(text).algebra.template:
        if not isinstance(p, URIRef):
            return None
        out.add(str(p))
    return out


def rule_io(rules: list) -> list[tuple[str, set[str] | None, set[str] | None]]:
    """(name, predicates read, predicates written) of each rule file."""
    return [(str(r), analyse(t, "x").predicates, rule_outputs(t)) for r in rules for t in [r.read_text()]]


def rule_closure(rules: list[tuple[str, set[str] | None, set[str] | None]], changed: set[str]) -> list[str] | None:
    """The rules to re-run when triples of the ``changed`` predicates change, given (name, reads, writes) per
    rule: the rules that read a changed predicate, then — to a fixpoint — every rule that reads or writes a
    predicate one of those writes (its derived triples are deleted and recomputed). None: every rule (a rule
    reads or writes any predicate). Rules outside the closure read nothing that changed, so their derived
    triples stay as they are."""
    chosen = {name for name, reads, _w in rules if reads is None or reads & changed}
    while True:
        written: set[str] = set()
        for name, _r, writes in rules:
            if name in chosen:
                if writes is None:
                    return None
                written |= writes
        more = {name for name, reads, writes in rules if name not in chosen
                and (reads is None or reads & written or writes is None or writes & written)}
        if not more:
            return [name for name, _r, _w in rules if name in chosen]
        chosen |= more

