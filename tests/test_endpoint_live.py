"""The endpoint as researchers use it: the real server process, SPARQLWrapper for every query form and
result format, rdflib's SPARQLStore, and plain HTTP for the protocol's bad requests, a runaway query, an
oversize and a deeply nested query and a SERVICE call — after each of which the server keeps serving."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from live import live_server
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, N3, TSV, XML, SPARQLWrapper

ID = "https://w3id.org/kooperationsgraph/id/"
KG = "https://w3id.org/kooperationsgraph/ontology#"
SELECT = f"SELECT ?ars WHERE {{ <{ID}land/05> <{KG}ars> ?ars }}"


@pytest.fixture(scope="module")
def server(built_store_path: Path, tmp_path_factory: pytest.TempPathFactory):
    store = tmp_path_factory.mktemp("live") / "store"
    shutil.copytree(built_store_path, store)
    with live_server(store, tmp_path_factory.mktemp("log"), "--timeout", "5") as base:
        yield base


def wrapper(server: str, query: str, fmt: str) -> SPARQLWrapper:
    w = SPARQLWrapper(server + "/sparql")
    w.setQuery(query)
    w.setReturnFormat(fmt)
    return w


def test_select_in_every_result_format(server: str) -> None:
    res = wrapper(server, SELECT, JSON).query().convert()
    assert res["results"]["bindings"][0]["ars"]["value"] == "05"
    xml = wrapper(server, SELECT, XML).query().convert()
    assert "05" in xml.toxml()
    assert b"05" in wrapper(server, SELECT, CSV).query().convert()
    assert b'"05"' in wrapper(server, SELECT, TSV).query().convert()


def test_ask_construct_describe(server: str) -> None:
    assert wrapper(server, f"ASK {{ <{ID}land/09> a <{KG}Bundesland> }}", JSON).query().convert()["boolean"] is True
    w = wrapper(server, f"CONSTRUCT WHERE {{ <{ID}land/09> ?p ?o }}", N3)
    g = Graph().parse(data=w.query().convert(), format="turtle")
    assert len(g) > 3
    w = wrapper(server, f"DESCRIBE <{ID}land/09>", "json-ld")
    g = Graph().parse(data=w.query().convert(), format="json-ld") if isinstance(w.query().convert(), bytes | str) \
        else w.query().convert()
    assert len(g) > 3


def test_rdflib_sparqlstore_against_the_server(server: str) -> None:
    store = SPARQLStore(server + "/sparql")
    g = Graph(store)
    rows = list(g.query(SELECT))
    assert str(rows[0][0]) == "05"


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, bytes, dict[str, str]]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read(), {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:
        return e.code, e.read(), {k.lower(): v for k, v in e.headers.items()}


def q(server: str, query: str, **extra: str) -> str:
    return server + "/sparql?" + urllib.parse.urlencode({"query": query, **extra})


def test_protocol_bad_requests(server: str) -> None:
    status, body, _ = http(q(server, "SELECT * WHERE {\n ?s ?p }"))
    assert status == 400 and b"line 2" in body
    status, _, _ = http(server + "/sparql", data=b"query=ASK{}", headers={"Content-Type": "text/plain"})
    assert status == 415
    status, _, _ = http(server + "/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert status == 400
    status, _, _ = http(server + "/sparql?query=ASK%7B%7D", method="PUT")
    assert status == 405
    status, _, _ = http(q(server, "ASK {}"), headers={"Accept": "image/png"})
    assert status == 406
    status, _, _ = http(server + "/sparql", data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                        headers={"Content-Type": "application/sparql-update"})
    assert status == 403


def test_etag_and_conditional_request(server: str) -> None:
    status, _, headers = http(q(server, SELECT))
    assert status == 200 and headers["etag"] and headers["access-control-allow-origin"] == "*"
    status, _, _ = http(q(server, SELECT), headers={"If-None-Match": headers["etag"]})
    assert status == 304


def test_runaway_query_is_stopped_and_the_server_keeps_serving(server: str) -> None:
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, body, _ = http(q(server, heavy, timeout="1"))
    assert status == 503 and b"timed out after 1 s" in body
    status, _, _ = http(q(server, SELECT))
    assert status == 200


def test_hostile_inputs_get_clear_errors_and_the_server_keeps_serving(server: str) -> None:
    deep = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    status, body, _ = http(server + "/sparql", data=deep.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and b"nested" in body
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000
    status, _, _ = http(server + "/sparql", data=huge.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status in {400, 413}
    status, body, _ = http(q(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"))
    assert status == 403 and b"allow-list" in body
    status, _, _ = http(q(server, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"))
    assert status == 403
    status, _, _ = http(q(server, SELECT))
    assert status == 200


def test_catalogue_over_http(server: str) -> None:
    status, body, _ = http(server + "/queries", headers={"Accept": "application/json"})
    assert status == 200 and b"kooperationen-pro-sektor" in body
    status, body, _ = http(server + "/queries/mitglieder-einer-kooperation?kooperation=koop:kombiverkehr&format=csv")
    assert status == 200 and b"DB Cargo AG" in body
