"""The ontology's terms read from ontology/kooperationsgraph.ttl (cached until the file changes): label,
definition, hierarchy, domain and range of every class and property — for the ontology page and the query
editor's autocomplete."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ..diagram import mermaid
from ..namespaces import KG
from .extensions import settings

PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


@dataclass
class Term:
    iri: str
    local: str
    labels: dict[str, str]
    definitions: dict[str, str]
    supers: list[str] = field(default_factory=list)
    subs: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    kind: str = ""

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("de") or self.labels.get("") or self.local

    def definition(self, lang: str) -> str:
        return self.definitions.get(lang) or self.definitions.get("de") or self.definitions.get("") or ""


def langs(g: Graph, s: URIRef, *props: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in props:
        for o in g.objects(s, p):
            if isinstance(o, Literal):
                out.setdefault(o.language or "", str(o))
    return out


def _iris(g: Graph, s: URIRef, p: URIRef) -> list[str]:
    return sorted(str(o) for o in g.objects(s, p) if isinstance(o, URIRef))


@lru_cache(maxsize=2)
def _load(path: str, mtime: float) -> tuple[Graph, dict[str, Term], dict[str, Term], str]:
    g = Graph().parse(path, format="turtle")
    ns = str(KG)
    classes: dict[str, Term] = {}
    for c in set(g.subjects(RDF.type, OWL.Class)) | set(g.subjects(RDF.type, RDFS.Class)):
        if isinstance(c, URIRef) and str(c).startswith(ns):
            classes[str(c)] = Term(str(c), str(c)[len(ns):], langs(g, c, RDFS.label),
                                   langs(g, c, SKOS.definition, RDFS.comment),
                                   supers=_iris(g, c, RDFS.subClassOf))
    for t in classes.values():
        for sup in t.supers:
            if sup in classes:
                classes[sup].subs.append(t.iri)
    props: dict[str, Term] = {}
    for kind in PROPERTY_KINDS:
        for p in g.subjects(RDF.type, kind):
            if isinstance(p, URIRef) and str(p).startswith(ns) and str(p) not in props:
                props[str(p)] = Term(str(p), str(p)[len(ns):], langs(g, p, RDFS.label),
                                     langs(g, p, SKOS.definition, RDFS.comment),
                                     supers=sorted(str(o) for o in g.objects(p, RDFS.subPropertyOf)),
                                     domain=_iris(g, p, RDFS.domain), range=_iris(g, p, RDFS.range),
                                     kind=str(kind).rsplit("#", 1)[-1])
    return g, classes, props, mermaid(g)


def ontology() -> tuple[Graph, dict[str, Term], dict[str, Term], str]:
    path: Path = settings().ontology_dir / "kooperationsgraph.ttl"
    return _load(str(path), path.stat().st_mtime)
