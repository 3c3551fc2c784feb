"""The DCAT-AP.de record at /catalog: content negotiation, dynamic values, the VoID link, and conformance to the
official shapes — SEMIC DCAT-AP 3.0.0 SHACL with GovData's DCAT-AP.de 3.0 German additions and messages,
vendored under tests/data/dcat-ap/ (see the README there). A record without dct:title must fail them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, SH

SHAPES_DIR = Path(__file__).parent / "data" / "dcat-ap"
SHAPE_FILES = ("dcat-ap-SHACL-3.0.0.ttl", "dcat-ap-de-3.0-SHACL-DE.ttl", "dcat-ap-de-3.0-spec-german-additions.ttl")
VOID = Namespace("http://rdfs.org/ns/void#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
BASE = "https://w3id.org/kooperationsgraph/"
CATALOG, DATASET = URIRef(BASE + "catalog"), URIRef(BASE + "dataset")
DL_BY_DE = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    for name in SHAPE_FILES:
        g.parse(SHAPES_DIR / name, format="turtle")
    return g


@pytest.fixture()
def record(client) -> Graph:
    r = client.get("/catalog", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    return Graph().parse(data=r.data, format="turtle")


def violations(data: Graph, shapes: Graph) -> list[str]:
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    return [f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}: {report.value(r, SH.resultMessage)}"
            for r in report.subjects(SH.resultSeverity, SH.Violation)]


def test_the_served_record_conforms_to_the_dcat_ap_shapes(record: Graph, shapes: Graph) -> None:
    assert violations(record, shapes) == []


def test_a_record_without_a_title_fails_the_shapes(record: Graph, shapes: Graph) -> None:
    broken = Graph()
    for t in record:
        broken.add(t)
    broken.remove((DATASET, DCTERMS.title, None))
    found = violations(broken, shapes)
    assert any(str(DATASET) in v and str(DCTERMS.title) in v for v in found), found


def test_a_distribution_without_access_url_fails_the_shapes(record: Graph, shapes: Graph) -> None:
    broken = Graph()
    for t in record:
        broken.add(t)
    dist = URIRef(BASE + "dataset#sparql")
    broken.remove((dist, DCAT.accessURL, None))
    assert any(str(dist) in v for v in violations(broken, shapes))


def test_the_record_describes_catalogue_dataset_distributions_and_services(record: Graph) -> None:
    assert (CATALOG, RDF.type, DCAT.Catalog) in record
    assert (CATALOG, DCAT.dataset, DATASET) in record
    titles = {t.language for t in record.objects(DATASET, DCTERMS.title)}
    assert {"de", "en"} <= titles
    assert record.value(DATASET, DCTERMS.publisher) is not None
    assert record.value(DATASET, DCAT.contactPoint) is not None
    dists = set(record.objects(DATASET, DCAT.distribution))
    assert len(dists) == 3
    assert all(record.value(d, DCTERMS.license) == DL_BY_DE for d in dists)
    assert all(record.value(d, DCATDE.licenseAttributionByText) for d in dists)
    assert record.value(DATASET, DCTERMS.spatial) == URIRef("http://publications.europa.eu/resource/authority/country/DEU")
    assert record.value(DATASET, DCATDE.politicalGeocodingLevelURI) == URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/Level/federal")
    services = {str(record.value(s, DCAT.endpointURL)) for s in record.subjects(RDF.type, DCAT.DataService)}
    assert services == {"http://localhost/sparql", "http://localhost/rdf-graphs"}


def test_dynamic_values_come_from_the_store(record: Graph, backend) -> None:
    triples = int(record.value(DATASET, VOID.triples))
    assert triples == int(backend.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0])
    period = record.value(DATASET, DCTERMS.temporal)
    years = [int(str(v)[:4]) for (v,) in backend.query(
        "SELECT ?v WHERE { { ?k <https://w3id.org/kooperationsgraph/ontology#gruendungsjahr> ?v } UNION "
        "{ ?k <https://w3id.org/kooperationsgraph/ontology#gruendungsdatum> ?v } }").rows]
    assert 1899 in years  # Emschergenossenschaft, 14 Dec 1899
    assert str(record.value(period, DCAT.startDate)) == str(min(years))
    assert str(record.value(period, DCAT.endDate)) == str(record.value(DATASET, DCTERMS.modified))[:10]
    assert record.value(DATASET, DCTERMS.modified) is not None


def test_content_negotiation_and_void_link(client) -> None:
    r = client.get("/catalog", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.mimetype == "application/ld+json"
    assert (CATALOG, RDF.type, DCAT.Catalog) in Graph().parse(data=r.data, format="json-ld")
    html = client.get("/catalog", headers={"Accept": "text/html"})
    assert html.status_code == 200 and b"DCAT-AP.de" in html.data
    void = Graph().parse(data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data, format="turtle")
    assert (DATASET, DCTERMS.isReferencedBy, URIRef("http://localhost/catalog")) in void
