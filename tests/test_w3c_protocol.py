"""The W3C SPARQL 1.1 Protocol tests (../shared/peer-tests/sparql-protocol/protocol) against the live server,
started with a write token so the update tests run too (each request carries it as a Bearer token; the
suite itself sends none). Each request is sent as the manifest describes it, to the manifest's own path
``/sparql/``; status class, result format and, for ASK, the boolean are compared. The outcome per test is
written to tests/artifacts/w3c-sparql-protocol.txt."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, shared_dir
from live import live_server
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

from kooperationsgraph.config import Settings
from kooperationsgraph.store.build import build

SUITE = shared_dir() / "peer-tests" / "sparql-protocol" / "protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-suite-token"

MANIFEST = Graph().parse(SUITE / "manifest.ttl", format="turtle")
ENTRIES = list(Collection(MANIFEST, MANIFEST.value(predicate=RDF.type, object=MF.Manifest, any=True) and
                          MANIFEST.value(MANIFEST.value(predicate=RDF.type, object=MF.Manifest), MF.entries)))

#: Known deviations, each with its reason (none at present: all 34 tests pass).
XFAIL: dict[str, str] = {}
#: Content types acceptable for the manifest's mf:expectedFormat.
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"},
    "RDF": {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"},
}
OUTCOMES: dict[str, bool] = {}


@pytest.fixture(scope="module", autouse=True)
def record() -> Iterator[None]:
    yield
    if not OUTCOMES:
        return
    ok = sorted(n for n, good in OUTCOMES.items() if good)
    lines = [f"W3C SPARQL 1.1 Protocol tests: {len(ok)}/{len(OUTCOMES)} passed against `kooperationsgraph serve`"]
    lines += [f"PASS {n}" for n in ok]
    lines += [f"FAIL {n}: {XFAIL.get(n, 'unexpected')}" for n, good in sorted(OUTCOMES.items()) if not good]
    out = REPO / "tests" / "artifacts" / "w3c-sparql-protocol.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("w3c") / "proj"
    (root / "ontology").mkdir(parents=True)
    (root / "data").mkdir()
    # the suite's graphs, each under the IRI its manifest gives (rdfs:label of ut:graphData)
    trig = []
    for node in MANIFEST.objects(None, UT.graphData):
        f = MANIFEST.value(node, UT.graph)
        label = MANIFEST.value(node, RDFS.label)
        if f is None or label is None:
            continue
        nt = (SUITE / Path(str(f)).name).read_text()
        trig.append(f"<{label}> {{\n{nt}\n}}")
    (root / "data" / "suite.trig").write_text("\n".join(sorted(set(trig))))
    store = root / "store"
    build(Settings(root=root, store_path=store), reason=False)
    with live_server(store, tmp_path_factory.mktemp("log"), "--write-token", TOKEN, "--auto-accept") as base:
        yield base


def name(entry: URIRef) -> str:
    return str(entry).rsplit("#", 1)[-1]


@pytest.mark.parametrize("entry", ENTRIES, ids=[name(e) for e in ENTRIES])
def test_w3c_protocol(server: str, entry: URIRef, request: pytest.FixtureRequest) -> None:
    if name(entry) in XFAIL:
        request.applymarker(pytest.mark.xfail(reason=XFAIL[name(entry)], strict=True))
    OUTCOMES[name(entry)] = False
    run_entry(server, entry)
    OUTCOMES[name(entry)] = True


def test_suite_is_complete() -> None:
    assert len(ENTRIES) == 34 and set(XFAIL) <= {name(e) for e in ENTRIES}


def run_entry(server: str, entry: URIRef) -> None:
    action = MANIFEST.value(entry, MF.action)
    for req in Collection(MANIFEST, MANIFEST.value(action, HT.requests)):
        path = str(MANIFEST.value(req, HT.absolutePath))
        method = str(MANIFEST.value(req, HT.methodName))
        headers = {"Authorization": f"Bearer {TOKEN}"}
        hl = MANIFEST.value(req, HT.headers)
        for h in (Collection(MANIFEST, hl) if hl else []):
            headers[str(MANIFEST.value(h, HT.fieldName))] = str(MANIFEST.value(h, HT.fieldValue))
        body = MANIFEST.value(req, HT.body)
        data = None
        if body is not None:
            enc = str(MANIFEST.value(body, CNT.characterEncoding) or "UTF-8")
            data = str(MANIFEST.value(body, CNT.chars)).encode(enc if enc.lower() != "iso-8859-1" else "latin-1")
        if "accept" not in {k.lower() for k in headers}:
            headers["Accept"] = "application/sparql-results+json, text/turtle;q=0.9"
        # http.client sends exactly these headers (urllib would add a form content type on its own)
        conn = http.client.HTTPConnection(server.split("//", 1)[1], timeout=60)
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        status, payload = resp.status, resp.read()
        conn.close()
        resp_node = MANIFEST.value(req, HT.resp)
        expected = {str(s).rsplit("StatusCode", 1)[-1] for s in MANIFEST.objects(resp_node, MF.expectedStatus)}
        assert f"{str(status)[0]}xx" in expected or str(status) in expected, (status, payload[:300])
        fmt = MANIFEST.value(resp_node, MF.expectedFormat)
        if fmt is not None:
            assert resp.getheader("Content-Type", "").split(";")[0] in FORMATS[str(fmt)]
        boolean = MANIFEST.value(resp_node, MF.expectedBoolean)
        if boolean is not None:
            assert json.loads(payload)["boolean"] is boolean.toPython()
