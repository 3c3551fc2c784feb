"""What the import needs to know about the store: the entities of each kind with their German name and seat
(to match rows and references), the administrative units by ARS, and the asserted descriptions of entities
(to compute what a row changes, to export, and as validation context). Constant queries, values bound as
terms (the gate); large results come back as SPARQL JSON, serialised natively by the store."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..namespaces import GRAPH, KG
from ..store.base import Backend

#: Graphs of sourced data (``…/graph/data/…``); derived, inferred, meta, report and staging graphs are not data.
DATA_GRAPHS = GRAPH + "data/"
JSON = "application/sparql-results+json"

ENTITIES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
SELECT DISTINCT ?s ?label ?sitz WHERE {
  ?s a ?base .
  OPTIONAL { ?s rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "de")) }
  OPTIONAL { ?s kg:sitz ?sitz }
}"""

UNITS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
SELECT ?s ?ars ?label WHERE {
  ?s kg:ars ?ars .
  OPTIONAL { ?s rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "de")) }
}"""

#: The first query of a process starts the store's query workers (about a second): asked while the workbook is read.
WARM_UP = "ASK { }"

UNIT_BY_ARS = """
PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
SELECT ?s WHERE { ?s kg:ars ?ars }"""

#: Asserted descriptions of every entity of a kind whose type is asserted in a data graph.
KIND_DESCRIPTIONS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?s ?p ?o ?g WHERE {
  ?c rdfs:subClassOf* ?base .
  GRAPH ?tg { ?s a ?c } FILTER(STRSTARTS(STR(?tg), "https://w3id.org/kooperationsgraph/graph/data/"))
  GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/kooperationsgraph/graph/data/"))
}"""

#: The asserted description of one entity.
DESCRIPTION = """
SELECT ?s ?p ?o ?g WHERE {
  GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/kooperationsgraph/graph/data/"))
}"""

Description = list[tuple[URIRef, Node, str]]  # (predicate, object, graph)


def _term(b: dict[str, str]) -> Node:
    t = b["type"]
    if t == "uri":
        return URIRef(b["value"])
    if t == "bnode":
        return BNode(b["value"])
    if "xml:lang" in b:
        return Literal(b["value"], lang=b["xml:lang"])
    dt = b.get("datatype")
    return Literal(b["value"], datatype=URIRef(dt) if dt else None, normalize=False)


def select(backend: Backend, query: str, bindings: dict[str, Node] | None = None) -> list[dict[str, Node]]:
    """A constant SELECT with bound values, read from the store's native JSON serialisation."""
    _kind, body = backend.query_serialized(query, JSON, bindings=bindings, lane="app")
    data = json.loads(body)
    return [{k: _term(v) for k, v in row.items()} for row in data["results"]["bindings"]]


