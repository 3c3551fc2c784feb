"""/aenderungen: the review page. Lists change sets (pending first) with their diff and the findings they
introduce; a reviewer (token of the review role, as form field or Bearer header) accepts or rejects them.
German, English with ?lang=en. JSON with Accept: application/json."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, redirect, render_template, request
from flask.typing import ResponseReturnValue

from ... import changes
from ...changes.guard import judge
from ...validation.incremental import mirror_for
from ..extensions import get_backend, settings
from ..http import authorised
from ..ui import current_lang

bp = Blueprint("changes_ui", __name__)
SHOWN_TRIPLES = 500


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


@bp.get("/aenderungen")
def index() -> ResponseReturnValue:
    items = changes.list_changes(get_backend())
    items.sort(key=lambda c: c.status != "pending")
    if _wants_json():
        return Response(json.dumps([c.as_json() for c in items], ensure_ascii=False), mimetype="application/json")
    return render_template("changes/list.html", items=items)


@bp.get("/aenderungen/<change_id>")
def show(change_id: str) -> ResponseReturnValue:
    backend = get_backend()
    cs = changes.get_change(backend, change_id)
    if cs is None:
        abort(404)
    findings = []
    if cs.status == "pending":  # what accepting it would introduce, against the store as it is now
        m = mirror_for(backend, settings())
        user_added = [q for q in cs.added if "graph/derived" not in (q[3] or "")]
        user_removed = [q for q in cs.removed if "graph/derived" not in (q[3] or "")]
        with m.lock:
            verdict = judge(m, m.assess(user_added, user_removed), False)
        findings = verdict.by_lang[current_lang()][0]
    if _wants_json():
        out = cs.as_json()
        out["newFindings"] = [f.as_json() for f in findings]
        return Response(json.dumps(out, ensure_ascii=False), mimetype="application/json")
    return render_template("changes/show.html", cs=cs, findings=findings, shown=SHOWN_TRIPLES)


def _review(change_id: str, action: str) -> ResponseReturnValue:
    denied, who = authorised("review", "Reviewing change sets")
    if denied:
        return denied
    reason = (request.form.get("reason") or "").strip()
    try:
        if action == "accept":
            changes.accept(get_backend(), settings(), change_id, who, reason)
        else:
            changes.reject(get_backend(), settings(), change_id, who, reason)
    except changes.ChangeRefused as exc:
        body = exc.result.as_json(current_lang())
        return Response(json.dumps(body, ensure_ascii=False), status=422, mimetype="application/json")
    except changes.ChangeError as exc:
        return Response(json.dumps({"error": str(exc)}), status=409, mimetype="application/json")
    if _wants_json():
        cs = changes.get_change(get_backend(), change_id)
        return Response(json.dumps(cs.as_json() if cs else {}, ensure_ascii=False), mimetype="application/json")
    lang = "?lang=en" if current_lang() == "en" else ""
    return redirect(f"/aenderungen/{change_id}{lang}", code=303)


@bp.post("/aenderungen/<change_id>/annehmen")
def accept(change_id: str) -> ResponseReturnValue:
    return _review(change_id, "accept")


@bp.post("/aenderungen/<change_id>/ablehnen")
def reject(change_id: str) -> ResponseReturnValue:
    return _review(change_id, "reject")
