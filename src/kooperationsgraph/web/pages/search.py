"""Search over labels in both languages, case- and diacritics-insensitive ("sudwest" finds "Südwest"),
all words in any order, "ue"/"oe"/"ae" for umlauts ("muenchen" finds "München"), exact names first, a
one-line description per hit ("Kreis in Nordrhein-Westfalen"), results grouped by type;
``/search.json`` feeds the type-ahead. The normalised index is built once per store version (:mod:`.labels`)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from ..extensions import get_backend
from ..labels import FAMILIES, label_index
from ..ui import current_lang, href, label

bp = Blueprint("search", __name__)

TYPEAHEAD_HITS = 10
PER_GROUP = 50


@bp.get("/search.json")
def typeahead() -> ResponseReturnValue:
    q = request.args.get("q", "")
    idx = label_index(get_backend())
    lang = current_lang()
    hits = []
    for e, _rank in idx.search(q, limit=TYPEAHEAD_HITS):
        fam = idx.family(e.iri)
        hits.append({"iri": e.iri, "href": href(e.iri) or "", "label": idx.label(e.iri, lang) or e.text,
                     "matched": e.text, "type": label(fam) if fam else "",
                     "description": idx.description(e.iri, lang)})
    return jsonify({"q": q, "hits": hits})


@bp.get("/search")
def results() -> ResponseReturnValue:
    q = request.args.get("q", "").strip()
    idx = label_index(get_backend())
    lang = current_lang()
    groups: dict[str, list[Hit]] = {}
    best: dict[str, int] = {}
    total = 0
    cut = False
    if q:
        for e, rank in idx.search(q, limit=0):
            fam = idx.family(e.iri) or ""
            bucket = groups.setdefault(fam, [])
            best.setdefault(fam, rank)  # hits come best first
            total += 1
            if len(bucket) < PER_GROUP:
                bucket.append(Hit(e.iri, e.text, e.lang, idx.description(e.iri, lang)))
            else:
                cut = True
    order = {f: i for i, f in enumerate(FAMILIES)}
    # the group holding the best match comes first ("muenchen": the Kreis and the Gemeinde before the clinics)
    ordered = sorted(groups.items(), key=lambda kv: (best[kv[0]], order.get(kv[0], 99), kv[0]))
    return render_template("search/results.html", q=q, groups=ordered, total=total, cut=cut,
                           per_group=PER_GROUP)


@dataclass(frozen=True)
class Hit:
    iri: str
    text: str
    lang: str
    description: str
