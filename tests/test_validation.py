"""The validation engine and its reports: the Python API, filters (rules, focus, Land), the award date picking
the threshold period, derived facts, the JSON schema, the Turtle and HTML renderings, report history in a
temporary embedded store, and the real data (structural Violations fail; compliance findings are reported)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SH, XSD

from kooperationsgraph.config import Settings
from kooperationsgraph.errors import KooperationsgraphError
from kooperationsgraph.namespaces import EXAMPLE, KG, SHAPES
from kooperationsgraph.validation import Options, history, validate, validate_files, validate_store
from kooperationsgraph.validation.messages import format_amount
from kooperationsgraph.validation.rules import UnknownRuleError

EXAMPLES = REPO / "data" / "examples"
DAY = date(2026, 11, 28)
SETTINGS = Settings(root=REPO)


def run(*names: str, **opts: object) -> object:
    return validate_files([EXAMPLES / n for n in names], SETTINGS, Options(today=DAY, **opts))  # type: ignore[arg-type]


def test_validate_api_accepts_an_rdflib_graph() -> None:
    g = Graph().parse(EXAMPLES / "ds-1-verstoss.ttl")
    report = validate(g, settings=SETTINGS, today=DAY)
    assert [f.rule for f in report.findings] == ["DS-1"]
    assert report.findings[0].focus == str(EXAMPLE["lagebild-vertrag"])
    assert report.findings[0].focusLabel == "Vertrag Lagebild Bettenkapazität (fiktiv)"
    assert not report.conforms and report.has_violations and report.fails()


def test_json_report_has_the_documented_schema() -> None:
    obj = json.loads(run("vg-1-verstoss.ttl", "kr-2-verstoss.ttl").to_json())
    assert set(obj) == {"conforms", "counts", "results"}
    assert obj["conforms"] is False
    assert obj["counts"] == {"Violation": 2, "Warning": 1, "Info": 1}
    for r in obj["results"]:
        assert set(r) == {
            "rule",
            "severity",
            "focus",
            "focusLabel",
            "path",
            "value",
            "message",
            "norm",
            "hint",
        }
        assert r["severity"] in {"Violation", "Warning", "Info"}
        assert set(r["norm"]) == {"citation", "url"}
        assert isinstance(r["message"], str) and isinstance(r["hint"], str)
    vg1 = [r for r in obj["results"] if r["rule"] == "VG-1"]
    assert {r["path"] for r in vg1} == {str(KG.vergabeverfahren)}


def test_messages_name_labels_and_concrete_values() -> None:
    report = run("vg-1-verstoss.ttl")
    msg = next(f.message for f in report.findings if f.focus.endswith("auftrag-notstrom"))
    assert "„Lieferung von Notstromaggregaten (fiktiv)“" in msg
    assert "310.000 €" in msg and "216.000 €" in msg and "02.03.2026" in msg
    en = run("vg-1-verstoss.ttl", lang="en")
    msg_en = next(f.message for f in en.findings if f.focus.endswith("auftrag-notstrom"))
    assert "EUR 310,000" in msg_en and "EUR 216,000" in msg_en and "Contract" in msg_en
    assert en.findings[0].hint and "Award the contract" in en.findings[0].hint


def test_amounts_are_formatted_per_language() -> None:
    assert format_amount("310000.00", "de") == "310.000"
    assert format_amount("17500000.5", "de") == "17.500.000,5"
    assert format_amount("216000", "en") == "216,000"


def test_the_award_date_selects_the_threshold_period() -> None:
    """220,000 EUR is below the 2024–2025 threshold (221,000 EUR), above the 2026–2027 one (216,000 EUR)."""
    g = Graph().parse(EXAMPLES / "vg-1-konform.ttl")
    contract = EXAMPLE["auftrag-funkgeraete-2025"]
    assert not [f for f in validate(g, settings=SETTINGS, today=DAY).findings if f.focus == str(contract)]
    g.remove((contract, KG.abschlussdatum, None))
    g.remove((contract, KG.nationalesVergaberegime, None))
    g.add((contract, KG.abschlussdatum, Literal("2026-02-02", datatype=XSD.date)))
    found = [f for f in validate(g, settings=SETTINGS, today=DAY).findings if f.focus == str(contract)]
    assert [f.rule for f in found] == ["VG-1"]


def test_competitors_are_derived_from_shared_markets() -> None:
    """KR-1's example records no kg:zwischenWettbewerbern; a build rule derives it from kg:taetigAufMarkt."""
    text = (EXAMPLES / "kr-1-verstoss.ttl").read_text(encoding="utf-8")
    assert "zwischenWettbewerbern" not in text
    assert [f.rule for f in run("kr-1-verstoss.ttl").findings] == ["KR-1"]


