"""OWL reasoning with HermiT through owlready2 (Java is required). Inferred class assertions go into their
own named graph; an inconsistency is reported with the axioms that cause it (disjoint classes shared by an
individual, found by SPARQL over the same data, since HermiT through owlready2 gives no explanation)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .config import Settings
from .errors import ReasonerError
from .namespaces import DERIVED_GRAPH, GRAPH, INFERRED_GRAPH, META_GRAPH

#: Graphs left out of reasoning: 10,000 municipalities, their population figures and 2,769 hospital sites add
#: nothing the reasoner can infer but cost minutes.
SKIPPED_GRAPHS = (GRAPH + "data/verwaltung/gemeinden", GRAPH + "data/statistik/gemeinden", GRAPH + "data/statistik/kreise",
                  GRAPH + "data/versorgung/krankenhaeuser", INFERRED_GRAPH, META_GRAPH)
#: xsd:date/gYear are outside the OWL 2 datatype map; HermiT rejects them. No axiom restricts them, so
#: leaving these literals out of the reasoner's input changes no inference.
NON_OWL2_DATATYPES = {"http://www.w3.org/2001/XMLSchema#" + d for d in ("date", "gYear", "gYearMonth", "gMonth", "gDay",
                                                                        "gMonthDay", "time", "duration")}
OWL_THING = "http://www.w3.org/2002/07/owl#Thing"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_TYPE = ox.NamedNode(RDF_TYPE)

DISJOINT_QUERY = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?x ?a ?b WHERE {
  ?a owl:disjointWith ?b .
  ?x a/rdfs:subClassOf* ?a .
  ?x a/rdfs:subClassOf* ?b .
}"""


@dataclass
class ReasonerResult:
    consistent: bool
    inferred: list[tuple[str, str, str]] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)


def java_available() -> bool:
    return shutil.which("java") is not None


def explain_inconsistency(store: ox.Store) -> list[str]:
    out = []
    for sol in store.query(DISJOINT_QUERY, use_default_graph_as_union=True):  # type: ignore[union-attr]
        out.append(f"{sol['x'].value} is an instance of both {sol['a'].value} and {sol['b'].value}, "
                   f"which are declared owl:disjointWith")
    return out


def reasoner_input(store: ox.Store, graphs: list[ox.NamedNode]) -> Iterator[ox.Quad]:
    """What HermiT reads: every quad of the asserted ``graphs`` (the ontology and the data outside the skipped
    graphs), and of the derived graph only the quads about the individuals those graphs name (subject or
    object there). The rules also derive facts about the skipped graphs' municipalities and hospital sites
    (``kg:liegtIn`` of 11,000 municipalities, the supply relations of 2,769 sites, the types of both): three
    quarters of the derived graph, which made HermiT reason over the skipped individuals after all (30 s of a
    43 s build, for the same 194 inferred types; tests/test_build_reasoned.py compares both inputs)."""
    derived = ox.NamedNode(DERIVED_GRAPH)
    named: set[object] = set()
    for g in graphs:
        if g == derived:
            continue
        for q in store.quads_for_pattern(None, None, None, g):
            named.add(q.subject)
            named.add(q.object)
            yield q
    if derived in graphs:
        for q in store.quads_for_pattern(None, None, None, derived):
            if q.subject in named:
                yield q


def reason(store: ox.Store, *, whole_derived: bool = False) -> ReasonerResult:
    """Run HermiT over all graphs except the skipped ones (:func:`reasoner_input`; ``whole_derived``: with every
    derived quad, as before issue 15); return new rdf:type assertions."""
    if not java_available():
        raise ReasonerError("Java is not installed; HermiT (owlready2) needs a Java runtime")
    import owlready2

    skip = {ox.NamedNode(g) for g in SKIPPED_GRAPHS}
    graphs = [g for g in store.named_graphs() if g not in skip]
    quads = (q for g in graphs for q in store.quads_for_pattern(None, None, None, g)) if whole_derived \
        else reasoner_input(store, graphs)
    typed: set[tuple[str, str]] = set()
    with tempfile.TemporaryDirectory(prefix="kg-reason-") as tmp:
        nt = Path(tmp) / "input.nt"
        with nt.open("wb") as fh:
            for q in quads:
                if isinstance(q.object, ox.Literal) and q.object.datatype.value in NON_OWL2_DATATYPES:
                    continue
                if q.predicate == _TYPE and isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
                    typed.add((q.subject.value, q.object.value))
                fh.write(f"{q.subject} {q.predicate} {q.object} .\n".encode())
        world = owlready2.World()
        onto = world.get_ontology(nt.as_uri()).load(format="ntriples")
        asserted = typed
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasonerResult(False, explanation=explain_inconsistency(store) or [
                "HermiT reports the ontology and data as inconsistent; no disjointness clash was found by SPARQL"])
        except owlready2.OwlReadyJavaError as exc:  # pragma: no cover - environment problem
            raise ReasonerError(f"HermiT failed: {exc}") from None
        subjects = sorted({s for s, _ in asserted})
        inferred = [(s, RDF_TYPE, o) for s, o in _all_types(world, subjects)
                    if (s, o) not in asserted and o != OWL_THING]
    return ReasonerResult(True, inferred=sorted(set(inferred)))


def _all_types(world: object, subjects: list[str]) -> list[tuple[str, str]]:
    """Every named class of every named individual after classification (owlready2 keeps only the most
    specific types in ``is_a``; ``INDIRECT_is_a`` adds the inferred class hierarchy)."""
    import owlready2

    out = []
    for iri in subjects:
        try:
            ind = world[iri]  # type: ignore[index]
        except TypeError:  # owlready2 cannot make an object of a term typed rdf:Property; it has no OWL types
            continue
        if not isinstance(ind, owlready2.Thing):
            continue
        for c in ind.INDIRECT_is_a:
            if isinstance(c, owlready2.ThingClass) and getattr(c, "iri", None):
                out.append((iri, c.iri))
    return out


def infer_into_quads(settings: Settings, store: ox.Store) -> tuple[list[ox.Quad], list[str]]:
    """Hook for :func:`store.build.build`: inferred triples as quads, plus notes for the build report."""
    if not java_available():
        return [], ["reasoning skipped: no Java runtime"]
    os.environ.setdefault("JAVA_TOOL_OPTIONS", "-Xmx2g")
    res = reason(store)
    if not res.consistent:
        raise ReasonerError("ontology + data are inconsistent:\n  " + "\n  ".join(res.explanation))
    g = ox.NamedNode(INFERRED_GRAPH)
    quads = [ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), g) for s, p, o in res.inferred]
    return quads, [f"HermiT inferred {len(quads)} class assertions"]


__all__ = ["ReasonerResult", "reason", "infer_into_quads", "explain_inconsistency", "DERIVED_GRAPH"]
