"""Web UI pages through the Flask test client: every page answers, linked-data content negotiation at
the resource's own IRI path, escaping of hostile data, the upload limit, search and the language switch."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kooperationsgraph.config import Settings
from kooperationsgraph.store.embedded import EmbeddedBackend
from kooperationsgraph.web import create_app

REPO = Path(__file__).resolve().parents[1]

PAGES = [
    "/", "/search", "/search?q=trianel", "/lists", "/lists/kooperationen", "/lists/akteure",
    "/lists/vereinbarungen", "/lists/normen", "/lists/class/Gemeinde?page=2", "/lists/sektoren",
    "/lists/ebenen", "/lists/laender", "/network", "/ontology", "/ontology/Kooperation", "/query",
    "/validate", "/validate/history", "/id/kooperation/trianel", "/id/kreis/05334", "/id/land/05",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_html_navigation_and_footer_disclaimer(client, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 200, path
    html = resp.get_data(as_text=True)
    assert 'aria-label="Hauptnavigation"' in html
    assert "Compliance-Befunde sind Hinweise, keine Rechtsberatung" in html
    assert "/lang/en?next=" in html
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]


def test_start_and_validate_pages_carry_the_disclaimer_in_the_page_body(client) -> None:
    for path in ("/", "/validate"):
        html = client.get(path).get_data(as_text=True)
        assert html.count("keine Rechtsberatung") >= 2, path


@pytest.mark.parametrize(("accept", "media"), [
    ("text/turtle", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"),
    ("text/html,application/xhtml+xml", "text/html"),
])
def test_entity_iri_negotiates_content_by_accept(client, accept: str, media: str) -> None:
    resp = client.get("/id/kooperation/trianel", headers={"Accept": accept})
    assert resp.status_code == 200
    assert resp.mimetype == media
    body = resp.get_data(as_text=True)
    if media == "application/ld+json":
        assert "https://w3id.org/kooperationsgraph/id/kooperation/trianel" in json.dumps(json.loads(body))
    elif media != "text/html":
        g = Graph().parse(data=body, format={"text/turtle": "turtle", "application/n-triples": "nt"}[media])
        assert len(g) > 10


@pytest.mark.parametrize(("fmt", "media"), [("ttl", "text/turtle"), ("nt", "application/n-triples"),
                                            ("jsonld", "application/ld+json"), ("html", "text/html")])
def test_entity_iri_negotiates_content_by_format_parameter(client, fmt: str, media: str) -> None:
    resp = client.get(f"/id/kreis/05334?format={fmt}", headers={"Accept": "text/html"})
    assert resp.mimetype == media


def test_turtle_of_an_entity_uses_the_canonical_w3id_iris(client) -> None:
    body = client.get("/id/kooperation/trianel?format=ntriples").get_data(as_text=True)
    assert "<https://w3id.org/kooperationsgraph/id/kooperation/trianel>" in body


def test_entity_page_shows_memberships_sources_and_local_links(client) -> None:
    html = client.get("/id/kooperation/trianel").get_data(as_text=True)
    assert "Mitgliedschaften" in html and 'href="/id/akteur/stawag"' in html
    assert "Quellen" in html and "https://www.aachener-zeitung.de/" in html
    assert 'id="net-data"' in html


def test_ontology_iri_serves_docs_and_turtle(client) -> None:
    assert 'id="Kooperation"' in client.get("/ontology").get_data(as_text=True)
    ttl = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert ttl.mimetype == "text/turtle" and "Kooperation" in ttl.get_data(as_text=True)


def test_unknown_entity_is_404(client) -> None:
    assert client.get("/id/akteur/gibt-es-nicht").status_code == 404


def test_search_is_case_and_diacritics_insensitive(client) -> None:
    data = client.get("/search.json?q=sudwest").get_json()
    assert any("Südwest" in h["label"] for h in data["hits"])
    html = client.get("/search?q=SUDWEST").get_data(as_text=True)
    assert "Edeka Südwest" in html


def test_search_results_are_grouped_by_type(client) -> None:
    html = client.get("/search?q=trianel").get_data(as_text=True)
    assert "<h2" in html and "Kooperation" in html


def test_language_switch_sets_a_cookie_and_shows_english_labels(client) -> None:
    resp = client.get("/lang/en?next=/id/kooperation/trianel")
    assert resp.status_code == 303 and "kg_lang=en" in resp.headers["Set-Cookie"]
    html = client.get("/id/kooperation/trianel").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Trianel GmbH (municipal utility cooperation)" in html
    assert "Compliance findings are indicative, not legal advice" in html


def test_language_switch_refuses_offsite_redirects(client) -> None:
    assert client.get("/lang/en?next=//evil.example/").headers["Location"] == "/"


def test_upload_over_the_limit_gets_a_clear_413(settings: Settings) -> None:
    app = create_app(settings.with_(max_upload_bytes=1000), {"TESTING": True})
    form = {"scope": "input", "file": (io.BytesIO(b"#" * 5000), "x.ttl")}
    resp = app.test_client().post("/validate", data=form, content_type="multipart/form-data")
    assert resp.status_code == 413
    assert "zu groß" in resp.get_data(as_text=True) and "1000" in resp.get_data(as_text=True)


def test_upload_of_a_violating_example_shows_rule_citation_and_hint(client) -> None:
    data = (REPO / "data/examples/ds-1-verstoss.ttl").read_bytes()
    resp = client.post("/validate", data={"scope": "input", "file": (io.BytesIO(data), "ds-1-verstoss.ttl")},
                       content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'data-rule="DS-1"' in html and 'class="citation"' in html and 'class="hint"' in html
    assert 'href="#u1"' in html and 'id="u1"' in html  # the uploaded entity is shown in the report


def test_syntax_error_in_pasted_rdf_says_where(client) -> None:
    resp = client.post("/validate", data={"scope": "input", "text": "@prefix x: <"})
    assert resp.status_code == 400
    assert "line 1" in resp.get_data(as_text=True) and "/tmp" not in resp.get_data(as_text=True)


def test_query_terms_for_autocomplete_come_from_our_ontology(client) -> None:
    data = client.get("/query/terms.json").get_json()
    assert "https://w3id.org/kooperationsgraph/ontology#Kooperation" in data["classes"]
    assert "https://w3id.org/kooperationsgraph/ontology#mitglied" in data["properties"]


def test_query_page_has_no_external_scripts_and_config_with_prefixes(client) -> None:
    html = client.get("/query").get_data(as_text=True)
    assert "vendor/yasgui/yasgui.min.js" in html and "cdn" not in html.lower()
    cfg = json.loads(html.split('id="query-config">', 1)[1].split("</script>", 1)[0])
    assert cfg["endpoint"] == "/sparql" and cfg["prefixes"]["kg"].endswith("ontology#")


def test_network_json_has_actors_and_cooperations(client) -> None:
    data = client.get("/network.json").get_json()
    fams = {n["family"] for n in data["nodes"]}
    assert fams == {"Akteur", "Kooperation"} and data["edges"]


def test_lists_page_and_facets(client) -> None:
    html = client.get("/lists/kooperationen?sektor=https://w3id.org/kooperationsgraph/id/sektor/energie")
    assert html.status_code == 200 and 'aria-current="true"' in html.get_data(as_text=True)


def test_laender_map_draws_sixteen_linked_shapes(client) -> None:
    html = client.get("/lists/laender").get_data(as_text=True)
    assert html.count("<path d=") == 16 and "GeoBasis-DE / BKG 2021" in html


# ------------------------------------------------------------------------------------------ hostile data
@pytest.fixture()
def hostile_client(tmp_path: Path):
    store = ox.Store()
    for f in (REPO / "ontology/kooperationsgraph.ttl", REPO / "tests/fixtures/hostile.ttl"):
        store.load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:x:" + f.name))
    settings = Settings(root=REPO, store_path=tmp_path)
    app = create_app(settings, {"TESTING": True})
    app.extensions["kg_backend"] = EmbeddedBackend(settings, store=store, path=tmp_path)
    return app.test_client()


def test_hostile_literals_are_escaped_and_javascript_iris_never_linked(hostile_client) -> None:
    html = hostile_client.get("/example/boese").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html and "<b>fett</b>" not in html
    assert 'href="javascript:' not in html
    hits = hostile_client.get("/search?q=bose").get_data(as_text=True)
    assert "&lt;script&gt;" in hits and "<script>alert" not in hits


def test_entity_page_lists_open_findings_of_the_last_saved_report(tmp_path: Path) -> None:
    from kooperationsgraph.validation import history
    from kooperationsgraph.validation.report import Finding, NormRef, Report

    store = ox.Store()
    store.load(path=str(REPO / "tests/fixtures/hostile.ttl"), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode("urn:x:hostile"))
    settings = Settings(root=REPO, store_path=tmp_path)
    backend = EmbeddedBackend(settings, store=store, path=tmp_path)
    focus = "https://w3id.org/kooperationsgraph/example/boese"
    finding = Finding(rule="DS-1", severity="Violation", focus=focus, focusLabel="x", path=None, value=None,
                      message="Es ist keine <Rechtsgrundlage> erfasst.", hint=None, regime=None,
                      norm=NormRef("https://w3id.org/kooperationsgraph/id/norm/dsgvo-art-6-abs-1"))
    history.save(backend, Report([finding]))
    app = create_app(settings, {"TESTING": True})
    app.extensions["kg_backend"] = backend
    html = app.test_client().get("/example/boese").get_data(as_text=True)
    section = html.split('id="h-find"', 1)[1].split("</section>", 1)[0]
    assert "DS-1" in section and "&lt;Rechtsgrundlage&gt;" in section


def test_search_puts_the_exact_name_first(client) -> None:
    hits = client.get("/search.json?q=Trianel").get_json()["hits"]
    assert hits[0]["href"] == "/id/kooperation/trianel"
    assert hits[0]["label"].startswith("Trianel GmbH")
    html = client.get("/search?q=Trianel").get_data(as_text=True)
    assert html.index('href="/id/kooperation/trianel"') < html.index('href="/id/kooperation/trianel-windpark-borkum"')


def test_search_matches_all_words_in_any_order(client) -> None:
    for q in ("Edeka Verbund", "verbund edeka"):
        hits = client.get("/search.json", query_string={"q": q}).get_json()["hits"]
        assert hits and hits[0]["href"] == "/id/kooperation/edeka-verbund", q
        assert all("edeka" in h["matched"].lower() and "verbund" in h["matched"].lower() for h in hits), q
    assert client.get("/search.json?q=edeka+gibtsnichtwort").get_json()["hits"] == []


def test_search_transliterates_umlauts_and_describes_each_hit(client) -> None:
    hits = client.get("/search.json?q=muenchen").get_json()["hits"]
    assert hits and hits[0]["label"] == "München"
    assert hits[0]["description"] == "Kreis in Bayern"
    assert client.get("/search.json?q=duesseldorf").get_json()["hits"][0]["label"] == "Düsseldorf"
    herford = client.get("/search.json?q=Herford").get_json()["hits"]
    assert herford[0]["description"] == "Kreis in Nordrhein-Westfalen"
    html = client.get("/search?q=herford").get_data(as_text=True)
    assert "Kreis in Nordrhein-Westfalen" in html
    # the group with the exact hit comes before the groups of longer names
    assert html.index("Kreis in Nordrhein-Westfalen") < html.index("Stadtwerke Herford")


def test_counts_use_singular_and_plural(app, client) -> None:
    import re

    from kooperationsgraph.web.ui import count

    with app.test_request_context("/"):
        assert count(1, "kooperation") == "1 Kooperation" and count(2, "kooperation") == "2 Kooperationen"
        assert count(1, "akteur") == "1 Akteur" and count(0, "akteur") == "0 Akteure"
    with app.test_request_context("/?lang=en"):
        assert count(1, "kooperation") == "1 cooperation" and count(3, "akteur") == "3 actors"
    singular_seen = False
    for path in ("/lists/sektoren", "/lists/laender"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"(?<![\d.])1 (Kooperationen|Akteure)\b", html), path
        singular_seen |= bool(re.search(r"(?<![\d.])1 (Kooperation|Akteur)\b(?!e)", html))
    assert singular_seen  # the data has a Land or sector with one cooperation or actor: the singular is shown


def test_report_names_severities_in_german(client) -> None:
    data = (REPO / "data/examples/ds-1-verstoss.ttl").read_bytes()
    html = client.post("/validate", data={"scope": "input", "file": (io.BytesIO(data), "ds-1-verstoss.ttl")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "(Verstoß)" in html or "(Warnung)" in html or "(Hinweis)" in html
    assert "(Violation)" not in html and "(Warning)" not in html
    assert "Warnungen" in html or "1 Warnung" in html
    assert " Violation</span>" not in html and " Warning</span>" not in html


def test_query_page_speaks_the_page_language_in_the_gallery_and_script_texts(client) -> None:
    html = client.get("/query").get_data(as_text=True)
    assert "Ansicht: barchart" not in html and "bevorzugte Ansicht" not in html  # no internal names
    assert "Ansicht: Balkendiagramm" in html
    cfg = json.loads(html.split('id="query-config">', 1)[1].split("</script>", 1)[0])
    assert cfg["messages"]["query.error.syntax"] == "Syntaxfehler in Zeile {line}, Spalte {column}"
    assert cfg["messages"]["query.cancel"] == "Abbrechen"
    en = client.get("/query?lang=en").get_data(as_text=True)
    cfg_en = json.loads(en.split('id="query-config">', 1)[1].split("</script>", 1)[0])
    assert cfg_en["messages"]["query.error.timeout"].startswith("Timeout")
    assert 'id="query-cancel"' in html and 'id="query-error"' in html
    assert "window.alert" not in (REPO / "src/kooperationsgraph/web/static/js/query.js").read_text()


def test_sparql_errors_answer_json_with_position_for_the_editor(client) -> None:
    resp = client.post("/sparql", data={"query": "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(\n}"},
                       headers={"Accept": "application/sparql-results+json,*/*;q=0.9"})
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["error"] == "query-syntax" and body["line"] == 4 and body["column"] >= 1 and body["message"]
    refused = client.post("/sparql", data={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"},
                          headers={"Accept": "application/sparql-results+json,*/*;q=0.9"})
    assert refused.status_code == 403 and refused.get_json()["error"] == "query-refused"
