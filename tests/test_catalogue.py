"""Every catalogue query: a complete header, declared parameters that the query uses, and hand-verified
expected rows — on the shipped data, or (for agreement facts the real data does not record yet) on a store
built from fictional examples. Each expectation names where it can be checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kooperationsgraph.catalogue import Catalogue
from kooperationsgraph.config import Settings
from kooperationsgraph.errors import InvalidParameter, QueryNotFound
from kooperationsgraph.store import open_store
from kooperationsgraph.store.build import build

REPO = Path(__file__).resolve().parents[1]
CAT = Catalogue.load(REPO / "queries")
ID = "https://w3id.org/kooperationsgraph/id/"
EX = "https://w3id.org/kooperationsgraph/example/"


def rows(backend, qid: str, **params: str) -> list[tuple[str, ...]]:
    res = backend.query(CAT.get(qid).render(params))
    return [tuple("" if t is None else str(t) for t in row) for row in res.rows]


def test_catalogue_has_at_least_twenty_documented_queries() -> None:
    assert len(CAT) >= 20
    for q in CAT:
        assert q.title["de"] and q.title["en"] and q.description["de"] and q.description["en"], q.id
        assert q.view in {"table", "bar", "network", "map"}
        assert q.path.stem == q.id
        for p in q.params:
            assert f"?{p.name}" in q.text, (q.id, p.name)
            assert p.default is not None


@pytest.mark.parametrize("qid", sorted(CAT.queries))
def test_every_query_runs_on_the_shipped_data(backend, qid: str) -> None:
    res = backend.query(CAT.get(qid).render())
    assert res.kind == "select"


def test_parameters_are_validated_not_pasted(backend) -> None:
    q = CAT.get("mitglieder-einer-kooperation")
    with pytest.raises(InvalidParameter):
        q.render({"kooperation": "x> } ; DROP ALL ; <y"})
    with pytest.raises(InvalidParameter):
        q.render({"unbekannt": "1"})
    with pytest.raises(InvalidParameter):
        CAT.get("schwellenwerte-zum-datum").render({"datum": "gestern"})
    with pytest.raises(QueryNotFound):
        CAT.get("gibt-es-nicht")


# --- hand-verified rows on the shipped data ------------------------------------------------------------
def test_members_of_kombiverkehr(backend) -> None:
    """Kombiverkehr KG: DB Cargo holds 50 % (verkehrsrundschau.de, 2024; domain-research.md § 3)."""
    r = rows(backend, "mitglieder-einer-kooperation", kooperation="koop:kombiverkehr")
    assert any(row[0] == ID + "akteur/db-cargo" and row[2] == "Gesellschafter" and float(row[3]) == 50 for row in r)


def test_trianel_is_led_by_stawag(backend) -> None:
    """Trianel: STAWAG (Stadtwerke Aachen) is the founding lead member since 1999 (wz.de, aachener-zeitung.de)."""
    r = rows(backend, "mitglieder-einer-kooperation")
    assert any(row[0] == ID + "akteur/stawag" and row[2] == "federführend" and row[4] == "1999" for row in r)


def test_energy_sector_lists_trianel_with_stawag(backend) -> None:
    r = rows(backend, "kooperationen-eines-sektors", sektor="sektor:energie")
    assert (ID + "kooperation/trianel", ID + "akteur/stawag") in {(row[0], row[2]) for row in r}
    r = rows(backend, "kooperationen-eines-sektors", sektor="sektor:logistik")
    assert (ID + "kooperation/kombiverkehr", ID + "akteur/db-cargo") in {(row[0], row[2]) for row in r}


def test_federal_levels_carry_the_seed_competences(backend) -> None:
    """Seed table (section 4): Bund – energy legislation; Länder – culture and education; Kommunen – Daseinsvorsorge."""
    r = {row[1]: row[2] for row in rows(backend, "kooperationen-pro-ebene")}
    assert r["Bund"] == "Gesetzgebung im Energiesektor"
    assert r["Land"] == "Kultur- und Bildungspolitik"
    assert r["Kommune"].startswith("Öffentliche Daseinsvorsorge")


def test_hurdles_and_recommendations(backend) -> None:
    """Seed sections 5/6: trust is addressed by transparency; 5 hurdles in total."""
    r = rows(backend, "huerden-und-empfehlungen")
    assert ("Fehlendes Vertrauen", "Transparenz und Vertrauen") in {(row[1], row[3]) for row in r}
    assert len({row[0] for row in r}) == 5


def test_seed_goals_and_outcomes_for_energy(backend) -> None:
    """Seed table row Energie: Sicherung gemeinsamer Ressourcen und Netze → reduzierte Versorgungsrisiken."""
    r = {row[0]: row for row in rows(backend, "ziele-und-ergebnisse")}
    assert "Sicherung gemeinsamer Ressourcen" in r["Energie"][1]
    assert "Reduzierte Versorgungsrisiken" in r["Energie"][2]


def test_bfarm_advisory_board_is_a_coordination_body(backend) -> None:
    """Beirat nach § 52b Abs. 3b AMG, chaired by the BfArM (bfarm.de minutes; domain-research.md § 2.4)."""
    r = {row[0]: row for row in rows(backend, "koordinierungsstellen")}
    beirat = r[ID + "kooperation/bfarm-beirat-lieferengpaesse"]
    assert beirat[4].startswith("§ 52b") and int(beirat[5]) >= 19


def test_intersectoral_and_bridging(backend) -> None:
    inter = {row[0] for row in rows(backend, "intersektorale-allianzen")}
    assert ID + "kooperation/bfarm-beirat-lieferengpaesse" in inter
    bridges = {row[0]: int(row[2]) for row in rows(backend, "brueckenakteure")}
    assert bridges[ID + "akteur/bmwe"] >= 2


def test_counts_by_land_and_sector(backend) -> None:
    by_land = {row[1]: int(row[3]) for row in rows(backend, "kooperationen-pro-land")}
    assert len(by_land) == 16
    assert by_land["05"] == max(by_land.values())  # NRW: Trianel (Aachen), THE (Ratingen), ASEW (Köln) …
    in_bayern = {row[0] for row in rows(backend, "kooperationen-in-land", land="land:09")}
    assert ID + "kooperation/ernaehrungsnotfallvorsorge-bayern" in in_bayern
    sectors = {row[1]: int(row[2]) for row in rows(backend, "kooperationen-pro-sektor")}
    assert sectors["Energie"] >= 16 and sectors["Gesundheitswesen"] >= 19


def test_founding_years_and_goods_and_network(backend) -> None:
    years = dict(rows(backend, "gruendungen-pro-jahr"))
    assert int(years["1999"]) >= 1 and int(years["1867"]) >= 1  # Trianel 1999, Thüga 1867 (Gotha)
    goods = {row[1] for row in rows(backend, "kooperationen-nach-gut")}
    assert {"Strom", "Gas"} <= goods
    edges = {(row[0], row[2]) for row in rows(backend, "netzwerk-akteure-kooperationen")}
    assert (ID + "akteur/stawag", ID + "kooperation/trianel") in edges
    top = {row[0] for row in rows(backend, "akteure-meiste-kooperationen")}
    assert ID + "akteur/bmg" in top


def test_rules_cite_their_norms(backend) -> None:
    r = {(row[0], row[2]) for row in rows(backend, "normen-der-regeln")}
    assert ("DS-4", "Art. 28 Abs. 3 DSGVO") in r
    assert ("VG-1", "§ 106 GWB") in r


def test_thresholds_depend_on_the_date(backend) -> None:
    """Delegated Reg. (EU) 2025/2152: €216,000 sub-central from 2026; 2023/2495: €221,000 in 2024–25."""
    assert "216000" in {row[2] for row in rows(backend, "schwellenwerte-zum-datum", datum="2026-03-01")}
    r = {row[2] for row in rows(backend, "schwellenwerte-zum-datum", datum="2025-06-01")}
    assert "221000" in r and "216000" not in r


# --- agreement facts: fictional examples ---------------------------------------------------------------
@pytest.fixture(scope="module")
def examples_backend(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("ex") / "proj"
    shutil.copytree(REPO / "ontology", root / "ontology")
    for d in ("vokabular", "recht"):
        shutil.copytree(REPO / "data" / d, root / "data" / d)
    (root / "data" / "beispiele").mkdir()
    for f in ("vg-1-verstoss", "vg-4-verstoss", "kr-2-verstoss", "ds-3-verstoss", "st-11-verstoss"):
        shutil.copy(REPO / "data" / "examples" / f"{f}.ttl", root / "data" / "beispiele" / f"{f}.ttl")
    s = Settings(root=root, store_path=root / "store")
    build(s, reason=False)
    return open_store(s)


def test_personal_data_agreements(examples_backend) -> None:
    """ds-3-verstoss.ttl: health-data reporting agreement with only Art. 6 (1) (e) as basis."""
    assert rows(examples_backend, "personenbezogene-daten") == [
        (EX + "meldevertrag-infektionen", "Vertrag Meldung schwerer Infektionsverläufe (fiktiv)", "true", "A6-1-e")]


def test_contracts_above_threshold(examples_backend) -> None:
    """vg-1-verstoss.ttl: 450,000 € by a Stadtwerk (utilities, 432,000 €) and 310,000 € by a town (216,000 €);
    vg-4-verstoss.ttl: two public-public cooperations above 216,000 € relying on § 108 (6) GWB."""
    r = {(row[0], row[3], row[5] != "") for row in rows(examples_backend, "auftraege-ueber-schwellenwert")}
    assert r == {(EX + "auftrag-netztechnik", "432000", False), (EX + "auftrag-notstrom", "216000", False),
                 (EX + "zusammenarbeit-leitstelle", "216000", True), (EX + "zusammenarbeit-lager", "216000", True)}


def test_public_public_cooperations(examples_backend) -> None:
    r = {(row[0], row[3]) for row in rows(examples_backend, "oeffentlich-oeffentliche-zusammenarbeit")}
    assert r == {(EX + "zusammenarbeit-leitstelle", "5"), (EX + "zusammenarbeit-lager", "")}


def test_competitor_agreements_with_market_shares(examples_backend) -> None:
    """kr-2-verstoss.ttl: joint purchasing of two retailers, 18.5 % of the purchasing market."""
    assert rows(examples_backend, "wettbewerber-kooperationen") == [
        (EX + "einkaufsvertrag-konserven", "Vertrag gemeinsamer Einkauf von Konserven (fiktiv)", "Einkaufskooperation",
         "", "18.5", "9")]


def test_overdue_crisis_protocols(examples_backend) -> None:
    """st-11-verstoss.ttl: last review 2024-09-01, interval 12 months → 26 months on 2026-11-28."""
    assert rows(examples_backend, "krisenprotokolle-ueberfaellig") == [
        (EX + "krisenprotokoll-strom", "Krisenprotokoll Stromausfall (fiktiv)", "2024-09-01", "12", "26")]
