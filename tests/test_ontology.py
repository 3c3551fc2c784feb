"""The ontology parses, is OWL 2 DL-shaped, documented in German and English, and consistent under HermiT."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kooperationsgraph.namespaces import KG, ONTOLOGY_IRI
from kooperationsgraph.rdfio import format_for_path, parse_quads
from kooperationsgraph.reasoning import reason

REPO = Path(__file__).resolve().parents[1]
ONTOLOGY = REPO / "ontology" / "kooperationsgraph.ttl"
needs_java = pytest.mark.usefixtures("java")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY)


def own_terms(g: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {s for k in kinds for s in g.subjects(RDF.type, k) if isinstance(s, URIRef) and s.startswith(str(KG))}


def test_header_has_version_and_metadata(onto: Graph) -> None:
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in onto
    for p in (OWL.versionIRI, OWL.versionInfo, URIRef("http://purl.org/dc/terms/license"),
              URIRef("http://purl.org/dc/terms/creator"), URIRef("http://purl.org/dc/terms/created")):
        assert onto.value(o, p) is not None, p
    langs = {t.language for t in onto.objects(o, URIRef("http://purl.org/dc/terms/title"))}
    assert {"de", "en"} <= langs


def test_every_term_has_german_and_english_label_and_definition(onto: Graph) -> None:
    terms = own_terms(onto)
    assert len(terms) > 100
    missing = []
    for t in sorted(terms):
        for p in (RDFS.label, SKOS.definition):
            langs = {o.language for o in onto.objects(t, p) if isinstance(o, Literal)}
            if not {"de", "en"} <= langs:
                missing.append(f"{t} {p}")
    assert not missing, missing


def test_core_model_is_aligned_to_standard_vocabularies(onto: Graph) -> None:
    org = "http://www.w3.org/ns/org#"
    assert (KG.Akteur, RDFS.subClassOf, URIRef(org + "Organization")) in onto
    assert (KG.Kooperation, RDFS.subClassOf, URIRef(org + "OrganizationalCollaboration")) in onto
    assert (KG.Mitgliedschaft, RDFS.subClassOf, URIRef(org + "Membership")) in onto
    assert (KG.Rechtsnorm, RDFS.subClassOf, URIRef("http://data.europa.eu/eli/ontology#LegalResourceSubdivision")) in onto
    assert (KG.OeffentlicheStelle, OWL.disjointWith, KG.PrivatesUnternehmen) in onto
    assert (KG.istMitgliedVon, OWL.inverseOf, KG.hatMitglied) in onto
    assert (KG.untergeordnetVon, RDF.type, OWL.TransitiveProperty) in onto
    assert onto.value(KG.OeffentlicherAuftraggeber, OWL.equivalentClass) is not None


def test_no_non_owl2_datatype_ranges(onto: Graph) -> None:
    """xsd:date / xsd:gYear are outside the OWL 2 datatype map: no rdfs:range may use them (OWL 2 DL)."""
    bad = [s for s, o in onto.subject_objects(RDFS.range)
           if str(o).endswith(("#date", "#gYear", "#gYearMonth"))]
    assert not bad


def _store_with(*files: Path) -> ox.Store:
    store = ox.Store()
    for f in files:
        fmt = format_for_path(f)
        assert fmt is not None
        store.extend(parse_quads(None, fmt, str(f), path=f, graph="urn:test:" + f.name))
    return store


@needs_java
def test_ontology_and_vocabularies_are_consistent_under_hermit() -> None:
    files = [ONTOLOGY, *sorted((REPO / "data" / "vokabular").glob("*.ttl"))]
    assert reason(_store_with(*files)).consistent


@needs_java
def test_reasoner_classifies_public_contracting_authority() -> None:
    """§ 99 GWB as a defined class: a Land authority is a public contracting authority without saying so."""
    extra = REPO / "tests" / "fixtures" / "auftraggeber.ttl"
    res = reason(_store_with(ONTOLOGY, REPO / "data" / "vokabular" / "sektoren.ttl", extra))
    assert res.consistent
    inferred = {(s, o) for s, _, o in res.inferred}
    ex = "https://w3id.org/kooperationsgraph/example/"
    assert (ex + "landesamt", str(KG.OeffentlicherAuftraggeber)) in inferred
    assert (ex + "stadtwerk", str(KG.Sektorenauftraggeber)) in inferred
    assert (ex + "privatfirma", str(KG.OeffentlicherAuftraggeber)) not in inferred


@needs_java
def test_inconsistent_example_is_detected_with_the_offending_axiom() -> None:
    res = reason(_store_with(ONTOLOGY, REPO / "data" / "examples" / "inkonsistent.ttl"))
    assert not res.consistent
    text = "\n".join(res.explanation)
    assert "widerspruechlicher-akteur" in text and "disjointWith" in text
