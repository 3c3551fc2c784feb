"""The cooperation network (actors ↔ cooperations via memberships) drawn with Cytoscape.js, with filters
by sector, Land, federal level and cooperation type; node size by number of cooperations. The same data
is listed as HTML for reading without JavaScript."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from rdflib import URIRef

from ...namespaces import BASE, sparql_prologue
from ...sparql.terms import iri
from ...store.base import Backend
from ..extensions import get_backend, versioned
from ..labels import label_index
from ..listing import collation_key
from ..ui import current_lang, href, script_json

bp = Blueprint("network", __name__)
P = sparql_prologue()
MAX_COOPERATIONS = 300
#: Neighbours added per expanded node.
MAX_NEIGHBOURS = 200


def iri_arg(name: str) -> URIRef | None:
    """A filter value: empty means no filter; anything else must be an IRI (400 otherwise)."""
    v = request.args.get(name, "").strip()
    return iri(v) if v else None


#: Constant pattern per filter; the chosen value is bound to the variable of the same name.
FILTERS = {
    "sektor": "?k kg:sektor/skos:broader* ?sektor .",
    "ebene": "?k kg:ebene ?ebene .",
    "typ": "?k a/rdfs:subClassOf* ?typ .",
    "land": "{ ?k kg:sitz|kg:abdeckung ?u . ?u kg:liegtIn ?land } UNION { ?k kg:sitz|kg:abdeckung ?land }",
}


def cooperations_query(active: dict[str, URIRef]) -> str:
    """The query for the chosen filters: constant fragments only; values travel as bindings."""
    where = "\n  ".join(FILTERS[name] for name in FILTERS if name in active)
    return P + "SELECT DISTINCT ?k WHERE {\n  ?k a kg:Kooperation .\n  " + where + "\n} ORDER BY ?k"


Q_EDGES = P + "SELECT DISTINCT ?a ?k WHERE { ?m a kg:Mitgliedschaft ; kg:mitglied ?a ; kg:kooperation ?k }"
Q_ALL_COOPS = P + "SELECT DISTINCT ?k WHERE { ?k a kg:Kooperation }"


def membership_edges(backend: Backend) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """Every (actor, cooperation) membership edge and every cooperation, once per store version."""
    return versioned("network-edges", lambda b: (
        frozenset((str(a), str(k)) for a, k in b.query(Q_EDGES).rows),
        frozenset(str(r[0]) for r in b.query(Q_ALL_COOPS).rows)), backend)


def network_data(sektor: URIRef | None, land: URIRef | None, ebene: URIRef | None, typ: URIRef | None) -> dict:
    """The drawn network for the filters, cached per store version, language and filter values when every
    value is one of the form's options (so random IRIs cannot fill the cache)."""
    backend = get_backend()
    active = {k: v for k, v in {"sektor": sektor, "land": land, "ebene": ebene, "typ": typ}.items() if v is not None}
    known = options()
    if all(str(v) in {o for o, _ in known[k]} for k, v in active.items()):
        key = "network:" + current_lang() + ":" + "|".join(f"{k}={active[k]}" for k in sorted(active))
        return versioned(key, lambda b: _network_data(b, active), backend)
    return _network_data(backend, active)


def _network_data(backend: Backend, active: dict[str, URIRef]) -> dict:
    koops = [str(r[0]) for r in backend.query(cooperations_query(active), bindings=active).rows]
    cut = len(koops) > MAX_COOPERATIONS
    keep = set(koops[:MAX_COOPERATIONS])
    all_edges, all_koops = membership_edges(backend)
    edges = {(a, k) for a, k in all_edges if k in keep}
    degree: dict[str, int] = defaultdict(int)
    for a, k in edges:
        degree[a] += 1
        degree[k] += 1
    idx = label_index(backend)
    lang = current_lang()
    nodes = []
    for n in sorted(keep | {a for a, _ in edges}):
        is_koop = n in all_koops
        nodes.append({"id": n, "label": idx.label(n, lang) or n.rsplit("/", 1)[-1], "href": href(n) or "",
                      "family": "Kooperation" if is_koop and n in keep else "Akteur",
                      "size": max(1, degree[n])})
    actor_coops: dict[str, int] = defaultdict(int)
    for a, _k in edges:
        actor_coops[a] += 1
    for node in nodes:
        if node["family"] == "Akteur":
            node["size"] = actor_coops[node["id"]]
    return {"nodes": nodes, "edges": [{"source": a, "target": k, "label": ""} for a, k in sorted(edges)],
            "cut": cut, "cooperations": len(koops)}


