"""Hostile input against the real server (waitress subprocess, query worker processes): every route and form
field that reaches a query gets a value that closes the IRI or string it would be pasted into and adds a
``SERVICE`` to a loopback listener this test opens, and a value nested 5,000 deep. Each answers with a client
error (or, for free-text search, an ordinary empty answer), the listener sees no connection, and the server
process is still alive and serving. Plus uploads (billion laughs, DTD, remote JSON-LD context), runaway
queries and the CLI on a store the server holds."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from live import REPO, live_server


class Listener:
    """A loopback TCP listener that records every connection attempt."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def server(built_store_path: Path, tmp_path_factory: pytest.TempPathFactory):
    store = tmp_path_factory.mktemp("hostile") / "store"
    shutil.copytree(built_store_path, store)
    log_dir = tmp_path_factory.mktemp("log")
    env = {**os.environ, "KG_MAX_RESULT_BYTES": "2000000"}  # the default memory cap (2048 MB) per worker
    with live_server(store, log_dir, "--timeout", "8", "--write-token", "geheim", "--auto-accept", env=env) as base:
        yield base, store, log_dir


def get(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
        method: str | None = None) -> tuple[int, bytes, dict[str, str]]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def alive(base: str) -> None:
    status, body, _ = get(base + "/sparql?query=" + urllib.parse.quote("ASK {}"))
    assert status == 200 and b"true" in body


def hostile_values(port: int) -> dict[str, str]:
    service = f"SERVICE <http://127.0.0.1:{port}/sparql> {{ ?a ?b ?c }}"
    return {
        "close-iri": f"x> ?p ?o }} {service} {{ <y",
        "close-string": f'x" }} {service} {{ ?s ?p "y',
        "close-both": f"x'\"> }} }} {service} #",
        "nested": "{" * 5000 + "}" * 5000,
        "nested-iri": "https://w3id.org/kooperationsgraph/id/" + "{" * 5000,
    }


PATH_ROUTES = ["/id/", "/example/", "/ontology/", "/lists/class/", "/queries/"]
QUERY_ROUTES = [
    ("/lists/kooperationen", "sektor"), ("/lists/kooperationen", "ebene"), ("/lists/kooperationen", "typ"),
    ("/lists/kooperationen", "sort"), ("/lists/kooperationen", "page"), ("/lists/akteure", "sektor"),
    ("/network", "sektor"), ("/network", "land"), ("/network", "ebene"), ("/network", "typ"),
    ("/network.json", "land"), ("/queries/mitglieder-einer-kooperation", "kooperation"),
    ("/queries/kooperationen-in-land", "land"), ("/queries/schwellenwerte-zum-datum", "datum"),
    ("/rdf-graphs", "graph"), ("/sparql", "default-graph-uri"), ("/sparql", "named-graph-uri"),
]
SEARCH_ROUTES = [("/search", "q"), ("/search.json", "q")]


@pytest.mark.parametrize("route", PATH_ROUTES)
def test_path_values_never_reach_a_query(server, listener, route: str) -> None:
    base = server[0]
    for name, value in hostile_values(listener.port).items():
        status, body, _ = get(base + route + urllib.parse.quote(value, safe=""))
        assert 400 <= status < 500, (route, name, status, body[:300])
        assert b"Traceback" not in body
    assert listener.connections == 0
    alive(base)


@pytest.mark.parametrize(("route", "param"), QUERY_ROUTES)
def test_query_string_values_never_reach_a_query(server, listener, route: str, param: str) -> None:
    base = server[0]
    for name, value in hostile_values(listener.port).items():
        url = base + route + "?" + urllib.parse.urlencode({param: value, **(
            {"query": "ASK {}"} if route == "/sparql" else {})})
        status, body, _ = get(url)
        assert 400 <= status < 500, (route, param, name, status, body[:300])
        assert b"Traceback" not in body
    assert listener.connections == 0
    alive(base)


@pytest.mark.parametrize(("route", "param"), SEARCH_ROUTES)
def test_search_treats_hostile_text_as_text(server, listener, route: str, param: str) -> None:
    base = server[0]
    for value in hostile_values(listener.port).values():
        status, body, _ = get(base + route + "?" + urllib.parse.urlencode({param: value}))
        assert status == 200, (route, status)
        assert b"Traceback" not in body
    assert listener.connections == 0
    alive(base)


