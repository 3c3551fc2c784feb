"""Map library errors to HTTP status codes: JSON for API clients, an HTML page in the page language for
browsers, plain text otherwise. No error answer carries a traceback; unexpected errors are logged."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..errors import (
    BackendUnavailable,
    InvalidIRI,
    InvalidParameter,
    KooperationsgraphError,
    QueryEngineCrash,
    QueryNotFound,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooComplex,
    QueryTooLarge,
    RDFSyntaxError,
    ResultTooLarge,
    ServerBusy,
    StoreBusy,
)

log = logging.getLogger(__name__)

STATUS: dict[type[Exception], tuple[int, str]] = {
    QuerySyntaxError: (400, "query-syntax"),
    RDFSyntaxError: (400, "rdf-syntax"),
    InvalidParameter: (400, "invalid-parameter"),
    QueryRefused: (403, "query-refused"),
    QueryTooLarge: (413, "query-too-large"),
    QueryTooComplex: (400, "query-too-complex"),
    QueryEngineCrash: (503, "query-engine-crash"),
    InvalidIRI: (400, "invalid-iri"),
    ResultTooLarge: (413, "result-too-large"),
    ServerBusy: (503, "server-busy"),
    StoreBusy: (409, "store-busy"),
    QueryNotFound: (404, "query-not-found"),
    QueryTimeout: (503, "query-timeout"),
    BackendUnavailable: (502, "backend-unavailable"),
}


def error_response(status: int, code: str, message: str, **extra: object) -> Response:
    best = request.accept_mimetypes.best_match(["application/json", "text/plain", "text/html"])
    browser = request.accept_mimetypes.best == "text/html" or (
        best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"])
    if best == "application/json" and not browser:
        resp = jsonify({"error": code, "message": message, **extra})
    elif browser:
        try:
            html = render_template("error.html", status=status, code=code, message=message)
        except Exception:  # noqa: BLE001 - an error page must never fail
            html = f"<!doctype html><title>{status}</title><p>{status}</p>"
        resp = Response(html, mimetype="text/html")
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
        resp = error_response(status, code, str(exc), **extra)
        if isinstance(exc, ServerBusy):
            resp.headers["Retry-After"] = str(exc.retry_after)
        return resp

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge) -> Response:
        limit = app.config.get("MAX_CONTENT_LENGTH")
        return error_response(413, "too-large", f"request body too large (limit {limit} bytes)")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        return error_response(exc.code or 500, exc.name.lower().replace(" ", "-"), exc.description or exc.name)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return _http(exc)
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "internal", "internal error; the server keeps serving (see the server log)")
