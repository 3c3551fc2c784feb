"""The HTTP side of the remote backend: SPARQL Protocol requests through SPARQLWrapper and Graph Store POSTs,
with credentials (Digest for Virtuoso's ``-auth`` endpoints, Basic otherwise) and every transport or server
failure mapped onto the project's errors. Credentials never appear in a message: URLs are shown without user
info (:func:`public_url`)."""

from __future__ import annotations

import base64
import http.client
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from SPARQLWrapper import BASIC, DIGEST, POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from ...errors import BackendUnavailable, KooperationsgraphError, QuerySyntaxError, QueryTimeout
from .virtuoso import bind_path_starts

#: Virtuoso answers a query with one response header per ``default-graph-uri`` / ``named-graph-uri`` parameter;
#: with the project's 49 graphs that is more than the 100 headers Python's HTTP client accepts by default
#: ("got more than 100 headers"). The dataset grows with every data file, so the limit is raised for the process.
MAX_RESPONSE_HEADERS = 1000
http.client._MAXHEADERS = max(getattr(http.client, "_MAXHEADERS", 100), MAX_RESPONSE_HEADERS)  # type: ignore[attr-defined]

ACCEPT = {"select": "application/sparql-results+json", "ask": "application/sparql-results+json",
          "graph": "application/n-triples"}
_LINE = re.compile(r"line (\d+)", re.IGNORECASE)


