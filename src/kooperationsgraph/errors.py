"""Errors a user can see: each says what was wrong, where, and what to do. Only ``cli.py`` exits."""

from __future__ import annotations


class KooperationsgraphError(Exception):
    """Base class of all errors the project raises on purpose."""


class RDFSyntaxError(KooperationsgraphError):
    """Malformed RDF in a file or upload, with position where the parser gives one."""

    def __init__(self, source: str, message: str, line: int | None = None, column: int | None = None):
        self.source, self.message, self.line, self.column = source, message, line, column
        where = source
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class QuerySyntaxError(KooperationsgraphError):
    """Malformed SPARQL, with line and column (1-based) where known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message, self.line, self.column = message, line, column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"SPARQL syntax error: {where}{message}")


class QueryRefused(KooperationsgraphError):
    """A query asks for something the server is not configured to do (SERVICE, LOAD, FROM <url> …)."""


class QueryTooLarge(KooperationsgraphError):
    """A query (or update) is longer than the configured maximum length (HTTP 413)."""


class QueryTooComplex(KooperationsgraphError):
    """A query nests brackets deeper than the configured maximum; native parsers recurse on nesting (HTTP 400)."""


class QueryEngineCrash(KooperationsgraphError):
    """The isolated query process died on a query (e.g. a native stack overflow); only that worker was lost
    and replaced, the server keeps serving (HTTP 500)."""


class InvalidIRI(KooperationsgraphError):
    """A value that should be an IRI is not one (pages: 404, APIs: 400); it never reaches a query."""

    def __init__(self, value: str):
        self.value = value
        shown = value if len(value) <= 200 else value[:200] + "…"
        super().__init__(f"not a valid IRI: {shown!r}")


class ServerBusy(KooperationsgraphError):
    """Every query worker of a lane stayed busy for the admission wait (HTTP 503 with Retry-After)."""

    def __init__(self, message: str, retry_after: int = 5):
        self.retry_after = retry_after
        super().__init__(message)


class ResultTooLarge(KooperationsgraphError):
    """A result's serialised size exceeds the configured cap (HTTP 413)."""


class StoreBusy(KooperationsgraphError):
    """The embedded store is held by another process (a running server) and this command must write."""


class QueryTimeout(KooperationsgraphError):
    """A query ran longer than the configured limit and was stopped."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"query timed out after {seconds:g} s")


class BackendUnavailable(KooperationsgraphError):
    """The store (e.g. a remote SPARQL server) did not answer."""


class QueryNotFound(KooperationsgraphError):
    """No catalogue query with that id."""


class InvalidParameter(KooperationsgraphError):
    """A catalogue query parameter is missing or malformed."""


class ReasonerError(KooperationsgraphError):
    """The OWL reasoner could not run or found the ontology inconsistent."""
