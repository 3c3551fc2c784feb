"""Start page: what the graph holds (counts by class, sector, Land), entry points for the three user
groups and the disclaimer. JSON for ``Accept: application/json`` (the statistics)."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from ..extensions import cached_stats, get_backend

bp = Blueprint("home", __name__)

@bp.get("/")
def index() -> ResponseReturnValue:
    st = cached_stats(get_backend())
    if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json":
        return jsonify(st.as_dict())
    return render_template("home/index.html", st=st)
