"""Incremental validation of a change set: only the focus nodes the change can affect are re-validated,
against the store plus the change.

A :class:`Mirror` is the prepared validation input of the store (data graphs, context, derived facts, ill-formed
values set aside — exactly what ``validate`` of the store runs on), kept in memory per store version. For a
change, :meth:`Mirror.assess` applies it to the mirror (derivations recomputed when the change touches what
the derivation rules read), finds per shape the focus nodes the change can reach (:mod:`.depends`: a
breadth-first walk from the changed nodes over the predicates the shape reads, no further than the shape's
depth; every target when the shape is global or cannot be analysed), validates those nodes after the change,
reverts the change, validates the same nodes before it, and returns both result sets. The live store is never
touched. tests/test_incremental.py proves the results equal a full re-validation.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from ..config import Settings
from ..namespaces import DERIVED_GRAPH
from ..store.base import Backend
from ..store.build import apply_rules, rule_files
from ..store.seeded import constructed, eligible, nodes_of, update
from ..store.terms import to_ox, to_rdflib
from .depends import ShapeDeps, rule_closure, rule_io, rule_predicates, shape_index, use_cache_file, walk_depth
from .fast import run_shape
from .inputs import prepare
from .lexical import expectations, table_from_shapes
from .raw import RawResult
from .rules import RuleBook, project_rulebook
from .setaside import record_of, set_aside

#: A quad as rdflib terms; graph None is the default graph.
Quad = tuple[Node, Node, Node, str | None]
#: Beyond this many reached nodes a shape is re-validated for all its targets (still exact, just slower).
MAX_REACHED = 5000
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
SUBCLASSES = "SELECT DISTINCT ?c ?t WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?t }"


def result_key(r: RawResult) -> tuple[str, str, str, str, str]:
    return (str(r.shape), str(r.focus), "" if r.path is None else str(r.path), "" if r.value is None else str(r.value),
            str(r.severity))


def _ox_quad(q: Quad) -> ox.Quad:
    s, p, o, g = q
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(g) if g else ox.DefaultGraph())  # type: ignore[arg-type]


def _rdf_quad(q: ox.Quad) -> Quad:
    g = q.graph_name
    return (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object),  # type: ignore[return-value]
            g.value if isinstance(g, ox.NamedNode) else None)


@dataclass
class Assessment:
    """What a change does to the validation results of the nodes it can affect."""

    before: list[RawResult]
    after: list[RawResult]
    affected: dict[str, set[str] | None]  # shape → focus nodes re-validated (None: all targets)
    effective_added: list[Quad] = field(default_factory=list)  # incl. derived facts
    effective_removed: list[Quad] = field(default_factory=list)

    def introduced(self) -> list[RawResult]:
        old = {result_key(r) for r in self.before}
        return [r for r in self.after if result_key(r) not in old]

    def resolved(self) -> list[RawResult]:
        new = {result_key(r) for r in self.after}
        return [r for r in self.before if result_key(r) not in new]


class Mirror:
    """The store's prepared validation input in memory (see module doc). Not thread-safe: use :func:`mirror_for`,
    whose lock guards it."""

    def __init__(self, settings: Settings, store: ox.Store, version: str, book: RuleBook,
                 index: dict[str, ShapeDeps] | None = None):
        self.settings = settings
        self.store = store
        self.version = version
        self.book = book
        if index is None:
            use_cache_file(settings.var_dir / "cache" / "shape-dependencies.json")
        self.index = index if index is not None else shape_index(book.graph)
        self.rules = rule_files(settings)
        self.rule_preds = rule_predicates([r.read_text() for r in self.rules])
        self.rule_io = rule_io(self.rules)
        self.seeded = eligible([(str(r), r.read_text()) for r in self.rules], self.rule_io)
        table = table_from_shapes((str(s), str(p), str(o)) for s, p, o in book.graph.triples((None, None, None)))
        self.expected = expectations(store)
        for prop, types in table.items():
            self.expected.setdefault(prop, set()).update(types)
        self.lock = threading.RLock()
        self._subclass_cache: dict[str, set[str]] = {}

    @classmethod
    def from_backend(cls, backend: Backend, settings: Settings, today: date | None = None) -> Mirror:
        version = backend.version()
        live = getattr(backend, "store", None)
        if isinstance(live, ox.Store):
            store = _copy_embedded(live, settings, today)
        else:
            store = prepare(settings, backend=backend, today=today).store
        m = cls(settings, store, version, project_rulebook(settings.root))
        m.rederive()  # the same derivations a change is measured against (not the build's copy)
        return m

    # -- applying changes --------------------------------------------------------------------------
    def rederive(self, changed: set[str] | None = None,
                 done: frozenset[str] | set[str] = frozenset()) -> tuple[set[ox.Quad], set[ox.Quad]]:
        """Recompute derived facts; returns (added, removed) derived quads. With the ``changed`` predicates only
        the rules they can affect run again (:func:`.depends.rule_closure`; ``done``: rules already brought up
        to date, see :mod:`..store.seeded`), after their derived triples are deleted; else the derived graph
        is recomputed from scratch."""
        g = ox.NamedNode(DERIVED_GRAPH)
        names = None if changed is None else rule_closure(self.rule_io, changed)
        if names is not None:
            names = [n for n in names if n not in done]
            written = {p for name, _r, w in self.rule_io if name in names for p in (w or ())}
            old = {q for p in written for q in self.store.quads_for_pattern(None, ox.NamedNode(p), None, g)}
            for q in old:
                self.store.remove(q)
            apply_rules(self.store, [r for r in self.rules if str(r) in names])
            new = {q for p in written for q in self.store.quads_for_pattern(None, ox.NamedNode(p), None, g)}
            return new - old, old - new
        old = set(self.store.quads_for_pattern(None, None, None, g))
        if self.store.contains_named_graph(g):
            self.store.remove_graph(g)
        apply_rules(self.store, self.rules)
        new = set(self.store.quads_for_pattern(None, None, None, g))
        return new - old, old - new

    def apply(self, added: Iterable[Quad], removed: Iterable[Quad]) -> tuple[list[ox.Quad], list[ox.Quad]]:
        """Apply a change to the mirror; returns the quads really added and removed (incl. set-aside records and
        derived facts), which :meth:`revert` takes back. Seeded rules (:mod:`..store.seeded`) are updated
        where the change touches them; the other rules the change can affect run again."""
        removed_q, added_q = [_ox_quad(q) for q in removed], [_ox_quad(q) for q in added]
        asked = {q.predicate.value for q in removed_q + added_q}
        nodes = nodes_of(removed_q + added_q)
        seeded = [] if nodes is None else [r for n, r in self.seeded.items() if self._reads(n) & asked]
        olds = [constructed(self.store, r, nodes) for r in seeded]  # type: ignore[arg-type]
        plus: list[ox.Quad] = []
        minus: list[ox.Quad] = []
        for q in removed_q:
            if q in self.store:
                self.store.remove(q)
                minus.append(q)
            else:
                rec = record_of(self.store, q)
                for r in rec:
                    self.store.remove(r)
                minus += rec
        for q in added_q:
            if q in self.store:
                continue
            rec = set_aside(self.expected, q)
            new = rec if rec is not None else [q]
            self.store.extend(new)
            plus += new
        preds = {q.predicate.value for q in plus + minus}
        for rule, old in zip(seeded, olds, strict=True):
            d_plus, d_minus = update(self.store, rule, old, nodes)  # type: ignore[arg-type]
            plus += d_plus
            minus += d_minus
            preds |= {q.predicate.value for q in d_plus + d_minus}
        if preds and (self.rule_preds is None or preds & self.rule_preds):
            d_plus2, d_minus2 = self.rederive(preds, {r.name for r in seeded})
            plus += sorted(d_plus2, key=str)
            minus += sorted(d_minus2, key=str)
        return plus, minus

    def _reads(self, name: str) -> set[str]:
        return next(r for n, r, _w in self.rule_io if n == name) or set()

    def revert(self, plus: list[ox.Quad], minus: list[ox.Quad]) -> None:
        for q in plus:
            self.store.remove(q)
        self.store.extend(minus)

    # -- finding the affected focus nodes ----------------------------------------------------------
    def _reach(self, deps: ShapeDeps, seeds: set[ox.Quad], extra: list[ox.Quad]) -> set[Node] | None:
        """Nodes within the shape's depth of the changed triples (None: too many, validate all targets)."""
        preds = deps.pattern.local_predicates
        wanted = None if preds is None else preds | deps.target_predicates | {RDF_TYPE.value}
        depth = walk_depth(deps, {q.predicate.value for q in seeds})
        constants = {ox.NamedNode(c) for c in deps.pattern.constants}
        frontier: set[object] = set()
        for q in seeds:
            frontier.add(q.subject)
            frontier.add(q.object)
        seen: set[object] = set(frontier)
        edges_extra: dict[object, list[object]] = {}
        for q in extra:
            if wanted is None or q.predicate.value in wanted:
                edges_extra.setdefault(q.subject, []).append(q.object)
                if q.predicate != RDF_TYPE or deps.pattern.class_joins:
                    edges_extra.setdefault(q.object, []).append(q.subject)
        step = 0
        rdf_type = RDF_TYPE
        while frontier and (depth is None or step < depth):
            step += 1
            nxt: set[object] = set()
            for node in frontier:
                if node in constants:
                    continue
                if isinstance(node, ox.Literal):
                    if not deps.pattern.literal_joins:
                        continue
                else:
                    for q in self.store.quads_for_pattern(node, None, None, None):  # type: ignore[arg-type]
                        if wanted is None or q.predicate.value in wanted:
                            nxt.add(q.object)
                for q in self.store.quads_for_pattern(None, None, node, None):  # type: ignore[arg-type]
                    if q.predicate == rdf_type and not deps.pattern.class_joins:
                        continue  # from a class to its instances: no pattern joins through a class
                    if wanted is None or q.predicate.value in wanted:
                        nxt.add(q.subject)
                nxt.update(edges_extra.get(node, ()))
            nxt -= seen
            seen |= nxt
            if len(seen) > MAX_REACHED:
                return None
            frontier = nxt
        return {to_rdflib(n) for n in seen if not isinstance(n, ox.Literal)}  # type: ignore[arg-type]

    def _subclasses(self, cls: str) -> set[str]:
        hit = self._subclass_cache.get(cls)
        if hit is None:
            sols = self.store.query(SUBCLASSES, use_default_graph_as_union=True,
                                    substitutions={ox.Variable("t"): ox.NamedNode(cls)})
            hit = {sol["c"].value for sol in sols if isinstance(sol["c"], ox.NamedNode)} | {cls}  # type: ignore[union-attr,index]
            self._subclass_cache[cls] = hit
        return hit

    def _maybe_target(self, deps: ShapeDeps, node: Node) -> bool:
        """A cheap over-approximation of the shape's targets (the compiled query checks them exactly)."""
        if not isinstance(node, URIRef):
            return True
        if str(node) in deps.target_nodes:
            return True
        n = ox.NamedNode(str(node))
        for p in deps.target_predicates:
            if next(iter(self.store.quads_for_pattern(n, ox.NamedNode(p), None, None)), None) is not None or \
                    next(iter(self.store.quads_for_pattern(None, ox.NamedNode(p), n, None)), None) is not None:
                return True
        if deps.target_classes:
            types = {q.object.value for q in self.store.quads_for_pattern(n, RDF_TYPE, None, None)
                     if isinstance(q.object, ox.NamedNode)}
            return any(types & self._subclasses(c) for c in deps.target_classes)
        return False

    def affected(self, plus: list[ox.Quad], minus: list[ox.Quad]) -> dict[str, set[Node] | None]:
        """Shape → focus-node candidates the change can affect (None: all targets of the shape)."""
        out: dict[str, set[Node] | None] = {}
        changed = plus + minus
        classes = {q.subject for q in changed
                   if next(iter(self.store.quads_for_pattern(None, RDF_TYPE, q.subject, None)), None) is not None}
        touched = {to_rdflib(t) for q in changed for t in (q.subject, q.object) if not isinstance(t, ox.Literal)}
        for shape, deps in self.index.items():
            relevant = {q for q in changed if deps.reads(q.predicate.value)}
            if not relevant:
                continue
            glob = deps.pattern.global_predicates
            if glob is None or deps.pattern.local_predicates is None and deps.pattern.predicates is None \
                    or any(q.predicate.value in glob for q in relevant):
                out[shape] = None  # a pattern not joined to the focus node, or not analysed: every target
                continue
            if any(q.predicate.value == SUBCLASS or q.subject in classes for q in relevant):
                out[shape] = None  # the class hierarchy or a class itself changed: every target may see it
                continue
            reached = self._reach(deps, relevant, minus)
            # a node's target status changes only through triples about it (class hierarchy: handled above)
            out[shape] = None if reached is None else {n for n in reached if n in touched or self._maybe_target(deps, n)}
        return out

    # -- validating ----------------------------------------------------------------------------------
    def results(self, affected: dict[str, set[Node] | None]) -> list[RawResult]:
        out: list[RawResult] = []
        seen: set[tuple] = set()
        for shape, nodes in sorted(affected.items(), key=lambda kv: kv[0]):
            if nodes is not None and not nodes:
                continue
            if nodes is None:
                run_shape(self.store, self.book, URIRef(shape), None, out, seen)
                continue
            iris = sorted((n for n in nodes if isinstance(n, URIRef)), key=str)
            others = {str(n) for n in nodes if not isinstance(n, URIRef)}
            if iris:
                run_shape(self.store, self.book, URIRef(shape), None, out, seen, nodes=iris)  # type: ignore[arg-type]
            if others:  # blank-node foci cannot be written into query text: run all, keep these
                run_shape(self.store, self.book, URIRef(shape), others, out, seen)
        return out

    def full(self) -> list[RawResult]:
        return self.results({s: None for s in self.index})

    def assess(self, added: Iterable[Quad], removed: Iterable[Quad]) -> Assessment:
        added, removed = list(added), list(removed)
        with self.lock:
            plus, minus = self.apply(added, removed)
            try:
                affected = self.affected(plus, minus)
                after = self.results(affected)
            finally:
                self.revert(plus, minus)
            before = self.results(affected)
            # what the store must do: the change as given (ill-formed values included: the store keeps them as
            # written) plus the derived facts it adds and removes
            eff_plus = added + [_rdf_quad(q) for q in plus if _is_derived(q)]
            eff_minus = removed + [_rdf_quad(q) for q in minus if _is_derived(q)]
            return Assessment(before, after, {k: None if v is None else {str(n) for n in v} for k, v in affected.items()},
                              eff_plus, eff_minus)


