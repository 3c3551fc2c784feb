"""What a validation runs on: the data (files, an rdflib graph or the store's graphs) plus the context the
shapes read (ontology for class hierarchies, vocabularies, legal norms and thresholds, administrative units
when filtering by Land), with the same derivation rules the build applies (``ontology/rules/*.rq``). The
result is an in-memory Oxigraph store; :func:`to_rdflib` turns it into the graph pySHACL gets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from ..config import Settings
from ..errors import KooperationsgraphError
from ..namespaces import (
    CHANGE_GRAPH_PREFIX,
    CHANGES_GRAPH,
    DERIVED_GRAPH,
    GRAPH,
    INFERRED_GRAPH,
    META_GRAPH,
    REPORTS_GRAPH_PREFIX,
    SHAPES,
    graph_iri_for,
)
from ..rdfio import format_for_path, parse_quads
from ..store.base import Backend
from ..store.build import rule_files
from ..store.derive import derive as derive_rules
from ..store.rule_cache import load_rules_cached
from ..store.terms import to_ox, to_rdflib
from ..untrusted import ParseLimits, load_untrusted, parse_untrusted

XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
INPUT_GRAPH = GRAPH + "validation/input"
CONTEXT_GRAPH = GRAPH + "validation/context"
#: Store graphs that are never validated: build metadata, saved reports, the shapes themselves and change sets
#: (history and staging graphs: pending triples are validated as a change, not as data).
SKIPPED_PREFIXES = (META_GRAPH, REPORTS_GRAPH_PREFIX, GRAPH + "ontology/shapes/", CHANGES_GRAPH, CHANGE_GRAPH_PREFIX)


@dataclass
class Prepared:
    """Prepared validation input: the store, which graphs hold the user's data, and what was read."""

    store: ox.Store
    data_graphs: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def rdf_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the RDF files they contain (recursively, sorted); reject unknown file types."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and format_for_path(f) is not None)
        elif p.is_file():
            if format_for_path(p) is None:
                raise KooperationsgraphError(f"{p}: not an RDF file (known: .ttl .nt .nq .trig .jsonld .rdf .owl)")
            out.append(p)
        else:
            raise KooperationsgraphError(f"{p}: no such file or folder")
    return out


def parse_file(path: Path, graph: str, limits: ParseLimits | None = None) -> list[ox.Quad]:
    """Parse one file completely; syntax errors carry file:line:column (RDFSyntaxError). With ``limits`` the
    file comes from outside and goes through the parse gate (limited child process); without, it is one of
    the project's own files (ontology, vocabularies) and is parsed here."""
    fmt = format_for_path(path)
    assert fmt is not None
    if limits is not None:
        return parse_untrusted(path.read_bytes(), fmt, str(path), limits=limits, graph=graph,
                               base_iri=path.resolve().as_uri())
    return parse_quads(None, fmt, str(path), path=path, graph=graph, base_iri=path.resolve().as_uri())


def load_file(store: ox.Store, path: Path, graph: str, limits: ParseLimits | None = None) -> None:
    """:func:`parse_file` into ``store``; a file from outside (``limits``) goes from the parse gate's child
    straight into the store (:func:`..untrusted.load_untrusted`: the same quads, no Python list of them)."""
    if limits is None:
        store.extend(parse_file(path, graph))
        return
    fmt = format_for_path(path)
    assert fmt is not None
    load_untrusted(store, path.read_bytes(), fmt, str(path), limits=limits, graph=graph,
                   base_iri=path.resolve().as_uri())


def context_files(settings: Settings, *, norms: bool = True, land: bool = False) -> list[Path]:
    """Ontology, vocabularies, legal norms and thresholds; administrative units only when needed."""
    data = settings.data_dir
    files = sorted(settings.ontology_dir.glob("*.ttl"))  # the core ontology and its modules
    files += sorted((data / "vokabular").glob("*.ttl"))
    if norms:
        files += sorted((data / "recht").glob("*.ttl"))
    if land:
        files += sorted((data / "verwaltung").glob("*.ttl"))
    return [f for f in files if f.is_file()]


