"""Entity pages at the resource's own IRI path (linked data): ``/id/…``, ``/example/…`` and
``/ontology/<Term>`` serve ``https://w3id.org/kooperationsgraph/…`` with content negotiation —
HTML for browsers, Turtle, N-Triples or JSON-LD by ``Accept`` or ``?format=``."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from rdflib.namespace import DCTERMS

from ...changes import changes_touching
from ...errors import KooperationsgraphError
from ...lang import pick_literal
from ...namespaces import BASE, KG
from ...sparql.terms import is_iri
from ..entity import description_graph, gather, neighbours, open_findings
from ..extensions import get_backend, settings
from ..http import RDF_RENDERINGS, negotiate_rdf
from ..labels import label_index
from ..ui import current_lang, href, script_json
from .resilience import entity_failure

bp = Blueprint("browse", __name__)
#: Entity families whose pages show "if this fails" (the resilience analysis of the store version).
FAILABLE = {str(KG.Akteur), str(KG.Kooperation)}

def rdf_response(iri: str, fmt: str) -> Response:
    media, serializer = RDF_RENDERINGS[fmt]
    g = description_graph(get_backend(), iri)
    if not len(g):
        abort(404, f"no data about <{iri}>")
    body = g.serialize(format=serializer)
    resp = Response(body, mimetype=media)
    resp.headers["Vary"] = "Accept"
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def network_json(edges: list[tuple[str, str, str, str]], center: str) -> str:
    idx = label_index(get_backend())
    lang = current_lang()
    nodes = {center} | {e[0] for e in edges} | {e[2] for e in edges}
    data = {
        "nodes": [{"id": n, "label": idx.label(n, lang) or n.rsplit("/", 1)[-1], "href": href(n) or "",
                   "center": n == center, "family": (idx.family(n) or "").rsplit("#", 1)[-1]} for n in nodes],
        "edges": [{"source": s, "target": o, "label": idx.label(p, lang) or p.rsplit("#", 1)[-1]}
                  for s, p, o, _ in edges],
    }
    return script_json(data)


def entity_page(iri: str) -> ResponseReturnValue:
    fmt = negotiate_rdf()
    if not is_iri(iri):  # a path that is no IRI names nothing: 404, and it never reaches a query
        if fmt == "html":
            return render_template("browse/notfound.html", iri=iri), 404
        abort(404, "no such resource: the path does not form a valid IRI")
    if fmt != "html":
        return rdf_response(iri, fmt)
    backend = get_backend()
    view = gather(backend, iri)
    if not view.exists:
        return render_template("browse/notfound.html", iri=iri), 404
    report, findings = open_findings(backend, settings(), iri, current_lang())
    idx = label_index(backend)
    family = idx.family(iri)
    failure = None
    if family in FAILABLE:
        try:
            failure = entity_failure(iri)
        except KooperationsgraphError:  # the analysis could not load: the page shows the entity without it
            failure = None
    resp = Response(render_template(
        "browse/entity.html", iri=iri, view=view, findings=findings, report=report, failure=failure,
        description=pick_lang(view.values(DCTERMS.description)),
        family=family, net=network_json(neighbours(view), iri), edits=changes_touching(backend, iri)[:10]))
    resp.headers["Vary"] = "Accept"
    resp.headers["Link"] = ", ".join(f'<{request.path}?format={n}>; rel="alternate"; type="{m}"'
                                     for n, (m, _) in RDF_RENDERINGS.items())
    return resp


def pick_lang(literals: list) -> object | None:
    return pick_literal(literals, current_lang())


@bp.get("/id/<path:rest>")
def instance(rest: str) -> ResponseReturnValue:
    return entity_page(BASE + "id/" + rest)


@bp.get("/example/<path:rest>")
def example(rest: str) -> ResponseReturnValue:
    return entity_page(BASE + "example/" + rest)


@bp.get("/ontology/<term>")
def ontology_term(term: str) -> ResponseReturnValue:
    return entity_page(BASE + "ontology#" + term)