@dataclass
class Kind:
    """The entities of one class (and its subclasses): by IRI, and by casefolded German name."""

    iris: set[str] = field(default_factory=set)
    by_name: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    seats: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class StoreIndex:
    """Entities by kind, loaded lazily (one query per kind, the first time a kind is asked for)."""

    backend: Backend | None
    kinds: dict[str, Kind] = field(default_factory=dict)
    units_by_ars: dict[str, str] = field(default_factory=dict)

    @contextmanager
    def preloading(self, kinds: Iterable[str]) -> Iterator[None]:
        """Load these kinds in a thread while the caller does something else (the workbook is read in a child
        process, the store answers in its workers: both wait on other processes, so the two overlap). The thread
        first sends a trivial query, so that the store's query workers are up before the import needs them."""
        errors: list[BaseException] = []

        def run() -> None:
            if self.backend is not None:
                try:
                    self.backend.query(WARM_UP, lane="app")
                except Exception:  # noqa: BLE001 - only a warm-up: the import's own queries report any failure
                    pass
            try:
                for k in kinds:
                    self.kind(k)
            except Exception as e:  # re-raised in the caller's thread below
                errors.append(e)

        t = threading.Thread(target=run, name="kg-import-index", daemon=True)
        t.start()
        try:
            yield
        finally:
            t.join()
        if errors:
            raise errors[0]

    def kind(self, cls: str) -> Kind:
        if cls not in self.kinds:
            self.kinds[cls] = self._load_units() if cls == str(KG.Verwaltungseinheit) else self._load(cls)
        return self.kinds[cls]

    def _load(self, cls: str) -> Kind:
        kind = Kind()
        if self.backend is None:
            return kind
        for row in select(self.backend, ENTITIES, {"base": URIRef(cls)}):
            s = row.get("s")
            if not isinstance(s, URIRef):
                continue
            kind.iris.add(str(s))
            if isinstance(row.get("label"), Literal):
                kind.by_name[name_key(str(row["label"]))].add(str(s))
            if isinstance(row.get("sitz"), URIRef):
                kind.seats[str(s)].add(str(row["sitz"]))
        return kind

    def _load_units(self) -> Kind:
        kind = self._load(str(KG.Verwaltungseinheit))
        if self.backend is None:
            return kind
        for row in select(self.backend, UNITS):
            s = row.get("s")
            if isinstance(s, URIRef) and "ars" in row:
                kind.iris.add(str(s))
                if isinstance(row.get("label"), Literal):
                    kind.by_name[name_key(str(row["label"]))].add(str(s))
        return kind

    def unit_by_ars(self, ars: str) -> str | None:
        """The unit with this ARS (one bound query per ARS, remembered)."""
        if ars not in self.units_by_ars:
            hits = [] if self.backend is None else select(self.backend, UNIT_BY_ARS, {"ars": Literal(ars)})
            found = [str(r["s"]) for r in hits if isinstance(r.get("s"), URIRef)]
            self.units_by_ars[ars] = found[0] if len(found) == 1 else ""
        return self.units_by_ars[ars] or None


def _collect(rows: list[dict[str, Node]], out: dict[str, Description]) -> None:
    for row in rows:
        s, p, o, g = row.get("s"), row.get("p"), row.get("o"), row.get("g")
        if isinstance(s, URIRef) and isinstance(p, URIRef) and o is not None and g is not None:
            out.setdefault(str(s), []).append((p, o, str(g)))


def kind_descriptions(backend: Backend | None, cls: str) -> dict[str, Description]:
    """Asserted descriptions of all entities of a kind (for the export)."""
    out: dict[str, Description] = {}
    if backend is not None:
        _collect(select(backend, KIND_DESCRIPTIONS, {"base": URIRef(cls)}), out)
    return out


#: Above this many subjects one pass over the data graphs is cheaper than one query per subject.
BULK = 150


@dataclass
class Describer:
    """Asserted descriptions of entities: one bound query per subject for a few, one pass over the store's data
    graphs (``Backend.graph_triples``) for many."""

    backend: Backend | None
    _all: dict[str, Description] | None = None

    def __call__(self, subjects: set[str]) -> dict[str, Description]:
        if self.backend is None or not subjects:
            return {}
        if self._all is None and len(subjects) <= BULK:
            return descriptions(self.backend, subjects)
        if self._all is None:
            everything: dict[str, Description] = {}
            for g in self.backend.named_graphs():
                if g.startswith(DATA_GRAPHS):
                    for s, p, o in self.backend.graph_triples(g):
                        if isinstance(s, URIRef) and isinstance(p, URIRef):
                            everything.setdefault(str(s), []).append((p, o, g))
            self._all = everything
        return {s: self._all[s] for s in subjects if s in self._all}


def descriptions(backend: Backend | None, subjects: set[str]) -> dict[str, Description]:
    """Asserted descriptions of some entities, one bound query each."""
    out: dict[str, Description] = {}
    if backend is None:
        return out
    for s in sorted(subjects):
        rows = select(backend, DESCRIPTION, {"s": URIRef(s)})
        for r in rows:
            r["s"] = URIRef(s)
        _collect(rows, out)
    return out