@pytest.mark.parametrize("scope,field", [("land", "land"), ("entity", "entity"), ("regime", "regime")])
def test_validation_scopes(server, listener, scope: str, field: str) -> None:
    base = server[0]
    for name, value in hostile_values(listener.port).items():
        data = urllib.parse.urlencode({"scope": scope, field: value}).encode()
        status, body, _ = get(base + "/validate", data=data,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert 400 <= status < 500, (scope, name, status, body[:300])
        assert b"Traceback" not in body
    assert listener.connections == 0
    alive(base)


def test_sparql_screen_refuses_service_load_and_nesting(server, listener) -> None:
    base = server[0]
    port = listener.port
    cases = [
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE x:s {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <s> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
        "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    ]
    for q in cases:
        status, body, _ = get(base + "/sparql?" + urllib.parse.urlencode({"query": q}))
        assert status in {400, 403, 413}, (q[:80], status, body[:300])
    for u in [f"LOAD <http://127.0.0.1:{port}/x.ttl>", "LOAD <file:///etc/passwd> INTO GRAPH <urn:x>"]:
        status, body, _ = get(base + "/sparql", data=urllib.parse.urlencode({"update": u}).encode(),
                              headers={"Content-Type": "application/x-www-form-urlencoded",
                                       "Authorization": "Bearer geheim"})
        assert status == 403, (u, status, body[:300])
    assert listener.connections == 0
    alive(base)


def test_deep_expression_chain_crashes_only_a_worker(server) -> None:
    """Something the screen lets through but the native engine may not survive: a long chain without
    brackets. Whatever the engine does, the server answers and keeps serving."""
    base = server[0]
    q = "SELECT * WHERE { BIND(" + " + ".join(["1"] * 20000) + " AS ?x) }"
    status, body, _ = get(base + "/sparql", data=q.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status in {200, 400, 413, 503}, (status, body[:300])
    alive(base)


def test_memory_and_result_caps(server) -> None:
    """A query that materialises a cross product hits the worker's memory cap (503, the worker replaced);
    a result over the size cap answers 413; the server keeps serving."""
    base = server[0]
    status, body, _ = get(base + "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert status == 413, (status, body[:300])
    q = "SELECT ?a ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f ?c LIMIT 1"
    status, body, _ = get(base + "/sparql?" + urllib.parse.urlencode({"query": q}))
    # the cap (2048 MB) or the timeout (8 s) stops it, whichever comes first on this machine: both answer 503
    assert status == 503 and (b"2048 MB" in body or b"timed out" in body), (status, body[:300])
    alive(base)


def test_uploads_are_parsed_in_the_gate(server, listener) -> None:
    base, _, _ = server
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "&lol%s;&lol%s;&lol%s;&lol%s;&lol%s;&lol%s;&lol%s;&lol%s;&lol%s;&lol%s;">'
                         % ((i,) + (str(i - 1).encode() if i > 1 else b"",) * 10) for i in range(1, 10))
              + b']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
              b'rdf:about="urn:a"><rdf:value>&lol9;</rdf:value></rdf:Description></rdf:RDF>')
    external = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
    remote_ctx = json.dumps({"@context": f"http://127.0.0.1:{listener.port}/ctx.jsonld", "@id": "urn:a",
                             "name": "x"}).encode()
    for body, ctype, fmt in [(laughs, "application/rdf+xml", "rdfxml"), (external, "application/rdf+xml", "rdfxml"),
                             (remote_ctx, "application/ld+json", "jsonld")]:
        status, answer, _ = get(base + "/rdf-graphs?graph=urn:x-test:upload", data=body, method="PUT",
                                headers={"Content-Type": ctype, "Authorization": "Bearer geheim"})
        assert status == 400, (fmt, status, answer[:300])
        boundary = "XyZ"
        form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"scope\"\r\n\r\ninput\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\n{fmt}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n").encode() + body + \
            f"\r\n--{boundary}--\r\n".encode()
        status, answer, _ = get(base + "/validate", data=form,
                                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert status == 400, (fmt, status, answer[:300])
    big = b"<urn:a> <urn:b> \"" + b"x" * 6_000_000 + b"\" ."
    status, _, _ = get(base + "/rdf-graphs?graph=urn:x-test:big", data=big, method="PUT",
                       headers={"Content-Type": "application/n-triples", "Authorization": "Bearer geheim"})
    assert status == 413
    assert listener.connections == 0
    alive(base)


def test_graph_store_upload_keeps_base_and_lexical_forms(server) -> None:
    base, _, _ = server
    ttl = ('<> <urn:p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> , "x"^^<urn:odd> , " true"^^'
           '<http://www.w3.org/2001/XMLSchema#boolean> , "Straße"@de-DE .\n<#a> <urn:p> <> .').encode()
    graph = "https://example.org/g/one"
    # the ill-formed boolean would add a Violation (ST-12): the guard refuses the write and names it
    status, body, _ = get(base + "/rdf-graphs?" + urllib.parse.urlencode({"graph": graph}), data=ttl, method="PUT",
                          headers={"Content-Type": "text/turtle", "Authorization": "Bearer geheim"})
    assert status == 422 and b"ST-12" in body and b"true" in body, body[:300]
    ttl = ttl.replace(b' , " true"^^<http://www.w3.org/2001/XMLSchema#boolean>', b"")
    status, body, _ = get(base + "/rdf-graphs?" + urllib.parse.urlencode({"graph": graph}), data=ttl, method="PUT",
                          headers={"Content-Type": "text/turtle", "Authorization": "Bearer geheim"})
    assert status in {201, 204}, body
    status, body, _ = get(base + "/rdf-graphs?" + urllib.parse.urlencode({"graph": graph, "format": "nt"}))
    text = body.decode()
    assert status == 200
    assert "file:" not in text and f"<{graph}>" in text and f"<{graph}#a>" in text
    assert '"x"^^<urn:odd>' in text and '"1"^^<http://www.w3.org/2001/XMLSchema#integer>' in text
    assert '"straße"@de-de' in text.lower()
    rdfxml = (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
              b'<rdf:Description rdf:about="urn:a"><rdf:value rdf:resource=""/></rdf:Description></rdf:RDF>')
    status, body, _ = get(base + "/rdf-graphs?" + urllib.parse.urlencode({"graph": graph}), data=rdfxml,
                          method="PUT", headers={"Content-Type": "application/rdf+xml", "Authorization": "Bearer geheim"})
    assert status == 204, body
    status, body, _ = get(base + "/rdf-graphs?" + urllib.parse.urlencode({"graph": graph, "format": "foo"}))
    assert status == 406


def test_runaway_queries_do_not_starve_pages(server) -> None:
    """With more runaway queries than query workers in flight, pages and catalogue queries (their own lane)
    still answer, and the runaway ones end in 503 (timeout or busy). No time is asserted."""
    base = server[0]
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    results: list[int] = []
    assert get(base + "/id/kooperation/trianel", headers={"Accept": "text/html"})[0] == 200  # warm the label index

    def run() -> None:
        results.append(get(base + "/sparql?" + urllib.parse.urlencode({"query": runaway}))[0])

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    status, body, _ = get(base + "/queries/kooperationen-pro-ebene?format=json")
    assert status == 200 and b"bindings" in body
    status, _, _ = get(base + "/id/kooperation/trianel", headers={"Accept": "text/html"})
    assert status == 200
    for t in threads:
        t.join()
    assert results and all(s == 503 for s in results), results
    alive(base)


def test_sparql_errors_are_precise(server) -> None:
    base = server[0]
    status, body, _ = get(base + "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE {\n ?s ?p }"}),
                          headers={"Accept": "application/json"})
    err = json.loads(body)
    assert status == 400 and err["line"] == 2
    status, _, _ = get(base + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), data=b"ASK {}",
                       headers={"Content-Type": "application/sparql-query"})
    assert status == 400  # W3C bad_multiple_queries
    status, body, _ = get(base + "/id/%00", headers={"Accept": "text/html"})
    assert status == 404 and b"<html" in body.lower()


