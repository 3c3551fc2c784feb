"""Reference documentation of the ontology, generated from ontology/kooperationsgraph.ttl at request time
(cached until the file changes): every class and property with label, definition, hierarchy, domain and
range, a small class diagram per class neighbourhood (Mermaid text from :mod:`..ontology_diagrams`, drawn
by the vendored mermaid library, boxes linked to the class sections; the text stays readable without
JavaScript) and links from each class to its instances.
``/ontology`` is also the ontology's own IRI: Turtle, N-Triples and JSON-LD by content negotiation."""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, Response, render_template
from flask.typing import ResponseReturnValue
from rdflib import OWL, RDFS, Graph, URIRef

from ...namespaces import ONTOLOGY_IRI
from ..extensions import cached_stats, get_backend
from ..http import RDF_RENDERINGS
from ..http import negotiate_rdf as negotiate
from ..listing import collation_key
from ..ontology_diagrams import all_neighbourhoods
from ..ontology_terms import langs, ontology
from ..ui import current_lang

bp = Blueprint("ontology_docs", __name__)
#: The class whose neighbourhood the page's first diagram shows.
FOCUS = "https://w3id.org/kooperationsgraph/ontology#Kooperation"


@lru_cache(maxsize=4)
def _diagrams(g: Graph, key: tuple[str, ...]) -> dict[str, str]:
    return all_neighbourhoods(g, list(key))


def diagrams(g: Graph, classes: list[str]) -> dict[str, str]:
    """One Mermaid neighbourhood diagram per class, cached with the parsed ontology graph."""
    return _diagrams(g, tuple(sorted(classes)))

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
    meta = {"title": langs(g, URIRef(ONTOLOGY_IRI), URIRef("http://purl.org/dc/terms/title"), RDFS.label),
            "version": g.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo)}
    ordered = sorted(classes.values(), key=lambda t: collation_key(t.label(lang)))
    return render_template("ontology_docs/docs.html", diagram=diagram, counts=counts, meta=meta,
                           classes=ordered, diagrams=diagrams(g, list(classes)), focus=FOCUS,
                           props=sorted(props.values(), key=lambda t: t.label(lang).casefold()),
                           known={**classes, **props})
