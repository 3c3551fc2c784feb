"""Reference documentation of the ontology, generated from ontology/kooperationsgraph.ttl at request time
(cached until the file changes): every class and property with label, definition, hierarchy, domain and
range, the class diagram (Mermaid text from :mod:`kooperationsgraph.diagram`, drawn by the vendored
mermaid library; the text stays readable without JavaScript) and links from each class to its instances.
``/ontology`` is also the ontology's own IRI: Turtle, N-Triples and JSON-LD by content negotiation."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, render_template
from flask.typing import ResponseReturnValue
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ..diagram import mermaid
from ..namespaces import KG, ONTOLOGY_IRI
from .browse import RDF_RENDERINGS, negotiate
from .extensions import get_backend, settings
from .home import cached_stats
from .ui import current_lang

bp = Blueprint("ontology_docs", __name__)

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


def _langs(g: Graph, s: URIRef, *props: URIRef) -> dict[str, str]:
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
            classes[str(c)] = Term(str(c), str(c)[len(ns):], _langs(g, c, RDFS.label),
                                   _langs(g, c, SKOS.definition, RDFS.comment),
                                   supers=_iris(g, c, RDFS.subClassOf))
    for t in classes.values():
        for sup in t.supers:
            if sup in classes:
                classes[sup].subs.append(t.iri)
    props: dict[str, Term] = {}
    for kind in PROPERTY_KINDS:
        for p in g.subjects(RDF.type, kind):
            if isinstance(p, URIRef) and str(p).startswith(ns) and str(p) not in props:
                props[str(p)] = Term(str(p), str(p)[len(ns):], _langs(g, p, RDFS.label),
                                     _langs(g, p, SKOS.definition, RDFS.comment),
                                     supers=sorted(str(o) for o in g.objects(p, RDFS.subPropertyOf)),
                                     domain=_iris(g, p, RDFS.domain), range=_iris(g, p, RDFS.range),
                                     kind=str(kind).rsplit("#", 1)[-1])
    return g, classes, props, mermaid(g)


def ontology() -> tuple[Graph, dict[str, Term], dict[str, Term], str]:
    path: Path = settings().ontology_dir / "kooperationsgraph.ttl"
    return _load(str(path), path.stat().st_mtime)


@bp.get("/ontology")
def docs() -> ResponseReturnValue:
    fmt = negotiate()
    g, classes, props, diagram = ontology()
    if fmt != "html":
        media, serializer = RDF_RENDERINGS[fmt]
        resp = Response(g.serialize(format=serializer), mimetype=media)
        resp.headers["Vary"] = "Accept"
        return resp
    lang = current_lang()
    counts = {str(c["class"]): int(c["n"]) for c in cached_stats(get_backend()).classes}
    meta = {"title": _langs(g, URIRef(ONTOLOGY_IRI), URIRef("http://purl.org/dc/terms/title"), RDFS.label),
            "version": g.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo)}
    return render_template("ontology_docs/docs.html", diagram=diagram, counts=counts, meta=meta,
                           classes=sorted(classes.values(), key=lambda t: t.label(lang).casefold()),
                           props=sorted(props.values(), key=lambda t: t.label(lang).casefold()),
                           known={**classes, **props})
