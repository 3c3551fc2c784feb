"""The page "Resilienz / Resilience": pick what fails (search with autocomplete, several at once; optional good
and Land), see who loses supply — per good, per Kreis and Gemeinde, hospital sites and beds with backup hours,
cooperations losing members — on the Länder map and in the network picture; the ranked single points of failure.

The scenario lives in the query string (``?remove=IRI&remove=…&good=…&land=…``): a link reopens and recomputes it;
``?format=csv`` / ``?format=json`` (or Accept) download it. The analysis itself lives in :mod:`resilience`;
this module reads the request, picks the cached analysis of the store version and renders."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ...resilience.index import ResilienceIndex
from ...resilience.model import SupplyData
from ...resilience.picture import picture
from ...resilience.render import spof_json, whatif_json
from ...resilience.resolve import UnknownName, expand, resolve_good, resolve_node, suggest
from ...resilience.summary import (
    CSV_COLUMNS,
    affected_kreise,
    backups_used,
    finding_rows,
    hospital_sites,
    people_by_land,
)
from ...resilience.whatif import WhatIf, what_if
from ...sparql.terms import is_iri
from ..errors import error_response
from ..extensions import cached_resilience, peek
from ..geo import ATTRIBUTION, WIDTH, land_paths, shade
from ..ui import current_lang, href, label, script_json, t

bp = Blueprint("resilience", __name__)

MAX_REMOVALS = 20
MAX_TOKEN = 300
SUGGEST_HITS = 10
SPOF_ROWS = 10
FORMATS = {"html": "text/html", "json": "application/json", "csv": "text/csv"}
LAND = re.compile(r"\d{2}")


@dataclass
class Scenario:
    removed: list[str] = field(default_factory=list)
    good: str | None = None
    land: str | None = None
    status: int = 200
    errors: list[str] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)  # ambiguous name → candidates


def response_format() -> str:
    fmt = request.args.get("format", "").strip().lower()
    if fmt:
        if fmt not in FORMATS:
            return ""
        return fmt
    best = request.accept_mimetypes.best_match(list(FORMATS.values()), default="text/html")
    return next(k for k, v in FORMATS.items() if v == best)


def laender(idx: ResilienceIndex) -> list[tuple[str, str]]:
    return sorted((a.ars[:2], a.name) for a in idx.data.areas.values() if a.level == "land" and a.ars)


def goods(idx: ResilienceIndex, lang: str) -> list[tuple[str, str]]:
    return sorted(((g, idx.data.name(g, lang)) for g in idx.graphs), key=lambda kv: kv[1].casefold())


def read_scenario(idx: ResilienceIndex) -> Scenario:
    """The scenario of the query string: malformed values and ambiguous names → 400, names that are well formed
    but name nothing that can fail (an unknown IRI in a permalink) → 404."""
    sc = Scenario()
    bad = unknown = False
    tokens = [v.strip() for v in request.args.getlist("remove") if v.strip()]
    if len(tokens) > MAX_REMOVALS:
        bad, tokens = True, []
        sc.errors.append(t("resilience.err.many", n=MAX_REMOVALS))
    for token in tokens:
        if len(token) > MAX_TOKEN:
            bad = True
            sc.errors.append(t("resilience.err.long", n=MAX_TOKEN))
            continue
        try:
            iri = resolve_node(idx.data, token)
        except UnknownName:
            found = suggest(idx.data, token, 8) if "://" not in expand(token) else []
            if found:
                bad = True
                sc.choices[token] = found
                sc.errors.append(t("resilience.err.ambiguous", name=token, n=len(found)))
            else:
                unknown = True
                sc.errors.append(t("resilience.err.unknown", name=token))
            continue
        if iri not in sc.removed:
            sc.removed.append(iri)
    good = request.args.get("good", "").strip()
    if good:
        try:
            sc.good = resolve_good(idx.data, good[:MAX_TOKEN])
        except UnknownName:
            bad = True
            sc.errors.append(t("resilience.err.good", name=good[:80]))
    land = request.args.get("land", "").strip()
    if land:
        if LAND.fullmatch(land) and land in dict(laender(idx)):
            sc.land = land
        else:
            bad = True
            sc.errors.append(t("resilience.err.land", name=land[:80]))
    sc.status = 400 if bad else 404 if unknown else 200
    return sc


def permalink(sc: Scenario, **extra: str) -> str:
    args: dict[str, object] = {"remove": sc.removed}
    if sc.good:
        args["good"] = sc.good
    if sc.land:
        args["land"] = sc.land
    return url_for("resilience.page", **args, **extra)


# --------------------------------------------------------------------------------------------- downloads
def csv_response(rows: list[dict[str, object]], columns: tuple[str, ...], name: str) -> Response:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: _cell(v) for k, v in r.items()})
    resp = Response(buf.getvalue(), mimetype="text/csv")
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return resp


def _cell(v: object) -> object:
    """Cells that a spreadsheet would run as a formula get a leading apostrophe."""
    return "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v


SPOF_COLUMNS = ("good", "good_name", "rank", "node", "name", "people", "areas", "actors", "above_threshold")


def spof_rows(idx: ResilienceIndex, per_good: dict, lang: str) -> list[dict[str, object]]:
    return [{"good": g, "good_name": idx.data.name(g, lang), "rank": i + 1, "node": n, "name": idx.data.name(n, lang),
             "people": loss.people, "areas": loss.leaves, "actors": loss.actors,
             "above_threshold": idx.data.threshold is not None and loss.people >= idx.data.threshold}
            for g, items in sorted(per_good.items()) for i, (n, loss) in enumerate(items)]


def spof_for(idx: ResilienceIndex, sc: Scenario) -> dict:
    per_good = idx.spof(sc.land)
    return {g: v for g, v in per_good.items() if sc.good is None or g == sc.good}


def download(idx: ResilienceIndex, sc: Scenario, res: WhatIf | None, fmt: str) -> Response:
    lang = current_lang()
    if res is None:  # no scenario: the ranked single points of failure
        per_good = spof_for(idx, sc)
        if fmt == "csv":
            return csv_response(spof_rows(idx, per_good, lang), SPOF_COLUMNS, "single-points-of-failure")
        return jsonify(dict(spof_json(idx.data, per_good, [], []), land=sc.land,
                            indicative=t("resilience.indicative")))
    if fmt == "csv":
        return csv_response(finding_rows(idx.data, res, lang), CSV_COLUMNS, "whatif")
    body = whatif_json(idx.data, res)
    body["permalink"] = permalink(sc)
    body["kreise"] = [{"kreis": r.kreis, "name": idx.data.name(r.kreis, lang), "good": r.good,
                       "people_lost_first_order": r.lost_first, "people_lost_second_order": r.lost_second,
                       "people_at_risk": r.at_risk, "gemeinden": r.gemeinden} for r in affected_kreise(idx.data, res)]
    body["hospital_sites"] = [{"site": s.site, "name": idx.data.name(s.site, lang), "operator": s.operator,
                               "kreis": s.kreis, "beds": s.beds, "emergency_care": s.emergency, "order": s.order,
                               "needs": s.needs, "backup": s.backup, "hours": s.hours}
                              for s in hospital_sites(idx.data, res)]
    body["indicative"] = t("resilience.indicative")
    return jsonify(body)


# ------------------------------------------------------------------------------------------------ routes
@bp.get("/resilience/suggest")
def suggest_json() -> ResponseReturnValue:
    q = request.args.get("q", "")[:MAX_TOKEN]
    idx = cached_resilience()
    lang = current_lang()
    hits = []
    for iri in suggest(idx.data, q, SUGGEST_HITS):
        node = idx.data.nodes[iri]
        hits.append({"iri": iri, "label": idx.data.name(iri, lang), "kind": node.kind,
                     "type": t(f"resilience.kind.{node.kind}"), "href": href(iri) or ""})
    return jsonify({"q": q, "hits": hits})


@bp.get("/resilience")
def page() -> ResponseReturnValue:
    fmt = response_format()
    if not fmt:
        return error_response(400, "invalid-parameter", "format must be one of html, csv, json")
    idx = cached_resilience()
    sc = read_scenario(idx)
    res = what_if(idx.data, sc.removed, idx.graphs, sc.good, sc.land) if sc.removed and sc.status == 200 else None
    if fmt != "html":
        if sc.status != 200:
            code = "not-found" if sc.status == 404 else "invalid-parameter"
            if fmt == "json":
                resp = jsonify({"error": code, "message": " ".join(sc.errors), "choices": sc.choices})
            else:
                resp = Response(" ".join(sc.errors) + "\n", mimetype="text/plain")
            resp.status_code = sc.status
            return resp
        resp = download(idx, sc, res, fmt)
        resp.headers["Access-Control-Allow-Origin"] = "*"
        resp.headers["Vary"] = "Accept"
        return resp
    html = render_template("resilience/page.html", **context(idx, sc, res))
    resp = Response(html, status=sc.status, mimetype="text/html")
    resp.headers["Vary"] = "Accept"
    return resp


def context(idx: ResilienceIndex, sc: Scenario, res: WhatIf | None) -> dict[str, object]:
    lang = current_lang()
    data = idx.data
    ctx: dict[str, object] = {
        "sc": sc, "res": res, "data": data, "goods": goods(idx, lang), "laender": laender(idx),
        "removed": [(r, data.name(r, lang), data.nodes[r].kind) for r in sc.removed],
        "spof": spof_for(idx, sc), "spof_rows": SPOF_ROWS, "threshold": data.threshold,
        "name": lambda iri: display(data, iri, lang),
    }
    if res is None:
        return ctx
    by_land = people_by_land(data, res)
    paths, height = land_paths()
    most = max(by_land.values(), default=0)
    shapes = [{"ars": ars, "name": name, "d": d, "fill": shade(by_land.get(ars, 0), most), "n": by_land.get(ars, 0)}
              for ars, name, d in paths]
    net = picture(data, idx.graphs, res, lang)
    for n in net["nodes"]:
        n["href"] = href(n["id"]) or ""
    ctx.update({
        "goods_hit": sorted(set(res.first) | set(res.second) | set(res.risk), key=lambda g: data.name(g, lang)),
        "kreise": affected_kreise(data, res), "sites": hospital_sites(data, res), "backups": backups_used(res),
        "shapes": shapes, "width": WIDTH, "height": height, "attribution": ATTRIBUTION, "by_land": by_land,
        "net": net, "blob": script_json(net), "permalink": permalink(sc),
        "csv_url": permalink(sc, format="csv"), "json_url": permalink(sc, format="json"),
    })
    return ctx


def display(data: SupplyData, iri: str, lang: str) -> str:
    """A node's name from the supply data, else the label index (backups, rules), else the prefixed name."""
    name = data.name(iri, lang)
    return label(iri) if name == iri else name


