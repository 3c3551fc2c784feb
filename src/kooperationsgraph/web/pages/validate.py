"""/validate: check pasted or uploaded RDF, or the store (whole graph, one regime, one Land, one entity)
against the compliance rules; the report grouped regime → rule → focus with citations and fix hints,
downloads (Turtle/JSON) and the history of saved reports (new / fixed / still open)."""

from __future__ import annotations

import hmac
import re
import secrets
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue

from ... import validation
from ...errors import KooperationsgraphError
from ...rdfio import RDF_FORMATS
from ...untrusted import ParseLimits
from ...validation import history
from ...validation.rules import project_rulebook
from ..extensions import get_backend, lru, settings
from ..ui import current_lang, t

bp = Blueprint("validate_ui", __name__)

#: Upload formats offered (the issue's four); the file extension decides when "auto".
UPLOAD_FORMATS = ("turtle", "jsonld", "rdfxml", "ntriples")
SHOWN_FINDINGS = 500
KEEP_REPORTS = 20
_LOCK = threading.Lock()


def _reports() -> OrderedDict:
    return lru("kg_reports", KEEP_REPORTS)


def regimes() -> list[tuple[str, str]]:
    """(rule-id prefix, regime label) from the project's shapes."""
    book = project_rulebook(settings().root)
    lang = current_lang()
    out: dict[str, str] = {}
    for rule in book.rules.values():
        if rule.rule_id and rule.regime in book.regimes:
            out.setdefault(rule.rule_id.split("-")[0], book.regimes[rule.regime].label(lang))
    return sorted(out.items())


def laender() -> list[tuple[str, str]]:
    from ..extensions import cached_stats

    return [(str(r["ars"]), str(r["label"])) for r in cached_stats(get_backend()).laender_table]


def form_page(status: int = 200, **extra: object) -> ResponseReturnValue:
    return render_template("validate_ui/form.html", regimes=regimes(), laender=laender(),
                           formats=UPLOAD_FORMATS, limit=settings().max_upload_bytes,
                           available=True, **extra), status


@bp.get("/validate")
def form() -> ResponseReturnValue:
    return form_page()


def _keep(report: object) -> str:
    token = secrets.token_urlsafe(12)
    reports = _reports()
    with _LOCK:
        reports[token] = report
        while len(reports) > KEEP_REPORTS:
            reports.popitem(last=False)
    return token


def _upload_path(tmp: Path) -> tuple[Path, str] | None:
    """Write the pasted text or uploaded file to a temp file whose extension names its format."""
    fmt = request.form.get("format", "auto")
    up = request.files.get("file")
    if up is not None and up.filename:
        name = Path(up.filename).name
        if fmt in RDF_FORMATS:
            name = Path(name).stem + RDF_FORMATS[fmt].extensions[0]
        elif Path(name).suffix.lower() not in {e for f in UPLOAD_FORMATS for e in RDF_FORMATS[f].extensions}:
            raise KooperationsgraphError(f"{name}: unknown file type; choose the format "
                                         "(Turtle, JSON-LD, RDF/XML, N-Triples)")
        path = tmp / name
        up.save(path)
        return path, up.filename
    text = request.form.get("text", "")
    if text.strip():
        ext = RDF_FORMATS[fmt if fmt in RDF_FORMATS else "turtle"].extensions[0]
        path = tmp / ("eingabe" + ext)
        path.write_text(text, encoding="utf-8")
        return path, "eingabe" + ext
    return None


@bp.post("/validate")
def run() -> ResponseReturnValue:
    limit = settings().max_upload_bytes
    if request.content_length is not None and request.content_length > limit:
        return form_page(413, error=t("validate.toolarge", n=limit))
    scope = request.form.get("scope", "input")
    opts = validation.Options(lang=current_lang())
    backend = get_backend()
    source = ""
    try:
        if scope == "input":
            with tempfile.TemporaryDirectory() as tmp:
                found = _upload_path(Path(tmp))
                if found is None:
                    return form_page(400, error=t("validate.empty"))
                path, source = found
                report = validation.validate_files([path], settings(), opts,
                                                   limits=ParseLimits.from_settings(settings()))
                report.sources = [source]
        else:
            opts.rules = request.form.get("regime") or None if scope == "regime" else None
            opts.land = request.form.get("land") or None if scope == "land" else None
            opts.focus = request.form.get("entity", "").strip() or None if scope == "entity" else None
            report = validation.validate_store(backend, settings(), opts)
            source = {"store": t("validate.store"), "regime": opts.rules, "land": opts.land,
                      "entity": opts.focus}.get(scope) or t("validate.store")
    except KooperationsgraphError as exc:
        message = re.sub(r"\S*/tmp[^/\s]*/", "", str(exc))  # the temp folder means nothing to the user
        return form_page(400, error=f"{t('validate.error')}: {message}")
    saved = diff = None
    notice = None
    if request.form.get("save"):
        token = settings().write_token
        given = request.form.get("token", "")
        if token and hmac.compare_digest(token.encode(), given.encode()):
            saved = history.save(backend, report)
            diff = history.diff(backend, report)
            notice = t("validate.saved", iri=saved)
        else:
            notice = t("validate.badtoken")
    return render_template("validate_ui/report.html", report=report, groups=report.groups(), source=source,
                           token=_keep(report), saved=saved, diff=diff, notice=notice, shown=SHOWN_FINDINGS)


@bp.get("/validate/report/<token>.<ext>")
def download(token: str, ext: str) -> ResponseReturnValue:
    report = _reports().get(token)
    if report is None:
        abort(404, "report expired; please run the validation again")
    if ext == "ttl":
        body, media = report.to_turtle(), "text/turtle"  # type: ignore[attr-defined]
    elif ext == "json":
        body, media = report.to_json(), "application/json"  # type: ignore[attr-defined]
    else:
        abort(404)
    resp = Response(body, mimetype=media)
    resp.headers["Content-Disposition"] = f'attachment; filename="pruefbericht.{ext}"'
    return resp


@bp.get("/validate/history")
def history_page() -> ResponseReturnValue:
    backend = get_backend()
    reports = history.list_reports(backend)
    changes = None
    if reports:
        latest = history.load(backend, reports[-1])
        before = history.load(backend, reports[-2]) if len(reports) > 1 else []
        old = {r.key(): r for r in before}
        new = {r.key(): r for r in latest}
        changes = {
            "since": reports[-2].rsplit("/", 1)[-1] if len(reports) > 1 else None,
            "latest": reports[-1].rsplit("/", 1)[-1],
            "new": [r for k, r in new.items() if k not in old],
            "fixed": [r for k, r in old.items() if k not in new],
            "open": [r for k, r in new.items() if k in old],
        }
    return render_template("validate_ui/history.html", reports=list(reversed(reports)), changes=changes)
