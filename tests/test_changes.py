"""Guarded writes with review: submit (staged, never live), the guard (refuses only the Violations a change
introduces; findings that existed before and Warnings pass; strict blocks Warnings), accept (atomic, bumps the
version, visible in the data and in the history graph through SPARQL) and reject, roles and tokens, and the
Graph Store Protocol and SPARQL Update through the real Flask app (a write that would add a Violation is
refused with 422 and its report)."""

from __future__ import annotations

import json

import pytest
from conftest import REPO
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from test_incremental import _base_data, _file_quads, backend_with

from kooperationsgraph import changes
from kooperationsgraph.config import Settings
from kooperationsgraph.namespaces import CHANGES_GRAPH, EXAMPLE, KG, graph_iri_for
from kooperationsgraph.web import create_app

SETTINGS = Settings(root=REPO)
HISTORY_Q = """PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?cs ?status ?who ?when ?why WHERE { GRAPH ?h { ?cs a prov:Activity ; kg:aenderungsstatus ?status ;
  dcterms:creator/rdfs:label ?who ; prov:startedAtTime ?when ; dcterms:description ?why } }"""
ASK_TRIPLE = "ASK { ?s ?p ?o }"


def example_graph(name: str) -> Graph:
    g = Graph()
    for s, p, o, _ in _file_quads(name, "urn:x"):
        g.add((s, p, o))
    return g


@pytest.fixture()
def backend():
    return backend_with(_base_data())


def live(backend, s, p, o) -> bool:  # noqa: ANN001
    return backend.query(ASK_TRIPLE, bindings={"s": s, "p": p, "o": o}).boolean


def new_actor(extra: bool = True) -> Graph:
    """A fictional Stadtwerk with labels; without sector and seat (ST-3 is a Warning)."""
    x = EXAMPLE["neues-stadtwerk"]
    g = Graph()
    g.add((x, RDF.type, KG.Stadtwerk))
    g.add((x, RDFS.label, Literal("Neues Stadtwerk (fiktiv)", lang="de")))
    g.add((x, RDFS.label, Literal("New municipal utility (fictional)", lang="en")))
    return g


def test_submit_stages_without_touching_the_data(backend) -> None:
    g = example_graph("ds-1-konform.ttl")
    extra = (EXAMPLE["zusatz"], RDFS.label, Literal("Zusatz (fiktiv)", lang="de"))
    g.add(extra)
    v = backend.version()
    r = changes.submit(backend, SETTINGS, g, Graph(), "Erika Muster", "neuer Name")
    assert r.accepted_for_review and r.change_id and not r.refused
    assert not live(backend, *extra)  # staged, not live: the union default graph does not show it
    cs = changes.get_change(backend, r.change_id)
    assert cs is not None and cs.status == "pending"
    assert (extra[0], extra[1], extra[2], changes.CONTRIBUTIONS_GRAPH) in cs.added
    rows = backend.query(HISTORY_Q, bindings={"h": URIRef(CHANGES_GRAPH)}).dicts()
    assert [(str(x["who"]), str(x["why"]), str(x["status"]).rsplit("#")[-1]) for x in rows] == \
        [("Erika Muster", "neuer Name", "Wartend")]
    assert backend.version() != v  # the history is data, too (ETags of /sparql change)


def test_guard_refuses_a_new_violation_and_says_what_is_new(backend) -> None:
    r = changes.submit(backend, SETTINGS, example_graph("ds-2-verstoss.ttl"), Graph(), "a", "b")
    assert r.refused and r.change_id is None
    assert {f.rule for f in r.blocking} and all(f.severity == "Violation" for f in r.blocking)
    assert any(f.rule.startswith("DS-2") for f in r.blocking)
    text_de, text_en = r.report_text("de"), r.report_text("en")
    assert "Änderung abgelehnt" in text_de and "DS-2" in text_de
    assert "Change refused" in text_en and "DS-2" in text_en
    assert changes.list_changes(backend) == []  # nothing staged