def failure_section(iri: str, idx: ResilienceIndex | None = None) -> dict[str, object]:
    """The entity page's "if this fails": who depends on ``iri`` alone (a lookup in the cached dominator trees)."""
    idx = idx or cached_resilience()
    return {"dependents": idx.dependents(iri), "known": iri in idx.data.nodes,
            "scenario": url_for("resilience.page", remove=[iri]), "name": lambda x: display(idx.data, x, current_lang()),
            "threshold": idx.data.threshold}


def entity_failure(iri: str) -> dict[str, object]:
    """What the entity page shows: the section if the analysis of this store version is built, else a
    placeholder that loads :func:`entity_section` (the first analysis of a version takes seconds; the page
    does not wait for it)."""
    idx = peek("resilience")
    if isinstance(idx, ResilienceIndex):
        return failure_section(iri, idx)
    return {"pending": True, "src": url_for("resilience.entity_section", iri=iri)}


@bp.get("/resilience/entity")
def entity_section() -> ResponseReturnValue:
    """The "if this fails" section of one entity as an HTML fragment (loaded by the entity page)."""
    iri = request.args.get("iri", "")
    if not is_iri(iri):
        abort(400, "iri= must be an absolute IRI")
    failure = failure_section(iri)
    if not failure["known"]:
        abort(404, "this resource is not part of the supply network")
    return render_template("resilience/entity_section.html", failure=failure)

