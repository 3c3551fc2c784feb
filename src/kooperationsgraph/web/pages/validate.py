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
from ...errors import KooperationsgraphError, RDFSyntaxError
from ...rdfio import RDF_FORMATS
from ...untrusted import ParseLimits
from ...validation import history
from ...validation.rules import project_rulebook
from ..extensions import get_backend, lru, settings
from ..ui import current_lang, t
from .validate_problems import anchor_ids, detect_format, problems, uploaded_entities

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


def _upload_path(tmp: Path) -> tuple[Path, str, str] | None:
    """Write the pasted text or uploaded file to a temp file whose extension names its format (pasted JSON-LD
    and RDF/XML are recognised); returns (path, name shown, text)."""
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
        return path, up.filename, path.read_text(encoding="utf-8", errors="replace")
    text = request.form.get("text", "")
    if text.strip():
        ext = RDF_FORMATS[detect_format(text, fmt)].extensions[0]
        path = tmp / ("eingabe" + ext)
        path.write_text(text, encoding="utf-8")
        return path, "eingabe" + ext, text
    return None


def _scope(scope: str, opts: validation.Options) -> str:
    """The history scope of a run (saved reports of one scope are compared with each other only)."""
    if scope == "input":
        return "input"  # uploads are compared with uploads (a corrected file may carry another name)
    if scope == "regime" and opts.rules:
        return "regime:" + opts.rules
    if scope == "land" and opts.land:
        return "land:" + opts.land
    if scope == "entity" and opts.focus:
        return "entity:" + opts.focus
    return "store"


def _error_line(text: str, line: int | None) -> dict[str, object]:
    """The input kept for the form, and the line the parser stopped at (shown marked below the text box)."""
    if not line:
        return {"text": text}
    lines = text.splitlines()
    return {"text": text, "error_line": line,
            "error_excerpt": [(i, lines[i - 1]) for i in range(max(1, line - 2), min(len(lines), line + 2) + 1)]}


@bp.post("/validate")
def run() -> ResponseReturnValue:
    limit = settings().max_upload_bytes
    if request.content_length is not None and request.content_length > limit:
        return form_page(413, error=t("validate.toolarge", n=limit))
    scope = request.form.get("scope", "input")
    opts = validation.Options(lang=current_lang())
    backend = get_backend()
    source = ""
    upload: tuple[str, str] | None = None
    entities: dict[str, list[tuple[str, str]]] = {}
    pasted = request.form.get("text", "")
    try:
        if scope == "input":
            with tempfile.TemporaryDirectory() as tmp:
                found = _upload_path(Path(tmp))
                if found is None:
                    return form_page(400, error=t("validate.empty"))
                path, source, text = found
                limits = ParseLimits.from_settings(settings())
                report = validation.validate_files([path], settings(), opts, limits=limits)
                report.sources = [source]
                upload = (source, text)
                fmt = next(f for f in UPLOAD_FORMATS if path.suffix.lower() in RDF_FORMATS[f].extensions)
                entities = uploaded_entities(text, fmt, source, [f.focus for f in report.findings], limits)
        else:
            opts.rules = request.form.get("regime") or None if scope == "regime" else None
            opts.land = request.form.get("land") or None if scope == "land" else None
            opts.focus = request.form.get("entity", "").strip() or None if scope == "entity" else None
            report = validation.validate_store(backend, settings(), opts)
            source = {"store": t("validate.store"), "regime": opts.rules, "land": opts.land,
                      "entity": opts.focus}.get(scope) or t("validate.store")
    except RDFSyntaxError as exc:
        message = re.sub(r"\S*/tmp[^/\s]*/", "", str(exc))
        return form_page(400, error=f"{t('validate.error')}: {message}", **_error_line(pasted, exc.line))
    except KooperationsgraphError as exc:
        message = re.sub(r"\S*/tmp[^/\s]*/", "", str(exc))  # the temp folder means nothing to the user
        return form_page(400, error=f"{t('validate.error')}: {message}", text=pasted)
    saved = diff = None
    notice = None
    hscope = _scope(scope, opts)
    if request.form.get("save"):
        token = settings().write_token
        given = request.form.get("token", "")
        if token and hmac.compare_digest(token.encode(), given.encode()):
            saved = history.save(backend, report, scope=hscope)
            diff = history.diff(backend, report, scope=hscope)
            notice = t("validate.saved", iri=saved)
        else:
            notice = t("validate.badtoken")
    anchors = anchor_ids(entities)
    rows = problems(report, backend=backend if upload is None else None, settings=settings(), upload=upload,
                    anchors=anchors, limit=SHOWN_FINDINGS)
    return render_template("validate_ui/report.html", report=report, groups=report.groups(), source=source,
                           token=_keep(report), saved=saved, diff=diff, notice=notice, shown=SHOWN_FINDINGS,
                           problems=rows, entities=entities, anchors=anchors, scope=hscope,
                           since=history.when(diff.since) if diff and diff.since else None)


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
    """Saved reports by scope; the newest report's changes against the previous report of the same scope."""
    backend = get_backend()
    reports = history.list_reports(backend)
    scopes = {iri: history.scope_of(backend, iri) for iri in reports}
    changes = None
    if reports:
        latest = reports[-1]
        same = [r for r in reports[:-1] if scopes[r] == scopes[latest]]
        before_iri = same[-1] if same else None
        old = {r.key(): r for r in (history.load(backend, before_iri) if before_iri else [])}
        new = {r.key(): r for r in history.load(backend, latest)}
        changes = {
            "scope": scopes[latest], "since": history.when(before_iri) if before_iri else None,
            "latest": history.when(latest),
            "new": [r for k, r in new.items() if k not in old],
            "fixed": [r for k, r in old.items() if k not in new],
            "open": [r for k, r in new.items() if k in old],
        }
    listed = [(iri, history.when(iri), scopes[iri]) for iri in reversed(reports)]
    return render_template("validate_ui/history.html", reports=listed, changes=changes)
