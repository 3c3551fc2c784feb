"""Graph Store Protocol (read side always; writes only with the write token, atomic) and the VoID document.
Writes go through the change-set guard (tests/test_changes.py); this server auto-accepts passing writes of
the write token (a reviewer) so the protocol's own status codes are checked here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Namespace

from kooperationsgraph.config import Settings
from kooperationsgraph.web import create_app

VOID = Namespace("http://rdfs.org/ns/void#")
EBENEN = "https://w3id.org/kooperationsgraph/graph/data/vokabular/ebenen"


@pytest.fixture()
def writable(built_store_path: Path, tmp_path: Path):
    store = tmp_path / "store"
    shutil.copytree(built_store_path, store)
    app = create_app(Settings(store_path=store, write_token="geheim", auto_accept=True),
                     {"TESTING": True, "TESTING_INPROCESS": True})
    return app.test_client()


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_read_a_named_graph_in_every_format(client, accept: str, fmt: str) -> None:
    r = client.get("/rdf-graphs", query_string={"graph": EBENEN}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    assert len(Graph().parse(data=r.data, format=fmt)) > 20


def test_whole_dataset_as_trig_and_missing_graph(client) -> None:
    r = client.get("/rdf-graphs", headers={"Accept": "application/n-quads"})
    assert r.status_code == 200
    ds = Dataset().parse(data=r.data, format="nquads")
    assert len(ds) > 100_000
    assert client.get("/rdf-graphs", query_string={"graph": "urn:gibt-es-nicht"}).status_code == 404


def test_writes_need_the_token_and_are_atomic(writable) -> None:
    body = "<urn:a> <urn:b> <urn:c> ."
    assert writable.put("/rdf-graphs?graph=urn:g", data=body, content_type="text/turtle").status_code == 403
    auth = {"Authorization": "Bearer geheim"}
    assert writable.put("/rdf-graphs?graph=urn:g", data=body, content_type="text/turtle", headers=auth).status_code == 201
    bad = writable.put("/rdf-graphs?graph=urn:g", data="<urn:a> <urn:b> .", content_type="text/turtle", headers=auth)
    assert bad.status_code == 400
    r = writable.get("/rdf-graphs", query_string={"graph": "urn:g"}, headers={"Accept": "application/n-triples"})
    assert r.data.strip() == b"<urn:a> <urn:b> <urn:c> ."  # the failed write changed nothing
    assert writable.delete("/rdf-graphs?graph=urn:g", headers=auth).status_code == 204


def test_void_describes_the_dataset(client) -> None:
    r = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.data, format="turtle")
    triples = [int(o) for o in g.objects(None, VOID.triples)]
    assert max(triples) > 100_000
    assert any(True for _ in g.objects(None, VOID.classPartition))
    assert any(True for _ in g.objects(None, VOID.sparqlEndpoint))