def public_url(url: str) -> str:
    """The URL without user info (never print credentials).

    >>> public_url("http://dba:secret@localhost:8890/sparql-auth?x=1")
    'http://localhost:8890/sparql-auth'
    """
    parts = urllib.parse.urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class Transport:
    """Requests to one server's query, update and Graph Store endpoints."""

    def __init__(self, endpoint: str, update_endpoint: str, graph_store: str | None,
                 user: str | None, password: str | None):
        self.endpoint, self.update_endpoint, self.graph_store = endpoint, update_endpoint, graph_store
        self._user, self._password = user, password
        self._query_auth = False  # set once the query endpoint asked for credentials

    def wrapper(self, url: str, timeout: float | None, auth: bool) -> SPARQLWrapper:
        w = SPARQLWrapper(url, updateEndpoint=self.update_endpoint)
        w.setMethod(POST)
        w.setRequestMethod(URLENCODED)
        w.setOnlyConneg(True)  # no format=/output= parameters: Virtuoso answers 406 to mismatches
        w.agent = "kooperationsgraph"
        if timeout:
            w.setTimeout(max(1, round(timeout)))
        if auth and self._user and self._password is not None:
            w.setHTTPAuth(DIGEST if urllib.parse.urlsplit(url).path.endswith("-auth") else BASIC)
            w.setCredentials(self._user, self._password)
        return w

    def send(self, make: Callable[[bool], SPARQLWrapper], url: str, timeout: float | None,
              auth: bool) -> tuple[bytes, dict[str, str]]:
        """Run one request; map transport and server errors onto the project's errors."""
        where = public_url(url)
        try:
            try:
                res = make(auth).query()
            except SPARQLWrapperException as exc:
                if type(exc).__name__ == "Unauthorized":
                    if not auth and self._user:
                        self._query_auth = True
                        res = make(True).query()
                    else:
                        raise BackendUnavailable(f"the SPARQL server at {where} refused the request: "
                                                 "credentials missing or wrong (--user/--password, "
                                                 "KG_REMOTE_USER/KG_REMOTE_PASSWORD)") from None
                else:
                    raise
            with res.response as resp:
                body = resp.read()
                headers = {k.lower(): v for k, v in resp.headers.items()}
            return body, headers
        except SPARQLWrapperException as exc:
            raise self._server_error(exc, where, timeout) from None
        except urllib.error.HTTPError as exc:
            if exc.code >= 500 or exc.code in (502, 503, 504):
                raise BackendUnavailable(f"the SPARQL server at {where} answered HTTP {exc.code}; "
                                         "try again later") from None
            raise KooperationsgraphError(f"the SPARQL server at {where} answered HTTP {exc.code}") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise QueryTimeout(timeout or 0) from None
            raise BackendUnavailable(f"the SPARQL server at {where} is not reachable ({exc.reason}); "
                                     "check that it runs and the endpoint URL") from None
        except TimeoutError:
            raise QueryTimeout(timeout or 0) from None
        except (ConnectionError, OSError, http.client.HTTPException) as exc:
            raise BackendUnavailable(f"the SPARQL server at {where} closed the connection "
                                     f"({type(exc).__name__}); try again later") from None

    @staticmethod
    def _server_error(exc: SPARQLWrapperException, where: str, timeout: float | None) -> KooperationsgraphError:
        name = type(exc).__name__
        text = str(exc)
        msg = text.split("Response:", 1)[-1].strip().removeprefix("b'").removeprefix('b"')
        msg = msg.replace("\\n", "\n").split("\n\nSPARQL query:")[0].strip().rstrip("'\"")[:500]
        if name == "QueryBadFormed":
            m = _LINE.search(msg)
            return QuerySyntaxError(f"the SPARQL server rejected the query: {msg}", int(m.group(1)) if m else None)
        if name == "EndPointNotFound":
            return BackendUnavailable(f"no SPARQL endpoint at {where} (HTTP 404); check the endpoint URL")
        if "timeout" in msg.lower() or "S1TAT" in msg or "exceeds the limit" in msg:
            return QueryTimeout(timeout or 0)
        return BackendUnavailable(f"the SPARQL server at {where} failed (HTTP 500): {msg}")

    def request(self, sparql: str, accept: str | dict[str, str], *, timeout: float | None = None,
                 dataset: tuple[list[str], list[str]] | None = None) -> tuple[str, bytes, dict[str, str]]:
        """A query over the protocol; returns (query form, body, response headers). ``accept`` may map the
        query form (select, ask, graph) to a media type."""
        kind = "select"

        def make(auth: bool) -> SPARQLWrapper:
            nonlocal kind
            w = self.wrapper(self.endpoint, timeout, auth)
            w.setQuery(sparql)
            kind = {"ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}.get(w.queryType, "select")
            if dataset is not None:
                for g in dataset[0]:
                    w.addDefaultGraph(g)
                for g in dataset[1]:
                    w.addNamedGraph(g)
            w.addCustomHttpHeader("Accept", accept if isinstance(accept, str) else accept[kind])
            return w

        try:
            body, headers = self.send(make, self.endpoint, timeout, self._query_auth)
        except BackendUnavailable as exc:
            rewritten = bind_path_starts(sparql) if "transitive start not given" in str(exc) else sparql
            if rewritten == sparql:
                raise
            sparql = rewritten
            body, headers = self.send(make, self.endpoint, timeout, self._query_auth)
        return kind, body, headers

    def update_request(self, sparql: str) -> None:
        def make(auth: bool) -> SPARQLWrapper:
            w = self.wrapper(self.update_endpoint, None, auth)
            w.setQuery(sparql)
            if not w.isSparqlUpdateRequest():
                raise KooperationsgraphError("not a SPARQL Update request")
            return w

        self.send(make, self.update_endpoint, None, True)

    def post_graph(self, graph: str, ntriples: str) -> None:
        """Graph Store Protocol POST (adds to the graph)."""
        assert self.graph_store
        url = self.graph_store + ("&" if "?" in self.graph_store else "?") + urllib.parse.urlencode(
            {"graph": graph})
        req = urllib.request.Request(url, data=ntriples.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/n-triples"})
        opener = urllib.request.build_opener()
        if self._user and self._password is not None:
            if urllib.parse.urlsplit(self.graph_store).path.endswith("-auth"):
                mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                mgr.add_password(None, self.graph_store, self._user, self._password)
                opener.add_handler(urllib.request.HTTPDigestAuthHandler(mgr))
            else:
                token = base64.b64encode(f"{self._user}:{self._password}".encode()).decode()
                req.add_header("Authorization", "Basic " + token)
        try:
            with opener.open(req, timeout=600) as resp:
                resp.read()
        except urllib.error.HTTPError as exc:
            raise BackendUnavailable(f"Graph Store POST to {public_url(self.graph_store)} failed: "
                                     f"HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise BackendUnavailable(f"the Graph Store at {public_url(self.graph_store)} is not reachable "
                                     f"({exc})") from None