def test_findings_that_existed_before_do_not_block(backend) -> None:
    from kooperationsgraph.validation.incremental import mirror_for

    m = mirror_for(backend, SETTINGS)
    before = [r for r in m.full() if str(r.severity).endswith("Violation")]
    assert before, "the base data has Violations (ds-3-verstoss)"
    focus = before[0].focus
    g = Graph()
    g.add((focus, RDFS.comment, Literal("Anmerkung (fiktiv)", lang="de")))  # touches the node, fixes nothing
    r = changes.submit(backend, SETTINGS, g, Graph(), "a", "Anmerkung")
    assert r.accepted_for_review and r.blocking == []
    assert all(f.focus != str(focus) or f.severity != "Violation" for f in r.new_findings)


def test_warnings_pass_and_strict_blocks_them(backend) -> None:
    r = changes.submit(backend, SETTINGS, new_actor(), Graph(), "a", "neuer Akteur")
    assert r.accepted_for_review
    assert r.new_findings and {f.severity for f in r.new_findings} == {"Warning"}
    strict = changes.submit(backend, SETTINGS, new_actor(), Graph(), "a", "neuer Akteur", strict=True)
    assert strict.refused and {f.severity for f in strict.blocking} == {"Warning"}
    assert "strikt" in strict.report_text("de")


def test_accept_applies_atomically_bumps_the_version_and_records_the_review(backend) -> None:
    g = new_actor()
    r = changes.submit(backend, SETTINGS, g, Graph(), "Erika Muster", "neuer Akteur")
    v = backend.version()
    cs = changes.accept(backend, SETTINGS, r.change_id, "Max Prüfer", "belegt")
    assert cs.status == "accepted" and backend.version() != v
    for t in g:
        assert live(backend, *t)
    rows = backend.query(HISTORY_Q, bindings={"h": URIRef(CHANGES_GRAPH)}).dicts()
    assert [str(x["status"]).rsplit("#")[-1] for x in rows] == ["Angenommen"]
    touched = changes.changes_touching(backend, str(EXAMPLE["neues-stadtwerk"]))
    assert [c.id for c in touched] == [r.change_id] and touched[0].reviewer == "Max Prüfer"
    with pytest.raises(changes.ChangeError):
        changes.accept(backend, SETTINGS, r.change_id, "Max Prüfer")  # not pending any more


def test_removals_and_reject(backend) -> None:
    data = _base_data()
    s, p, o, _ = next(q for q in data if q[1] == RDFS.label)
    gone = Graph()
    gone.add((s, p, o))
    r = changes.submit(backend, SETTINGS, Graph(), gone, "a", "Name weg")
    assert r.accepted_for_review and r.change and r.change.removed
    changes.reject(backend, SETTINGS, r.change_id, "rev", "nein")
    assert live(backend, s, p, o)
    assert changes.get_change(backend, r.change_id).status == "rejected"
    r2 = changes.submit(backend, SETTINGS, Graph(), gone, "a", "Name weg")
    changes.accept(backend, SETTINGS, r2.change_id, "rev")
    assert not live(backend, s, p, o)


def test_an_empty_change_is_no_change_set(backend) -> None:
    data = _base_data()
    g = Graph()
    g.add(data[0][:3])
    r = changes.submit(backend, SETTINGS, g, Graph(), "a", "b", graph=data[0][3])
    assert r.empty and not r.refused and r.change_id is None


# ---------------------------------------------------------------------------------------------- web
TOKENS = {"contribute": "beitrag-geheim", "review": "pruef-geheim"}


@pytest.fixture()
def web(backend, tmp_path):
    s = Settings(root=REPO, store_path=tmp_path, contribute_tokens=(TOKENS["contribute"],),
                 review_tokens=(TOKENS["review"],))
    app = create_app(s, {"TESTING": True})
    app.extensions["kg_backend"] = backend
    return app.test_client(), backend


def bearer(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[role]}"}


def test_gsp_write_that_adds_a_violation_is_refused_with_its_report(web) -> None:
    client, backend = web
    body = (REPO / "data/examples/ds-2-verstoss.ttl").read_bytes()
    r = client.put("/rdf-graphs?graph=urn:x:neu", data=body, content_type="text/turtle", headers=bearer("contribute"))
    assert r.status_code == 422
    doc = json.loads(r.data)
    assert doc["refused"] and any(f["rule"].startswith("DS-2") for f in doc["blocking"])
    assert "Änderung abgelehnt" in doc["messageDe"] and "Change refused" in doc["messageEn"]
    assert "urn:x:neu" not in backend.named_graphs()
    en = client.put("/rdf-graphs?graph=urn:x:neu&lang=en", data=body, content_type="text/turtle",
                    headers=bearer("contribute"))
    assert json.loads(en.data)["message"].startswith("Change refused")


