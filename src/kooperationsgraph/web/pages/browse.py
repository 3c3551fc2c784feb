"""Entity pages at the resource's own IRI path (linked data): ``/id/…``, ``/example/…`` and
``/ontology/<Term>`` serve ``https://w3id.org/kooperationsgraph/…`` with content negotiation —
HTML for browsers, Turtle, N-Triples or JSON-LD by ``Accept`` or ``?format=``."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from ...catalogue import app_query
from ...changes import changes_touching
from ...errors import KooperationsgraphError
from ...lang import pick_literal
from ...namespaces import BASE, KG
from ...sparql.terms import iri, is_iri
from ...store.base import Backend
from ..entity import INCOMING_PER_PROPERTY, description_graph, gather, neighbours, open_findings
from ..entity_clean import property_title
from ..extensions import get_backend, settings, versioned
from ..http import RDF_RENDERINGS, negotiate_rdf
from ..labels import label_index
from ..listing import collation_key
from ..ui import compact_iri, current_lang, href, script_json
from .resilience import entity_failure

bp = Blueprint("browse", __name__)
#: Entity families whose pages show "if this fails" (the resilience analysis of the store version).
FAILABLE = {str(KG.Akteur), str(KG.Kooperation)}
LAND = str(KG.Bundesland)
REGION_KINDS = {str(KG.Kreis), str(KG.Gemeinde)}
Q_LAND_COOPS = app_query("land-kooperationen")
Q_LAND_ACTORS = app_query("land-akteure")

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
    paged, page = incoming_page_args()
    view = gather(backend, iri, paged, page)
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
        family=family, net=network_json(neighbours(view), iri), edits=changes_touching(backend, iri)[:10],
        prop_title=lambda p: property_title(backend, str(p), current_lang()), kind=region_kind,
        in_url=in_url, in_anchor=in_anchor, per_page=INCOMING_PER_PROPERTY,
        land=land_members(backend, iri) if family == LAND else None))
    resp.headers["Vary"] = "Accept"
    resp.headers["Link"] = ", ".join(f'<{request.path}?format={n}>; rel="alternate"; type="{m}"'
                                     for n, (m, _) in RDF_RENDERINGS.items())
    return resp


def incoming_page_args() -> tuple[URIRef | None, int]:
    """``?in=<property IRI>&inpage=N``: which page of which property's incoming links (400 if malformed)."""
    prop, page = request.args.get("in", ""), request.args.get("inpage", "1")
    if not page.isdigit() or len(page) > 6:
        abort(400, "inpage must be a positive number")
    return (iri(prop) if prop else None), max(1, int(page))


def in_anchor(prop: object) -> str:
    return "in-" + "".join(c if c.isalnum() else "-" for c in compact_iri(str(prop)))


def in_url(prop: object) -> Callable[[int], str]:
    """The pager's link to page N of one property's incoming links."""
    def url(page: int) -> str:
        return "?" + urlencode({"in": str(prop), "inpage": page}) + "#" + in_anchor(prop)
    return url


def region_kind(node: object) -> str:
    """The type of a linked region, said when it matters ("Herford (Kreis)" beside the Gemeinde Herford)."""
    if not isinstance(node, URIRef):
        return ""
    fam = label_index(get_backend()).family(str(node))
    return (label_index(get_backend()).label(fam, current_lang()) or "") if fam in REGION_KINDS else ""


def land_members(backend: Backend, land: str) -> dict[str, list[str]]:
    """The cooperations and actors of a Land and the areas inside it — the Länder table's definition
    (queries/app/land-*.rq), sorted by name; cached per store version, language and Land."""
    lang = current_lang()

    def build(b: Backend) -> dict[str, list[str]]:
        idx, out = label_index(b), {}
        for name, q in (("kooperationen", Q_LAND_COOPS), ("akteure", Q_LAND_ACTORS)):
            rows = [str(r[0]) for r in b.query(q, bindings={"land": URIRef(land)}).rows]
            out[name] = sorted(rows, key=lambda i: collation_key(idx.label(i, lang) or i))
        return out

    return versioned(f"land-members:{lang}:{land}", build, backend)


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