def _copy_embedded(live: ox.Store, settings: Settings, today: date | None) -> ox.Store:
    """What :func:`.inputs.prepare` makes of a whole store, copied quad by quad without term conversion."""
    from ..namespaces import INFERRED_GRAPH
    from .inputs import SKIPPED_PREFIXES, _set_aside, add_stamp

    store = ox.Store()
    data: list[str] = []
    for g in live.named_graphs():
        if not isinstance(g, ox.NamedNode) or g.value.startswith(SKIPPED_PREFIXES):
            continue
        store.extend(live.quads_for_pattern(None, None, None, g))
        if g.value not in (DERIVED_GRAPH, INFERRED_GRAPH):
            data.append(g.value)
    _set_aside(store, data, settings)
    add_stamp(store, today)
    return store


def _is_derived(q: ox.Quad) -> bool:
    return isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == DERIVED_GRAPH


# ------------------------------------------------------------------------------------------ the cache
_MIRRORS: dict[str, Mirror] = {}
_MIRRORS_LOCK = threading.Lock()


def _key(backend: Backend) -> str:
    return f"{backend.name}:{getattr(backend, 'path', '')}:{id(backend) if not getattr(backend, 'isolated', True) else ''}"


def mirror_for(backend: Backend, settings: Settings) -> Mirror:
    """The mirror of the backend's current version (rebuilt when another writer changed the store)."""
    key = _key(backend)
    with _MIRRORS_LOCK:
        m = _MIRRORS.get(key)
        if m is None or m.version != backend.version():
            m = _MIRRORS[key] = Mirror.from_backend(backend, settings)
        return m


def note_own_write(backend: Backend, before: str, applied: tuple[list[Quad], list[Quad]] | None = None) -> None:
    """After a write of the change machinery (bookkeeping, or an accepted change whose effect is ``applied``):
    keep the mirror instead of rebuilding it, when it was current before the write."""
    key = _key(backend)
    with _MIRRORS_LOCK:
        m = _MIRRORS.get(key)
        if m is None or m.version != before:
            _MIRRORS.pop(key, None)
            return
        if applied is not None:
            with m.lock:
                m.apply(*applied)
        m.version = backend.version()


def forget(backend: Backend) -> None:
    with _MIRRORS_LOCK:
        _MIRRORS.pop(_key(backend), None)