def test_rules_filter_by_regime_prefix_and_id() -> None:
    files = ("ds-1-verstoss.ttl", "vg-1-verstoss.ttl", "kr-2-verstoss.ttl")
    assert {f.rule for f in run(*files, rules="DS").findings} == {"DS-1"}
    assert {f.rule for f in run(*files, rules="VG-1,KR-2").findings} == {"VG-1", "KR-2"}
    with pytest.raises(UnknownRuleError):
        run(*files, rules="XY-9")


def test_focus_filter_keeps_one_entity() -> None:
    report = run("vg-1-verstoss.ttl", focus="ex:auftrag-notstrom")
    assert {f.focus for f in report.findings} == {str(EXAMPLE["auftrag-notstrom"])}
    with pytest.raises(KooperationsgraphError):
        run("vg-1-verstoss.ttl", focus="nonsense")


def test_land_filter_keeps_nodes_seated_in_or_covering_the_area(tmp_path: Path) -> None:
    area = tmp_path / "gebiet.ttl"
    area.write_text(
        """@prefix kg: <https://w3id.org/kooperationsgraph/ontology#> .
@prefix ex: <https://w3id.org/kooperationsgraph/example/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:musterland a kg:Bundesland ; rdfs:label "Musterland (fiktiv)"@de ; kg:ars "99" .
ex:anderland a kg:Bundesland ; rdfs:label "Anderland (fiktiv)"@de ; kg:ars "98" .
ex:musterstadt kg:teilVon ex:musterland .
""",
        encoding="utf-8",
    )
    files = [EXAMPLES / "ds-1-verstoss.ttl", EXAMPLES / "ds-8-verstoss.ttl", area]
    inside = validate_files(files, SETTINGS, Options(today=DAY, land="ex:musterland"))
    assert {f.rule for f in inside.findings} == {"DS-1", "DS-8"}
    outside = validate_files(files, SETTINGS, Options(today=DAY, land="ex:anderland"))
    assert not outside.findings
    with pytest.raises(KooperationsgraphError):
        validate_files(files, SETTINGS, Options(today=DAY, land="5"))


def test_turtle_report_is_a_standard_enriched_validation_report() -> None:
    g = Graph().parse(data=run("ds-4-verstoss.ttl").to_turtle(), format="turtle")
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(report, SH.conforms) == Literal(False)
    results = list(g.objects(report, SH.result))
    assert len(results) == 1
    r = results[0]
    assert g.value(r, DCTERMS.identifier) == Literal("DS-4")
    assert g.value(r, SHAPES.norm) == URIRef("https://w3id.org/kooperationsgraph/id/norm/dsgvo-art-28-abs-3")
    assert g.value(r, SH.resultSeverity) == SH.Violation
    assert g.value(r, SH.sourceShape) == SHAPES["DS-4"]
    assert g.value(r, SH.resultMessage).language == "de"


def test_text_report_reads_like_a_letter() -> None:
    text = run("vg-1-verstoss.ttl", "kr-2-verstoss.ttl").to_text()
    assert text.index("Vergaberecht") < text.index("Kartellrecht")
    assert "Zusammenfassung: 2 Verstöße, 1 Warnung, 1 Hinweis zu 3 Regeln bei 3 Einträgen." in text
    assert "Rechtsgrundlage: § 106 GWB" in text and "Was zu tun ist:" in text
    assert "Hinweis, keine Rechtsberatung" in text
    assert "sh:" not in text and "http://www.w3.org/ns/shacl" not in text
    assert "sh:sourceConstraintComponent" in run("vg-1-verstoss.ttl").to_text(verbose=True)
    assert "indicative, not legal advice" in run("vg-1-verstoss.ttl", lang="en").to_text().lower()


