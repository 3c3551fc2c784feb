"""Reference documentation of the ontology, generated from ontology/kooperationsgraph.ttl at request time
(cached until the file changes): every class and property with label, definition, hierarchy, domain and
range, the class diagram (Mermaid text from :mod:`kooperationsgraph.diagram`, drawn by the vendored
mermaid library; the text stays readable without JavaScript) and links from each class to its instances.
``/ontology`` is also the ontology's own IRI: Turtle, N-Triples and JSON-LD by content negotiation."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask.typing import ResponseReturnValue
from rdflib import OWL, RDFS, URIRef

from ...namespaces import ONTOLOGY_IRI
from ..extensions import cached_stats, get_backend
from ..http import RDF_RENDERINGS
from ..http import negotiate_rdf as negotiate
from ..ontology_terms import langs, ontology
from ..ui import current_lang

bp = Blueprint("ontology_docs", __name__)

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
    return render_template("ontology_docs/docs.html", diagram=diagram, counts=counts, meta=meta,
                           classes=sorted(classes.values(), key=lambda t: t.label(lang).casefold()),
                           props=sorted(props.values(), key=lambda t: t.label(lang).casefold()),
                           known={**classes, **props})
