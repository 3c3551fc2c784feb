"""Lists: instances by class in German collation order (paging, jump-to-page, an A–Z index, a filter box,
facet counts for type, sector, level, Land and Kreis; rows cached per store version in :mod:`..listing`),
the sectors as the SKOS tree, the federal levels, and the Länder with counts and a map."""

from __future__ import annotations

import math
from collections import defaultdict

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ...catalogue import app_query
from ...namespaces import KG
from ...sparql.terms import iri
from ..extensions import cached_stats, get_backend
from ..geo import ATTRIBUTION, WIDTH, land_paths, shade
from ..labels import label_index
from ..listing import FACETS, collation_key, facet_counts, letter_pages, list_data, query_words, select
from ..ui import current_lang

bp = Blueprint("lists", __name__)
PAGE_SIZE = 50

#: Named lists → the classes they show (the overview's entry points).
NAMED_LISTS: dict[str, tuple[str, ...]] = {
    "kooperationen": ("Kooperation",),
    "akteure": ("Akteur",),
    "vereinbarungen": ("Vereinbarung",),
    "normen": ("Rechtsakt", "Rechtsnorm"),
}
SORTS = ("label", "type")
MAX_FILTER = 200
Q_IS_CLASS = app_query("liste-ist-klasse")


def paged_list(title: str, classes: tuple[str, ...], endpoint: str, **route_args: str) -> ResponseReturnValue:
    active = {k: str(iri(request.args[k])) for k in FACETS if request.args.get(k)}  # facet values are IRIs
    sort = request.args.get("sort", "label")
    if sort not in SORTS:
        abort(400, f"sort must be one of {', '.join(SORTS)}")
    page_arg = request.args.get("page", "1").strip() or "1"
    if not page_arg.isdigit() or len(page_arg) > 9:
        abort(400, "page must be a positive number")
    q = request.args.get("q", "")[:MAX_FILTER]
    lang = current_lang()
    data = list_data(classes, lang)  # only after every argument was checked
    qwords = query_words(q)
    counts = facet_counts(data, active, qwords)
    rows = select(data.rows, active, qwords)
    idx = label_index(get_backend())
    options = {k: sorted(counts[k].items(), key=lambda kv: collation_key(idx.label(kv[0], lang) or kv[0]))
               for k in ("land", "kreis")}
    if sort == "type":
        rows = sorted(rows, key=lambda r: (sorted(idx.label(t, lang) or t for t in r.types), r.key))
    total = len(rows)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, int(page_arg)), pages)
    start = (page - 1) * PAGE_SIZE
    letters = letter_pages(rows, PAGE_SIZE) if sort == "label" else {}
    shown = rows[start:start + PAGE_SIZE]
    anchors = {}
    for r in shown:
        anchors.setdefault(r.letter, r.iri)

    def url(page_no: int | None = None, **changes: str | None) -> str:
        args = {**route_args, **active, "q": q.strip() or None, "sort": sort if sort != "label" else None, **changes}
        if page_no:
            args["page"] = str(page_no)
        return url_for(endpoint, **{k: v for k, v in args.items() if v})

    hidden = {**active, **({"sort": sort} if sort != "label" else {})}
    return render_template("lists/class_list.html", title=title, rows=shown, total=total, page=page, pages=pages,
                           start=start + 1 if total else 0, end=min(start + PAGE_SIZE, total), counts=counts,
                           active=active, sort=sort, url=url, classes=[str(KG[c]) for c in classes], q=q,
                           letters=letters, alphabet=ALPHABET, anchors=anchors, columns=data.columns,
                           hidden=hidden, options=options, list_path=url_for(endpoint, **route_args))


ALPHABET = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ#")


@bp.get("/lists")
def overview() -> ResponseReturnValue:
    st = cached_stats(get_backend())
    return render_template("lists/overview.html", st=st, named=NAMED_LISTS)


@bp.get("/lists/class/<name>")
def by_class(name: str) -> ResponseReturnValue:
    if not name.isidentifier() or not get_backend().query(Q_IS_CLASS, bindings={"c": KG[name]}).boolean:
        abort(404, f"no class {name!r} in the ontology")
    return paged_list(str(KG[name]), (name,), "lists.by_class", name=name)


@bp.get("/lists/<any(kooperationen, akteure, vereinbarungen, normen):name>")
def named(name: str) -> ResponseReturnValue:
    classes = NAMED_LISTS[name]
    return paged_list(str(KG[classes[0]]), classes, "lists.named", name=name)


@bp.get("/lists/sektoren")
def sectors() -> ResponseReturnValue:
    backend = get_backend()
    st = cached_stats(backend)
    counts = {str(s["sektor"]): s for s in st.sectors}
    rows = backend.query(app_query("liste-sektorbaum")).rows
    children: dict[str, list[str]] = defaultdict(list)
    nodes = set()
    for s, b in rows:
        nodes.add(str(s))
        children[str(b) if b is not None else ""].append(str(s))
    idx = label_index(backend)
    lang = current_lang()
    for k in children:
        children[k].sort(key=lambda i: (idx.label(i, lang) or i).casefold())
    roots = [n for n in children.get("", [])]
    roots += sorted({str(b) for _, b in rows if b is not None and str(b) not in nodes})
    return render_template("lists/sectors.html", roots=roots, children=children, counts=counts)


@bp.get("/lists/ebenen")
def levels() -> ResponseReturnValue:
    rows = [(str(e), int(k), int(a)) for e, k, a in get_backend().query(app_query("liste-ebenen")).rows]  # type: ignore[arg-type]
    return render_template("lists/levels.html", rows=rows)


@bp.get("/lists/laender")
def laender() -> ResponseReturnValue:
    st = cached_stats(get_backend())
    table = st.laender_table
    by_ars = {str(r["ars"]): r for r in table}
    paths, height = land_paths()
    most = max((int(r.get("kooperationen", 0)) for r in table), default=0)
    shapes = []
    for ars, name, d in paths:
        r = by_ars.get(ars, {})
        n = int(r.get("kooperationen", 0))
        shapes.append({"ars": ars, "name": name, "d": d, "fill": shade(n, most), "n": n,
                       "actors": int(r.get("akteure", 0))})
    return render_template("lists/laender.html", table=table, shapes=shapes, width=WIDTH, height=height,
                           attribution=ATTRIBUTION)
