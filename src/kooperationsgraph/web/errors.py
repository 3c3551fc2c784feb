"""Map library errors to HTTP status codes, rendered as JSON or plain text by Accept."""

from __future__ import annotations

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..errors import (
    BackendUnavailable,
    InvalidParameter,
    KooperationsgraphError,
    QueryNotFound,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    RDFSyntaxError,
)

STATUS: dict[type[Exception], tuple[int, str]] = {
    QuerySyntaxError: (400, "query-syntax"),
    RDFSyntaxError: (400, "rdf-syntax"),
    InvalidParameter: (400, "invalid-parameter"),
    QueryRefused: (403, "query-refused"),
    QueryNotFound: (404, "query-not-found"),
    QueryTimeout: (503, "query-timeout"),
    BackendUnavailable: (502, "backend-unavailable"),
}


def error_response(status: int, code: str, message: str, **extra: object) -> Response:
    best = request.accept_mimetypes.best_match(["application/json", "text/plain", "text/html"])
    if best == "application/json":
        resp = jsonify({"error": code, "message": message, **extra})
    else:
        resp = Response(message + "\n", mimetype="text/plain")
    resp.status_code = status
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(KooperationsgraphError)
    def _kg_error(exc: KooperationsgraphError) -> Response:
        for cls in type(exc).__mro__:
            if cls in STATUS:
                status, code = STATUS[cls]
                break
        else:
            status, code = 500, "internal"
        extra = {}
        if isinstance(exc, QuerySyntaxError | RDFSyntaxError) and exc.line is not None:
            extra = {"line": exc.line, "column": exc.column}
        return error_response(status, code, str(exc), **extra)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge) -> Response:
        limit = app.config.get("MAX_CONTENT_LENGTH")
        return error_response(413, "too-large", f"request body too large (limit {limit} bytes)")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        return error_response(exc.code or 500, exc.name.lower().replace(" ", "-"), exc.description or exc.name)
