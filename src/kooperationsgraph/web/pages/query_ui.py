"""/query: the YASGUI editor (vendored @zazuko/yasgui) against /sparql with the project prefixes, the query
catalogue as an example gallery with parameter fields, autocomplete of our own classes and properties
(served locally as JSON, no external service), result views (table, bar chart, map, network) as the catalogue
entry prefers, downloads in every result format and a permalink (URL hash) that reopens query and view."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from ...catalogue import Catalogue
from ...errors import KooperationsgraphError
from ...lang import pick
from ...namespaces import PREFIXES
from ..extensions import settings
from ..ontology_terms import ontology
from ..ui import current_lang, messages, script_json
from .query_api import MAX_LABELS

bp = Blueprint("query_ui", __name__)

DEFAULT_QUERY = """SELECT ?kooperation ?label (COUNT(?m) AS ?mitglieder) WHERE {
  ?kooperation a kg:Kooperation ; rdfs:label ?label .
  FILTER(LANG(?label) = "de")
  OPTIONAL { ?m kg:kooperation ?kooperation }
}
GROUP BY ?kooperation ?label
ORDER BY DESC(?mitglieder)
LIMIT 50
"""
VIEWS = {"table": "table", "bar": "barchart", "barchart": "barchart", "chart": "barchart",
         "network": "network", "graph": "network", "response": "response", "map": "map", "karte": "map"}


@dataclass
class Param:
    name: str
    type: str = "string"
    required: bool = False
    example: str = ""
    description: str = ""


@dataclass
class Example:
    id: str
    title: str
    description: str
    view: str
    params: list[Param] = field(default_factory=list)


def _attr(obj: object, *names: str, default: object = "") -> object:
    for n in names:
        if isinstance(obj, dict) and n in obj:
            return obj[n]
        if hasattr(obj, n):
            return getattr(obj, n)
    return default


def in_lang(value: object) -> str:
    """A catalogue text: plain, or a dict by language (current language, then German, English, any)."""
    if isinstance(value, dict):
        return str(pick(value, current_lang()) or "")
    return str(value or "")


def load_catalogue() -> object | None:
    try:
        return Catalogue.load(settings().queries_dir)
    except KooperationsgraphError as exc:
        current_app.logger.warning("query catalogue not loaded: %s", exc)
        return None


def _entries(cat: object) -> list[object]:
    for name in ("queries", "entries", "items"):
        value = getattr(cat, name, None)
        if value is not None:
            value = value() if callable(value) else value
            return list(value.values()) if isinstance(value, dict) else list(value)
    return list(cat) if hasattr(cat, "__iter__") else []  # type: ignore[call-overload]


def examples(cat: object | None) -> list[Example]:
    if cat is None:
        return []
    out = []
    for q in _entries(cat):
        raw_params = _attr(q, "params", "parameters", default=[]) or []
        if isinstance(raw_params, dict):
            items = list(raw_params.items())
        else:
            items = [(_attr(p, "name"), p) for p in raw_params]
        params = [Param(str(n), str(_attr(p, "type", default="string") or "string"),
                        bool(_attr(p, "required", default=False)),
                        str(_attr(p, "example", "default", default="") or ""),
                        in_lang(_attr(p, "description", "label", default=""))) for n, p in items]
        view = str(_attr(q, "view", "preferred_view", "result_view", default="table") or "table")
        out.append(Example(str(_attr(q, "id", "name")), in_lang(_attr(q, "title")), in_lang(_attr(q, "description")),
                           VIEWS.get(view.lower(), "table"), params))
    return out


def render_example(cat: object, qid: str, params: dict[str, str]) -> str:
    return str(cat.get(qid).render(params))  # type: ignore[attr-defined]


@bp.get("/query")
def page() -> ResponseReturnValue:
    cat = load_catalogue()
    gallery = examples(cat)
    query, view, error = DEFAULT_QUERY, "table", None
    chosen = request.args.get("example")
    if chosen and cat is not None:
        params = {k[2:]: v for k, v in request.args.items() if k.startswith("p_") and v}
        try:
            query = render_example(cat, chosen, params)
            view = next((e.view for e in gallery if e.id == chosen), "table")
        except KooperationsgraphError as exc:
            error = str(exc)
    config = {"endpoint": "/sparql", "prefixes": PREFIXES, "query": query, "view": view,
              "terms": "/query/terms.json", "render": "/query/render",
              "labels": "/query/labels.json", "complete": "/query/complete.json", "map": "/query/map.json",
              "maxLabels": MAX_LABELS,
              "messages": script_messages()}
    sparql_ready = "sparql.query" in current_app.view_functions or any(
        r.rule == "/sparql" for r in current_app.url_map.iter_rules())
    return render_template("query_ui/page.html", gallery=gallery, catalogue=cat is not None, query=query,
                           error=error, config=script_json(config),
                           sparql_ready=sparql_ready)


def script_messages() -> dict[str, str]:
    """The page language's texts the editor script shows (errors, cancel, views)."""
    lang = current_lang()
    de, mine = messages("de"), messages(lang)
    wanted = ("query.error.", "query.view.", "query.cancel", "query.running")
    return {k: mine.get(k) or v for k, v in de.items() if k.startswith(wanted)}


@bp.get("/query/render/<qid>")
def render_json(qid: str) -> ResponseReturnValue:
    """The catalogue query with parameters bound (binding is the catalogue module's job)."""
    cat = load_catalogue()
    if cat is None:
        return jsonify({"error": "catalogue-unavailable"}), 503
    gallery = {e.id: e for e in examples(cat)}
    if qid not in gallery:
        return jsonify({"error": "query-not-found", "message": qid}), 404
    try:
        text = render_example(cat, qid, {k: v for k, v in request.args.items() if v})
    except KooperationsgraphError as exc:
        return jsonify({"error": "invalid-parameter", "message": str(exc)}), 400
    return jsonify({"id": qid, "query": text, "view": gallery[qid].view})


@bp.get("/query/terms.json")
def terms() -> ResponseReturnValue:
    """Classes and properties of our ontology for the editor's autocompleters (full IRIs)."""
    _g, classes, props, _diagram = ontology()
    return jsonify({"classes": sorted(classes), "properties": sorted(props)})
