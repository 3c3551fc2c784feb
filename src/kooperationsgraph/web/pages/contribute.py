"""/beitragen: contribute without Turtle. Download the workbook generated from the shapes, upload it filled in,
see every problem at its cell (a dry run: nothing is written), and submit a clean workbook as a change set for
review (needs a token with the contribute role; the server stays read-only without one)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue

from ...errors import KooperationsgraphError
from ...sheets.importer import ImportResult, import_file
from ...sheets.model import load_profile
from ...sheets.template import write_csv_zip, write_xlsx
from ...untrusted import UploadTooLarge
from ..extensions import get_backend, lru, settings
from ..http import authorised
from ..ui import current_lang

bp = Blueprint("contribute", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN = 1000


def _template(fmt: str) -> bytes:
    cache = lru("kg_templates", 4)
    if fmt not in cache:
        profile = load_profile(settings())
        cache[fmt] = write_xlsx(profile) if fmt == "xlsx" else write_csv_zip(profile)
    return cache[fmt]


@bp.get("/beitragen")
def form() -> ResponseReturnValue:
    return render_template("contribute/form.html", limit=settings().max_upload_bytes)


@bp.get("/beitragen/vorlage.xlsx")
def template_xlsx() -> Response:
    return Response(_template("xlsx"), mimetype=XLSX,
                    headers={"Content-Disposition": "attachment; filename=kooperationsgraph-vorlage.xlsx"})


@bp.get("/beitragen/vorlage.zip")
def template_csv() -> Response:
    return Response(_template("csv"), mimetype="application/zip",
                    headers={"Content-Disposition": "attachment; filename=kooperationsgraph-vorlage.zip"})


def _page(status: int = 200, **extra: object) -> ResponseReturnValue:
    return render_template("contribute/form.html", limit=settings().max_upload_bytes, **extra), status


@bp.post("/beitragen")
def upload() -> ResponseReturnValue:
    f = request.files.get("file")
    if f is None or not f.filename:
        return _page(400, error="Bitte eine Datei wählen." if current_lang() == "de" else "Please choose a file.")
    data = f.stream.read(settings().max_upload_bytes + 1)
    try:
        result = import_file(data, f.filename, settings(), get_backend())
    except UploadTooLarge as exc:
        return _page(413, error=str(exc))
    except KooperationsgraphError as exc:
        return _page(400, error=str(exc))
    submitted = None
    if request.form.get("action") == "submit":
        submitted = _submit(result)
        if isinstance(submitted, Response):
            return submitted
    return _page(200 if not result.fails() else 422, result=result, problems=result.problems[:SHOWN],
                 lang=current_lang(), submitted=submitted, filename=f.filename)


def _submit(result: ImportResult) -> dict[str, object] | Response:
    """Hand a clean workbook to the guarded write path; a workbook with problems is never submitted."""
    if result.fails(strict=bool(request.form.get("strict"))):
        return {"status": "blocked"}
    if result.unchanged:
        return {"status": "empty"}
    denied, who = authorised("contribute", "Submitting a workbook")
    if denied is not None:
        return denied
    from ...changes import submit

    added, removed = result.graphs()
    reason = (request.form.get("reason") or "").strip()[:500] or f"Import {result.source}"
    outcome = submit(get_backend(), settings(), added, removed, who, reason, strict=bool(request.form.get("strict")),
                     source="import")
    if outcome.refused:
        return {"status": "refused", "findings": outcome.findings(current_lang())}
    if outcome.empty:
        return {"status": "empty"}
    return {"status": "waiting", "id": outcome.change_id}