def _add_triples(store: ox.Store, triples: Iterable[tuple[Node, Node, Node]], graph: str) -> int:
    g = ox.NamedNode(graph)
    iris: dict[Node, ox.NamedNode] = {}  # subjects, predicates, classes and datatypes repeat: convert each once

    def named(t: Node) -> ox.NamedNode:
        hit = iris.get(t)
        if hit is None:
            hit = iris[t] = to_ox(t)  # type: ignore[assignment]
        return hit

    def conv(t: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        kind = type(t)
        if kind is URIRef:
            return named(t)
        if kind is Literal:  # as to_ox, with the datatype's node converted once
            lang = t.language  # type: ignore[attr-defined]
            if lang:
                return ox.Literal(str(t), language=lang)
            dt = t.datatype  # type: ignore[attr-defined]
            return ox.Literal(str(t), datatype=named(dt)) if dt else ox.Literal(str(t))
        return to_ox(t)

    quads = [ox.Quad(conv(s), conv(p), conv(o), g) for s, p, o in triples]  # type: ignore[arg-type]
    store.extend(quads)
    return len(quads)


def graph_triples(data: Graph | Dataset) -> Iterable[tuple[Node, Node, Node]]:
    if isinstance(data, Dataset):
        for s, p, o, _ in data.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from data.triples((None, None, None))


def prepare(
    settings: Settings,
    *,
    files: list[Path] | None = None,
    limits: ParseLimits | None = None,
    data: Graph | Dataset | None = None,
    backend: Backend | None = None,
    graph: str | None = None,
    context: bool = True,
    norms: bool = True,
    land: bool = False,
    derive: bool = True,
    stamp: bool = True,
    today: date | None = None,
    lexical: bool = True,
    scratch: ox.Store | None = None,
) -> Prepared:
    """Load data and context into a fresh in-memory store, set ill-formed and mistyped values of the data
    aside (:mod:`.lexical`; not for foreign ``--shapes``, whose data is taken as given) and apply the
    derivation rules. ``scratch``: a writable copy of the backend's whole store (:mod:`..store.scratch`),
    prepared in place instead of copying its quads."""
    if scratch is not None and (backend is None or graph or files or data is not None):
        raise ValueError("scratch: only for the backend's whole store")
    store = ox.Store() if scratch is None else scratch
    prep = Prepared(store)
    if files is not None:
        for i, f in enumerate(files):
            g = f"{INPUT_GRAPH}/{i}"
            load_file(store, f, g, limits)
            prep.data_graphs.append(g)
            prep.sources.append(str(f))
    if data is not None:
        _add_triples(store, graph_triples(data), INPUT_GRAPH)
        prep.data_graphs.append(INPUT_GRAPH)
        prep.sources.append("<rdflib graph>")
    if backend is not None:
        whole_store = not graph
        if scratch is not None:
            derive = _in_place(store, prep, backend) and derive
        else:
            derive = _load_from_backend(store, prep, backend, graph) and derive
        if whole_store:
            context = False  # the store already holds ontology, vocabularies, norms and thresholds
    if context:
        for f in context_files(settings, norms=norms, land=land):
            store.extend(parse_file(f, graph_iri_for(_relative(settings, f))))
    if lexical:
        _set_aside(store, prep.data_graphs, settings)
    if derive:
        derive_rules(store, load_rules_cached(rule_files(settings), settings.var_dir / "cache" / "rule-reads.json"))
    if stamp:
        add_stamp(store, today)
    if scratch is not None:
        # RocksDB answers 3-5x slower while the set-aside and the stamp are still in its write buffer
        # (measured at 1 M: 119 s for three rules before the flush, 25 s after; bench/RESULTS.md)
        store.flush()
    return prep


def add_stamp(store: ox.Store, today: date | None) -> None:
    """The reference date the rules read (kgsh:Pruefkontext kgsh:stichtag)."""
    day = (today or date.today()).isoformat()
    store.add(
        ox.Quad(
            ox.NamedNode(str(SHAPES.Pruefkontext)),
            ox.NamedNode(str(SHAPES.stichtag)),
            ox.Literal(day, datatype=ox.NamedNode(XSD_DATE)),
            ox.NamedNode(CONTEXT_GRAPH),
        )
    )


def _set_aside(store: ox.Store, graphs: list[str], settings: Settings) -> None:
    from .lexical import set_aside, table_from_shapes
    from .rules import project_rulebook

    shapes = project_rulebook(settings.root).graph
    table = table_from_shapes((str(s), str(p), str(o)) for s, p, o in shapes.triples((None, None, None)))
    set_aside(store, graphs, table)


def _relative(settings: Settings, f: Path) -> str:
    try:
        return f.resolve().relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        return str(f)


def _load_from_backend(store: ox.Store, prep: Prepared, backend: Backend, graph: str | None) -> bool:
    """Copy the store's data graphs; returns whether derivations still have to be computed."""
    names = backend.named_graphs()
    if graph:
        iri = graph if "://" in graph else graph_iri_for(graph)
        if iri not in names:
            raise KooperationsgraphError(f"--graph: the store has no named graph <{iri}>")
        _copy_graph(store, backend, iri)
        prep.data_graphs.append(iri)
        prep.sources.append(iri)
        return True
    for iri in _validated_graphs(names, prep, backend):
        _copy_graph(store, backend, iri)
    return DERIVED_GRAPH not in names


def _validated_graphs(names: list[str], prep: Prepared, backend: Backend) -> list[str]:
    """The store graphs a whole-store validation reads (those of SKIPPED_PREFIXES left out); the data graphs
    among them, and the store as the source, are noted in ``prep``."""
    kept = [iri for iri in names if not iri.startswith(SKIPPED_PREFIXES)]
    prep.data_graphs += [iri for iri in kept if iri not in (DERIVED_GRAPH, INFERRED_GRAPH)]
    prep.sources.append(f"store ({backend.name})")
    return kept


def _in_place(store: ox.Store, prep: Prepared, backend: Backend) -> bool:
    """The scratch copy made like :func:`_load_from_backend`'s copy of the whole store: the graphs it would
    skip, and the default graph, are emptied; returns whether derivations still have to be computed."""
    store.clear_graph(ox.DefaultGraph())
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    kept = set(_validated_graphs(names, prep, backend))
    for iri in names:
        if iri not in kept:
            store.remove_graph(ox.NamedNode(iri))
    return DERIVED_GRAPH not in names


def _copy_graph(store: ox.Store, backend: Backend, iri: str) -> None:
    """One graph of the backend into the validation store: from an Oxigraph store quad by quad without term
    conversion (the quads keep their graph); from any other backend through rdflib terms."""
    source = getattr(backend, "store", None)
    if isinstance(source, ox.Store):
        store.bulk_extend(source.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
    else:
        _add_triples(store, backend.graph_triples(iri), iri)


#: Parsed SPARQL by (query text, namespace bindings): pySHACL sends the same constraint text for every focus
#: node, and rdflib's parser – not query evaluation – dominated validation time.
_PREPARED: dict[tuple[str, frozenset[tuple[str, str]]], Query] = {}


class PreparedQueryGraph(Graph):
    """An rdflib memory graph that parses each SPARQL text once per process; results are unchanged."""

    def query(
        self,
        query_object,
        processor="sparql",
        result="sparql",
        initNs=None,  # noqa: N803
        initBindings=None,  # noqa: N803
        use_store_provided=True,
        **kwargs,
    ):  # noqa: N803
        if isinstance(query_object, str) and processor == "sparql":
            ns = initNs or dict(self.namespaces())
            key = (query_object, frozenset((k, str(v)) for k, v in ns.items()))
            prepared = _PREPARED.get(key)
            if prepared is None:
                prepared = _PREPARED[key] = prepareQuery(query_object, initNs=ns)
            query_object = prepared
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


def _as_written(t: object) -> Node | None:
    """Like :func:`to_rdflib`, but literals keep their lexical form exactly as written (rdflib would otherwise
    rewrite valid non-canonical forms, so the reference engine saw other values than the fast one)."""
    if isinstance(t, ox.Literal) and not t.language:
        dt = t.datatype.value
        if dt != XSD_STRING:
            return Literal(t.value, datatype=URIRef(dt), normalize=False)
    return to_rdflib(t)


def as_rdflib_graph(store: ox.Store) -> Graph:
    """The union of all graphs as one rdflib memory graph (what pySHACL validates), values as written."""
    g = PreparedQueryGraph()
    add = g.add
    for q in store.quads_for_pattern(None, None, None, None):
        add((to_rdflib(q.subject), to_rdflib(q.predicate), _as_written(q.object)))  # type: ignore[arg-type]
    return g