def test_html_report_escapes_data() -> None:
    g = Graph().parse(EXAMPLES / "ds-1-verstoss.ttl")
    g.set(
        (
            EXAMPLE["lagebild-vertrag"],
            URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("<script>alert(1)</script>", lang="de"),
        )
    )
    html = validate(g, settings=SETTINGS, today=DAY).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_empty_data_conforms() -> None:
    report = validate(Graph(), settings=SETTINGS, today=DAY)
    assert report.conforms and not report.fails(strict=True)
    assert "Keine Befunde" in report.to_text()


def test_history_saves_reports_and_diffs_new_fixed_and_open(tmp_path: Path) -> None:
    from kooperationsgraph.store import open_store
    from kooperationsgraph.store.build import build

    settings = Settings(root=REPO, store_path=tmp_path / "store")
    build(settings, reason=False)
    backend = open_store(settings)
    first = run("ds-1-verstoss.ttl", "kr-1-verstoss.ttl")
    iri = history.save(backend, first)
    assert iri.startswith("https://w3id.org/kooperationsgraph/graph/report/")
    assert history.list_reports(backend) == [iri]
    assert {r.key() for r in history.load(backend, iri)} == {f.key() for f in first.findings}
    second = run("ds-1-konform.ttl", "kr-1-verstoss.ttl", "vg-6-verstoss.ttl")
    d = history.diff(backend, second)
    assert d.since == iri
    assert [f.rule for f in d.new] == ["VG-6"]
    assert [r.rule for r in d.fixed] == ["DS-1"]
    assert [f.rule for f in d.still_open] == ["KR-1"]
    history.save(backend, second)
    assert len(history.list_reports(backend)) == 2
    assert "neu: 1, behoben: 1, weiterhin offen: 1" in history.render_diff_text(d, "de")


def test_saved_reports_are_not_validated_as_data(tmp_path: Path) -> None:
    from kooperationsgraph.store import open_store
    from kooperationsgraph.store.build import build

    settings = Settings(root=REPO, store_path=tmp_path / "store")
    build(settings, reason=False)
    backend = open_store(settings)
    before = validate_store(backend, settings, Options(today=DAY, rules="ST"))
    history.save(backend, run("st-1-verstoss.ttl"))
    after = validate_store(backend, settings, Options(today=DAY, rules="ST"))
    assert {f.key() for f in before.findings} == {f.key() for f in after.findings}


def test_real_data_has_no_structural_violations(backend, settings: Settings) -> None:
    """CI gate: structural Violations in data/ fail; compliance findings are written to a file and printed."""
    report = validate_store(backend, settings, Options(today=DAY))
    out = REPO / "tests" / "artifacts" / "real-data-report.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report.to_text(), encoding="utf-8")
    print(report.to_text())
    structural = [f for f in report.findings if f.rule.startswith("ST-") and f.severity == "Violation"]
    assert not structural, "\n".join(f"{f.rule} {f.focusLabel}: {f.message}" for f in structural)


def _keys(report) -> list[tuple[str, str, str, str, str, str]]:
    return sorted((f.rule, f.severity, f.focus, f.path or "", f.value or "", f.message) for f in report.findings)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*-*.ttl")))
def test_fast_engine_gives_the_reference_results_on_every_example(name: str) -> None:
    """Differential test: the compiled fast path reports exactly what pySHACL reports."""
    ref = run(name, engine="pyshacl")
    fast = run(name, engine="fast")
    assert ref.engine == "pyshacl" and fast.engine == "fast"
    assert _keys(ref) == _keys(fast)


def test_fast_engine_gives_the_reference_results_on_a_synthetic_landscape(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    text, expected = generate(4000, seed=7)
    path = tmp_path / "landscape.ttl"
    path.write_text(text, encoding="utf-8")
    ref = validate_files([path], SETTINGS, Options(today=DAY, engine="pyshacl"))
    fast = validate_files([path], SETTINGS, Options(today=DAY, engine="fast"))
    assert _keys(ref) == _keys(fast)
    counts: dict[str, int] = {}
    for f in ref.findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    assert counts == {rule: n for rule, n in expected.items() if n}


def test_fast_engine_gives_the_reference_results_on_the_real_data(backend, settings: Settings) -> None:
    ref = validate_store(backend, settings, Options(today=DAY, engine="pyshacl"))
    fast = validate_store(backend, settings, Options(today=DAY, engine="fast"))
    assert _keys(ref) == _keys(fast)
