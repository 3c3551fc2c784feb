"""Small JSON helpers of the query page: labels for the IRIs of a result (the table shows labels, as WDQS and
QLever do) and completions for a prefixed name being typed (ontology terms and entities). Both read the label
index (web/labels.py, built once per store version) and the ontology file; neither builds SPARQL."""

from __future__ import annotations

from bisect import bisect_left

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from ..extensions import get_backend, versioned
from ..geo import _K, ATTRIBUTION, WIDTH, frame, land_paths
from ..labels import LabelIndex, label_index
from ..ontology_terms import ontology
from ..ui import current_lang

bp = Blueprint("query_api", __name__)

#: At most this many IRIs per label request (a result page of the table), and completions per answer.
MAX_LABELS = 500
MAX_COMPLETIONS = 40
#: Completions start at a project namespace (no need to offer rdf:type from here).
PROJECT = "https://w3id.org/kooperationsgraph/"


def _sorted_iris(backend: object) -> list[str]:
    idx = label_index(backend)  # type: ignore[arg-type]
    _g, classes, props, _d = ontology()
    return sorted(set(idx.labels) | set(classes) | set(props))


def sorted_iris() -> list[str]:
    """Every labelled IRI plus the ontology's terms, sorted (for prefix search), once per store version."""
    return versioned("query-iris", _sorted_iris)


def _label(idx: LabelIndex, iri: str, lang: str) -> str | None:
    found = idx.label(iri, lang)
    if found:
        return found
    _g, classes, props, _d = ontology()
    term = classes.get(iri) or props.get(iri)
    return term.label(lang) if term else None


@bp.route("/query/labels.json", methods=["GET", "POST"])
def labels() -> ResponseReturnValue:
    """``{"labels": {iri: label}}`` in the page language (one fallback: lang.pick) for the given ``iri``
    values (form or query string, repeated; at most MAX_LABELS). IRIs without a label are left out."""
    iris = request.values.getlist("iri")
    if len(iris) > MAX_LABELS:
        return jsonify({"error": "too-many-iris", "message": f"at most {MAX_LABELS} IRIs per request"}), 400
    idx = label_index(get_backend())
    lang = current_lang()
    out = {}
    for iri in dict.fromkeys(iris):
        found = _label(idx, iri, lang)
        if found:
            out[iri] = found
    return jsonify({"labels": out, "lang": lang})


@bp.get("/query/complete.json")
def complete() -> ResponseReturnValue:
    """``{"completions": [{"iri", "label"}]}``: IRIs of the project that start with ``prefix`` (a full IRI
    start, as the editor expands ``kg:Koop`` to it), shortest first, at most MAX_COMPLETIONS."""
    prefix = request.args.get("prefix", "")
    if not prefix.startswith(PROJECT) or len(prefix) > 500:
        return jsonify({"completions": []})
    iris = sorted_iris()
    hits: list[str] = []
    i = bisect_left(iris, prefix)
    while i < len(iris) and iris[i].startswith(prefix) and len(hits) < 2000:
        hits.append(iris[i])
        i += 1
    hits.sort(key=lambda s: (len(s), s))
    idx = label_index(get_backend())
    lang = current_lang()
    return jsonify({"completions": [{"iri": h, "label": _label(idx, h, lang) or ""} for h in hits[:MAX_COMPLETIONS]]})


@bp.get("/query/map.json")
def map_shapes() -> ResponseReturnValue:
    """The Länder outlines for the query page's map view (projected SVG paths from the vendored BKG VG5000
    boundaries, see web/geo.py) and the projection for result points; no tile server."""
    paths, height = land_paths()
    x0, y0, scale = frame()
    resp = jsonify({"width": WIDTH, "height": round(height, 1), "k": _K, "x0": x0, "y0": y0, "scale": scale,
                    "attribution": ATTRIBUTION, "regions": [{"ars": a, "name": n, "d": d} for a, n, d in paths]})
    resp.headers["Cache-Control"] = "public, max-age=86400"
    return resp
