"""The cooperation network (actors ↔ cooperations via memberships) drawn with Cytoscape.js, with filters
by sector, Land, federal level and cooperation type; node size by number of cooperations. The same data
is listed as HTML for reading without JavaScript."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from ..namespaces import KG, sparql_prologue
from .extensions import get_backend
from .labels import label_index
from .ui import current_lang, href, script_json

bp = Blueprint("network", __name__)
P = sparql_prologue()
MAX_COOPERATIONS = 300


def iri_arg(name: str) -> str | None:
    v = request.args.get(name, "").strip()
    return v if v.startswith(("http://", "https://")) and not any(c in v for c in '<>"{}|\\^` ') else None


def filter_clause(sektor: str | None, land: str | None, ebene: str | None, typ: str | None) -> str:
    parts = []
    if sektor:
        parts.append(f"?k kg:sektor/skos:broader* <{sektor}> .")
    if ebene:
        parts.append(f"?k kg:ebene <{ebene}> .")
    if typ:
        parts.append(f"?k a/rdfs:subClassOf* <{typ}> .")
    if land:
        parts.append(f"{{ ?k kg:sitz|kg:abdeckung ?u . ?u kg:liegtIn <{land}> }} UNION "
                     f"{{ ?k kg:sitz|kg:abdeckung <{land}> }}")
    return "\n".join(parts)


def network_data(sektor: str | None, land: str | None, ebene: str | None, typ: str | None) -> dict:
    backend = get_backend()
    where = filter_clause(sektor, land, ebene, typ)
    koops = [str(r[0]) for r in backend.query(
        P + f"SELECT DISTINCT ?k WHERE {{ ?k a kg:Kooperation . {where} }} ORDER BY ?k").rows]
    cut = len(koops) > MAX_COOPERATIONS
    keep = set(koops[:MAX_COOPERATIONS])
    edges: set[tuple[str, str]] = set()
    rows = backend.query(P + "SELECT DISTINCT ?a ?k WHERE { ?m a kg:Mitgliedschaft ; kg:mitglied ?a ; "
                             "kg:kooperation ?k }").rows
    for a, k in rows:
        if str(k) in keep:
            edges.add((str(a), str(k)))
    degree: dict[str, int] = defaultdict(int)
    for a, k in edges:
        degree[a] += 1
        degree[k] += 1
    idx = label_index(backend)
    lang = current_lang()
    q_all = P + "SELECT DISTINCT ?k WHERE { ?k a kg:Kooperation }"
    all_koops = {str(r[0]) for r in backend.query(q_all).rows}
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
    backend = get_backend()
    idx = label_index(backend)
    lang = current_lang()

    def opts(q: str) -> list[tuple[str, str]]:
        items = [(str(r[0]), idx.label(str(r[0]), lang) or str(r[0])) for r in backend.query(P + q).rows]
        return sorted(items, key=lambda kv: kv[1].casefold())

    return {
        "sektor": opts("SELECT DISTINCT ?s WHERE { ?s skos:inScheme sektor:schema }"),
        "land": opts("SELECT DISTINCT ?l WHERE { ?l a kg:Bundesland }"),
        "ebene": opts("SELECT DISTINCT ?e WHERE { ?e a kg:FoederaleEbene }"),
        "typ": opts(f"SELECT DISTINCT ?t WHERE {{ ?t rdfs:subClassOf+ <{KG.Kooperation}> }}"),
    }


def current_filters() -> dict[str, str | None]:
    return {k: iri_arg(k) for k in ("sektor", "land", "ebene", "typ")}


@bp.get("/network.json")
def data() -> ResponseReturnValue:
    return jsonify(network_data(**current_filters()))


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