def test_cli_reads_while_the_server_holds_the_store(server) -> None:
    _, store, _ = server
    exe = str(Path(sys.executable).with_name("kooperationsgraph"))
    out = subprocess.run([exe, "--store", str(store), "query", "ASK { ?s ?p ?o }"], capture_output=True, text=True,
                         cwd=REPO, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "true", out.stderr
    out = subprocess.run([exe, "--store", str(store), "stats", "--format", "json"], capture_output=True, text=True,
                         cwd=REPO, timeout=300)
    assert out.returncode == 0 and json.loads(out.stdout)["cooperations"] > 0, out.stderr
    long_query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * 5000
    out = subprocess.run([exe, "--store", str(store), "query", long_query], capture_output=True, text=True,
                         cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr


def test_reads_during_writes_never_fail(server) -> None:
    """Delete + put + query, many rounds, with a reader thread querying all the while: workers read checkpoints,
    so no read sees a vanished file (it answers 200, before or after the write)."""
    base = server[0]
    graph = "https://example.org/g/rounds"
    url = base + "/rdf-graphs?" + urllib.parse.urlencode({"graph": graph})
    auth = {"Authorization": "Bearer geheim"}
    statuses: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        q = base + "/sparql?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        while not stop.is_set():
            statuses.append(get(q)[0])

    t = threading.Thread(target=reader)
    t.start()
    try:
        for i in range(40):
            get(url, method="DELETE", headers=auth)
            status, body, _ = get(url, data=f"<urn:s> <urn:p> {i} .".encode(), method="PUT",
                                  headers={**auth, "Content-Type": "text/turtle"})
            assert status in {201, 204}, body
            status, body, _ = get(base + "/sparql?" + urllib.parse.urlencode(
                {"query": f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"}), headers={"Accept": "text/csv"})
            assert status == 200 and body.split()[-1] == str(i).encode(), (status, body[:200])
    finally:
        stop.set()
        t.join()
    assert statuses and set(statuses) == {200}, sorted(set(statuses))