def options() -> dict[str, list[tuple[str, str]]]:
    """The filter form's choices, in German collation order, cached per store version and language."""
    lang = current_lang()

    def build(backend: Backend) -> dict[str, list[tuple[str, str]]]:
        idx = label_index(backend)

        def opts(q: str) -> list[tuple[str, str]]:
            items = [(str(r[0]), idx.label(str(r[0]), lang) or str(r[0])) for r in backend.query(P + q).rows]
            return sorted(items, key=lambda kv: collation_key(kv[1]))

        return {
            "sektor": opts("SELECT DISTINCT ?s WHERE { ?s skos:inScheme sektor:schema }"),
            "land": opts("SELECT DISTINCT ?l WHERE { ?l a kg:Bundesland }"),
            "ebene": opts("SELECT DISTINCT ?e WHERE { ?e a kg:FoederaleEbene }"),
            "typ": opts("SELECT DISTINCT ?t WHERE { ?t rdfs:subClassOf+ kg:Kooperation }"),
        }

    return versioned("network-options:" + lang, build)


def neighbourhood(node: str) -> dict:
    """A node's direct neighbours in the membership network (its cooperations or members), as the page's
    node/edge JSON, for expanding the picture on click (GraphDB's visual graph)."""
    backend = get_backend()
    all_edges, all_koops = membership_edges(backend)
    edges = sorted((a, k) for a, k in all_edges if node in (a, k))[:MAX_NEIGHBOURS]
    idx = label_index(backend)
    lang = current_lang()
    degree: dict[str, int] = defaultdict(int)
    for a, k in all_edges:
        degree[a] += 1
        degree[k] += 1
    ids = sorted({node} | {a for a, _ in edges} | {k for _, k in edges})
    nodes = [{"id": n, "label": idx.label(n, lang) or n.rsplit("/", 1)[-1], "href": href(n) or "",
              "family": "Kooperation" if n in all_koops else "Akteur", "size": max(1, degree[n])} for n in ids]
    return {"nodes": nodes, "edges": [{"source": a, "target": k, "label": ""} for a, k in edges],
            "total": sum(1 for a, k in all_edges if node in (a, k))}


def current_filters() -> dict[str, URIRef | None]:
    """The filters of the request; ``land`` also takes the Land's two-digit ARS (``?land=09``)."""
    land = request.args.get("land", "").strip()
    if len(land) == 2 and land.isdigit():
        return {k: iri_arg(k) for k in ("sektor", "ebene", "typ")} | {"land": URIRef(BASE + "id/land/" + land)}
    return {k: iri_arg(k) for k in ("sektor", "land", "ebene", "typ")}


@bp.get("/network.json")
def data() -> ResponseReturnValue:
    return jsonify(network_data(**current_filters()))


@bp.get("/network/neighbours.json")
def neighbours() -> ResponseReturnValue:
    node = iri_arg("node")
    if node is None:
        abort(400, "node must be an IRI")
    return jsonify(neighbourhood(str(node)))


@bp.get("/network")
def page() -> ResponseReturnValue:
    filters = current_filters()
    d = network_data(**filters)
    by_koop: dict[str, list[str]] = defaultdict(list)
    for e in d["edges"]:
        by_koop[e["target"]].append(e["source"])
    koops = [n for n in d["nodes"] if n["family"] == "Kooperation"]
    blob = script_json(d)
    return render_template("network/page.html", d=d, blob=blob, filters=filters, options=options(),
                           koops=koops, by_koop=by_koop, max_koops=MAX_COOPERATIONS)
