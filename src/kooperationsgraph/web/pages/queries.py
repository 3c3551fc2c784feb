"""The query catalogue over HTTP: ``GET /queries`` (JSON or HTML list) and ``GET /queries/<id>?param=…``
(results in every format, through the same screening, timeout, cache and ETags as ``/sparql``)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template_string, request

from ...catalogue import Catalogue
from ...store.pool import APP
from ..extensions import settings
from ..http import cors
from .sparql import run_query

bp = Blueprint("queries", __name__)
RESERVED = {"format", "timeout", "lang"}

LIST_PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Abfragekatalog</title></head>
<body><h1>Abfragekatalog</h1><ul>
{% for q in queries %}<li><a href="/query?example={{ q.id }}">{{ q.title.de }}</a> ({{ q.view }}) –
{{ q.description.de }} · <a href="/queries/{{ q.id }}?format=csv">CSV</a> ·
<a href="/queries/{{ q.id }}?format=json">JSON</a></li>{% endfor %}
</ul></body></html>"""


def catalogue() -> Catalogue:
    cat = current_app.extensions.get("kg_catalogue")
    if cat is None:
        cat = Catalogue.load(settings().queries_dir)
        current_app.extensions["kg_catalogue"] = cat
    return cat


@bp.get("/queries")
def index() -> Response:
    qs = list(catalogue())
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html" \
            and request.values.get("format") != "json":
        return Response(render_template_string(LIST_PAGE, queries=qs), mimetype="text/html")
    return cors(jsonify([q.as_json() for q in qs]))


@bp.get("/queries/<query_id>")
def run(query_id: str) -> Response:
    q = catalogue().get(query_id)
    params = {k: v for k, v in request.args.items() if k not in RESERVED}
    return cors(run_query(q.text, bindings=q.bindings(params), lane=APP))
