"""Every write of the web API becomes a change set (:mod:`..changes`): refused with 422 and the report of what
it would introduce, or staged for review (202 with the change set's id), or — with ``auto_accept`` and a
reviewer's token — applied at once (the caller's usual success status)."""

from __future__ import annotations

import json

from flask import Response, request

from ..changes import SubmitResult, submit_quads
from ..changes.model import Quad
from .extensions import get_backend, settings
from .http import bearer_token, token_role


def _lang() -> str:
    lang = request.args.get("lang") or request.accept_languages.best_match(["de", "en"]) or "de"
    return "en" if lang == "en" else "de"


def guarded_write(added: list[Quad], removed: list[Quad], who: str, source: str, *, applied_status: int = 204,
                  removed_anywhere: bool = False) -> Response:
    s = settings()
    roles, _ = token_role(bearer_token())
    strict = (request.args.get("strict") or "").lower() in {"1", "true", "yes"}
    reason = request.headers.get("X-Change-Reason") or request.args.get("reason") or f"{source} write"
    result = submit_quads(get_backend(), s, added, removed, who, reason, strict, source=source,
                          auto_accept=s.auto_accept and "review" in roles, removed_anywhere=removed_anywhere)
    return answer(result, applied_status)


def answer(result: SubmitResult, applied_status: int = 204) -> Response:
    lang = _lang()
    if result.empty or result.applied:
        resp = Response(status=204 if result.empty else applied_status)
        if result.change_id:
            resp.headers["X-Change-Set"] = result.change_id
        return resp
    body = result.as_json(lang)
    body["messageDe"], body["messageEn"] = result.report_text("de"), result.report_text("en")
    if result.refused:
        return Response(json.dumps(body, ensure_ascii=False, indent=1), status=422, mimetype="application/json")
    body["location"] = f"/aenderungen/{result.change_id}"
    resp = Response(json.dumps(body, ensure_ascii=False, indent=1), status=202, mimetype="application/json")
    resp.headers["Location"] = body["location"]
    return resp