def test_roles_gsp_pending_then_accepted_in_the_review_page(web) -> None:
    client, backend = web
    body = new_actor().serialize(format="turtle")
    assert client.put("/rdf-graphs?graph=urn:x:neu", data=body, content_type="text/turtle").status_code == 403
    r = client.put("/rdf-graphs?graph=urn:x:neu", data=body, content_type="text/turtle", headers=bearer("contribute"))
    assert r.status_code == 202, r.data
    cid = json.loads(r.data)["changeId"]
    assert "urn:x:neu" not in backend.named_graphs()
    page = client.get("/aenderungen?lang=de").get_data(as_text=True)
    assert cid in page and "wartet auf Prüfung" in page
    assert "pending review" in client.get("/aenderungen?lang=en").get_data(as_text=True)
    detail = client.get(f"/aenderungen/{cid}?lang=de").get_data(as_text=True)
    assert "neues-stadtwerk" in detail and "ST-3" in detail
    # a contributor may not accept; a wrong token neither
    assert client.post(f"/aenderungen/{cid}/annehmen", data={"token": TOKENS["contribute"]}).status_code == 403
    assert client.post(f"/aenderungen/{cid}/annehmen", data={"token": "falsch"}).status_code == 403
    v = backend.version()
    ok = client.post(f"/aenderungen/{cid}/annehmen", data={"token": TOKENS["review"], "reason": "passt"})
    assert ok.status_code == 303
    assert backend.version() != v and "urn:x:neu" in backend.named_graphs()
    entity = client.get("/example/neues-stadtwerk?lang=de").get_data(as_text=True)
    assert "geändert am" in entity and "contributor-1" in entity
    assert "changed on" in client.get("/example/neues-stadtwerk?lang=en").get_data(as_text=True)


def test_sparql_update_becomes_a_change_set(web) -> None:
    client, backend = web
    x = EXAMPLE["per-update"]
    update = f'INSERT DATA {{ GRAPH <urn:x:u> {{ <{x}> <{RDFS.label}> "Per Update (fiktiv)"@de }} }}'
    r = client.post("/sparql", data={"update": update}, headers=bearer("contribute"))
    assert r.status_code == 202, r.data
    assert not live(backend, x, RDFS.label, Literal("Per Update (fiktiv)", lang="de"))
    cid = json.loads(r.data)["changeId"]
    r = client.post(f"/aenderungen/{cid}/annehmen", headers={**bearer("review"), "Accept": "application/json"})
    assert r.status_code == 200 and json.loads(r.data)["status"] == "accepted"
    assert live(backend, x, RDFS.label, Literal("Per Update (fiktiv)", lang="de"))


def test_no_token_configured_means_read_only(backend, tmp_path) -> None:
    app = create_app(Settings(root=REPO, store_path=tmp_path), {"TESTING": True})
    app.extensions["kg_backend"] = backend
    c = app.test_client()
    r = c.put("/rdf-graphs?graph=urn:x:neu", data="<urn:a> <urn:b> <urn:c> .", content_type="text/turtle",
              headers={"Authorization": "Bearer irgendwas"})
    assert r.status_code == 403 and b"read-only" in r.data


def test_auto_accept_applies_a_passing_write_of_a_reviewer(backend, tmp_path) -> None:
    app = create_app(Settings(root=REPO, store_path=tmp_path, write_token="geheim", auto_accept=True), {"TESTING": True})
    app.extensions["kg_backend"] = backend
    c = app.test_client()
    r = c.put("/rdf-graphs?graph=urn:x:auto", data=new_actor().serialize(format="turtle"), content_type="text/turtle",
              headers={"Authorization": "Bearer geheim"})
    assert r.status_code == 201 and "urn:x:auto" in backend.named_graphs()
    assert changes.list_changes(backend)[0].status == "accepted"


def test_graph_iri_helper_is_stable() -> None:
    assert graph_iri_for("examples/x.ttl").startswith("https://w3id.org/kooperationsgraph/graph/")
