"""The compliance shapes: every rule of the rule set (../shared/design/compliance-rules.md) is a named,
documented shape that conforms to SHACL-for-SHACL, cites an existing norm, and fires exactly on the focus
nodes of its fictional violating example — with the right severity, rule id and citation — and stays silent on
its compliant example."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

import pytest
from conftest import REPO, shared_dir
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH

from kooperationsgraph.config import Settings
from kooperationsgraph.namespaces import EXAMPLE, KG, SHAPES
from kooperationsgraph.validation import Options, Report, validate_files
from kooperationsgraph.validation.rules import project_rulebook

EXAMPLES = REPO / "data" / "examples"
STICHTAG = date(2026, 11, 28)
V, W, INFO = "Violation", "Warning", "Info"

#: For each rule: the findings of that rule on its violating example, as (focus local name, severity).
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "DS-1": {("lagebild-vertrag", V)},
    "DS-2": {("buergerwarnung-vertrag", V)},
    "DS-3": {("meldevertrag-infektionen", V)},
    "DS-4": {("betriebsvertrag-plattform", V)},
    "DS-5": {("lageplattform-vertrag", V)},
    "DS-6": {("register-beatmung", V), ("register-dialyse", W)},
    "DS-7": {("cloud-vertrag", V)},
    "DS-8": {("stadt-musterstadt", W), ("datenhaus", W)},
    "VG-1": {("auftrag-notstrom", V), ("auftrag-netztechnik", V)},
    "VG-2": {("auftrag-notlager", V), ("auftrag-notversorgung", W)},
    "VG-3": {("inhouse-waermeversorgung", V), ("inhouse-notstromnetz", V), ("inhouse-ladeinfrastruktur", W)},
    "VG-4": {("zusammenarbeit-leitstelle", V), ("zusammenarbeit-lager", W)},
    "VG-5": {("innovationspartnerschaft-sensorik", W)},
    "VG-6": {("auftrag-sandsaecke", INFO)},
    "VG-7": {("auftrag-betreuungsdienst", INFO)},
    "KR-1": {("vertrag-netzreserve", W)},
    "KR-2": {("einkaufsvertrag-konserven", W)},
    "KR-3": {("fue-vertrag-antibiotika", W)},
    "KR-4": {("spezialisierung-infusionen", W)},
    "KR-5": {("gruendung-gasspeicher", V)},
    "KR-6": {("austausch-kapazitaeten", W)},
    "KR-7": {("rationalisierung-lager", INFO)},
    "KR-8": {("krisenabsprache-gas", INFO)},
    "ST-1": {("doppelname", V)},
    "ST-2": {("unbestimmter-akteur", V)},
    "ST-3": {("ohne-angaben", W)},
    "ST-4": {("netzwerk-notfallvorsorge", W)},
    "ST-5": {("netzwerk-notfallvorsorge", W)},
    "ST-6": {("netzwerk-notfallvorsorge", V)},
    "ST-7": {("absichtserklaerung-vorsorge", V)},
    "ST-8": {("vereinbarung-ohne-art", V)},
    "ST-9": {("musterkreis", V), ("musterdorf", V)},
    "ST-10": {("krisenprotokoll-strom", W)},
    "ST-11": {("krisenprotokoll-strom", W)},
    "ST-12": {("auftrag-pumpen", V)},
}


@cache
def run_example(name: str) -> Report:
    return validate_files([EXAMPLES / name], Settings(root=REPO), Options(today=STICHTAG))


def example(rule: str, kind: str) -> str:
    return f"{rule.lower()}-{kind}.ttl"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    for f in sorted((REPO / "ontology" / "shapes").glob("*.ttl")):
        g.parse(f)
    return g


def test_every_rule_of_the_rule_set_has_a_shape() -> None:
    """DS-1…DS-8, VG-1…VG-7, KR-1…KR-8 of compliance-rules.md and the structural rules are implemented."""
    text = (shared_dir() / "design" / "compliance-rules.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| ((?:DS|VG|KR)-\d+) \|", text, flags=re.M))
    assert len(listed) == 23
    implemented = {r.rule_id for r in project_rulebook(REPO).rules.values()}
    assert listed <= implemented, sorted(listed - implemented)
    assert set(EXPECTED) == implemented


def test_every_rule_shape_is_named_and_documented_in_german_and_english(shapes: Graph) -> None:
    book = project_rulebook(REPO)
    for iri, rule in book.rules.items():
        s = URIRef(iri)
        assert rule.rule_id and iri.startswith(str(SHAPES)), iri
        assert {"de", "en"} <= set(rule.titles) and {"de", "en"} <= set(rule.hints), iri
        assert {"de", "en"} <= set(rule.templates), iri
        assert {o.language for o in shapes.objects(s, RDFS.comment)} >= {"de", "en"}, iri
        assert shapes.value(s, SH.severity) in (SH.Violation, SH.Warning, SH.Info), iri
        assert rule.regime in book.regimes, iri
        if rule.regime != str(SHAPES.Struktur):
            assert rule.norm and rule.norm.startswith(str(KG).replace("ontology#", "id/norm/")), iri


def test_every_rule_shape_belongs_to_the_rule_set_of_its_regime(shapes: Graph) -> None:
    for ruleset in shapes.subjects(RDF.type, SHAPES.RuleSet):
        regime = shapes.value(ruleset, SHAPES.regime)
        for shape in shapes.objects(ruleset, SHAPES.rule):
            assert shapes.value(shape, SHAPES.regime) == regime, shape
    members = set(shapes.objects(None, SHAPES.rule))
    assert {URIRef(i) for i in project_rulebook(REPO).rules} == members


def test_shapes_conform_to_the_w3c_shacl_for_shacl_shapes(shapes: Graph) -> None:
    import pyshacl

    shacl_shacl = Graph().parse(shared_dir() / "peer-tests" / "shacl" / "core" / "complex" / "shacl-shacl.ttl")
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shacl_shacl)
    assert conforms, text


def test_every_cited_norm_exists_with_citation_and_official_url(shapes: Graph) -> None:
    """The norm nodes live in data/recht/ (legal norms are sourced data, not part of the shapes)."""
    norms = Graph()
    for f in sorted((REPO / "data" / "recht").glob("*.ttl")):
        norms.parse(f)
    cited = set(shapes.objects(None, SHAPES.norm))
    missing = sorted(str(n) for n in cited if norms.value(n, KG.zitierung) is None)
    assert not missing, f"norm nodes missing in data/recht/: {missing}"
    no_url = sorted(str(n) for n in cited if norms.value(n, KG.amtlicheUrl) is None)
    assert not no_url, f"norm nodes without kg:amtlicheUrl: {no_url}"


@pytest.mark.parametrize("rule", sorted(EXPECTED, key=lambda r: (r[:2], int(r[3:]))))
def test_rule_fires_exactly_on_its_violating_example(rule: str) -> None:
    report = run_example(example(rule, "verstoss"))
    got = {(f.focus.removeprefix(str(EXAMPLE)), f.severity) for f in report.findings if f.rule == rule}
    assert got == EXPECTED[rule]
    book = project_rulebook(REPO)
    for f in report.findings:
        if f.rule != rule:
            continue
        shape = book.rules[f.shape]
        assert f.severity == shape.severity
        assert f.message and "{" not in f.message and "<http" not in f.message, f.message
        assert f.hint == shape.hint("de")
        if shape.norm:
            assert f.norm is not None and f.norm.iri == shape.norm
            assert f.norm.citation, f"no citation for {shape.norm}"


@pytest.mark.parametrize("rule", sorted(EXPECTED, key=lambda r: (r[:2], int(r[3:]))))
def test_rule_is_silent_on_its_compliant_example(rule: str) -> None:
    report = run_example(example(rule, "konform"))
    assert not [f for f in report.findings if f.rule == rule], report.to_text()
    assert not report.has_violations, report.to_text()


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*-*.ttl")))
def test_examples_are_well_formed_data(name: str) -> None:
    """Apart from the structural rule an ST example is about, no example has data-quality findings."""
    report = run_example(name)
    own = name.split("-")[0].upper() + "-" + name.split("-")[1]
    assert not [f for f in report.findings if f.rule.startswith("ST-") and f.rule != own], report.to_text()


def test_examples_are_labelled_as_fictional() -> None:
    for f in sorted(EXAMPLES.glob("*.ttl")):
        g = Graph().parse(f)
        assert f.read_text(encoding="utf-8").startswith("# FICTIONAL"), f.name
        for s, label in g.subject_objects(RDFS.label):
            assert isinstance(label, Literal) and ("fiktiv" in label or "fictional" in label), (
                f.name,
                s,
                label,
            )
    assert (EXAMPLES / "README.md").is_file()


def test_inconsistent_example_keeps_its_name() -> None:
    """The reasoner test uses data/examples/inkonsistent.ttl: a body typed both public and private."""
    g = Graph().parse(EXAMPLES / "inkonsistent.ttl")
    assert (None, RDF.type, KG.Landesbehoerde) in g


def test_rule_ids_are_unique_per_regime_prefix() -> None:
    book = project_rulebook(REPO)
    prefixes = {
        "DS": str(SHAPES.DSGVO),
        "VG": str(SHAPES.Vergaberecht),
        "KR": str(SHAPES.Kartellrecht),
        "ST": str(SHAPES.Struktur),
    }
    for rule in book.rules.values():
        assert rule.rule_id is not None
        assert prefixes[rule.rule_id.split("-")[0]] == rule.regime
