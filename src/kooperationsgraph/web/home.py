"""Start page (placeholder until the web UI lands): store statistics as JSON or minimal HTML."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template_string, request

from ..stats import collect
from .extensions import get_backend

bp = Blueprint("home", __name__)

PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Kooperationsgraph</title></head>
<body><h1>Kooperationsgraph</h1>
<p>{{ st.triples }} Tripel · {{ st.cooperations }} Kooperationen · {{ st.actors }} Akteure ·
{{ st.laender }} Länder · {{ st.kreise }} Kreise · {{ st.gemeinden }} Gemeinden</p>
<p><a href="/sparql">SPARQL-Endpunkt</a></p>
<p><small>Compliance-Befunde sind Hinweise, keine Rechtsberatung.</small></p></body></html>"""


@bp.get("/")
def index():
    st = collect(get_backend())
    if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json":
        return jsonify(st.as_dict())
    return render_template_string(PAGE, st=st)
