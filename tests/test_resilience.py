"""Resilience analysis: converters, planted single points of failure, dominators = naive baseline, real
scenarios with hand-checked figures (Destatis GV-ISys and Krankenhausverzeichnis, 31.12.2021), CLI and RDF."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, URIRef

from kooperationsgraph.cli import main
from kooperationsgraph.namespaces import KG, PREFIXES
from kooperationsgraph.resilience import load_supply
from kooperationsgraph.resilience.dominators import dominator_sweep, naive_sweep
from kooperationsgraph.resilience.network import SOURCE, GoodGraph, build_graphs
from kooperationsgraph.resilience.resolve import UnknownName, resolve_good, resolve_node
from kooperationsgraph.resilience.whatif import what_if

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

GUT = PREFIXES["gut"]
STROM, KH, NF = GUT + "strom", GUT + "krankenhausversorgung", GUT + "notfallversorgung"
SW_LUEBECK = PREFIXES["akteur"] + "stadtwerke-luebeck-gmbh"
SANA_LUEBECK = PREFIXES["akteur"] + "sana-kliniken-luebeck"
LUEBECK_GEMEINDE, LUEBECK_KREIS = PREFIXES["gemeinde"] + "010030000000", PREFIXES["kreis"] + "01003"
WUERZBURG_LK = PREFIXES["kreis"] + "09679"
OCHSENFURT = "https://w3id.org/kooperationsgraph/id/betreiber/main-klinik-ochsenfurt-ggmbh"


@pytest.fixture(scope="module")
def data(backend):
    return load_supply(backend)


@pytest.fixture(scope="module")
def graphs(data):
    return build_graphs(data)


# ---------------------------------------------------------------------------------------------- converters
def test_hospital_directory_has_every_site_and_bed(backend):
    sites = int(backend.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Krankenhausstandort }").rows[0][0])
    beds = backend.query("PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#> "
                         "SELECT (SUM(?b) AS ?n) WHERE { ?s a kg:Krankenhausstandort ; kg:betten ?b }")
    assert sites == 2769
    assert int(beds.rows[0][0]) == 484_534  # SOURCES.md: beds in total


def test_population_adds_up_to_the_official_total(backend, data):
    res = backend.query("PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#> "
                        "SELECT ?n WHERE { ?s kg:gebiet <https://w3id.org/kooperationsgraph/id/staat/de> ; "
                        "kg:einwohner ?n }")
    assert [int(r[0]) for r in res.rows] == [83_237_124]
    assert sum(a.population for a in data.areas.values() if a.is_leaf) == 83_237_124
    kreise = [a for a in data.areas.values() if a.level == "kreis"]
    assert len(kreise) == 400  # Eisenach (16056) merged into the Wartburgkreis
    assert sum(a.population for a in kreise) == 83_237_124


def test_code_changes_of_2021_are_applied(data):
    eisenach = data.areas[PREFIXES["gemeinde"] + "160560000000"]
    assert eisenach.population == 41_806 and eisenach.parent == PREFIXES["kreis"] + "16063"
    assert data.areas[PREFIXES["gemeinde"] + "031530007007"].population == 14_990  # Langelsheim incl. 3 merged
    for merged in ("031535401006", "031535401009", "031535401014"):
        assert PREFIXES["gemeinde"] + merged not in data.areas


@pytest.mark.parametrize("tool,out", [("import_krankenhausverzeichnis.py", "versorgung/krankenhaeuser.ttl"),
                                      ("import_destatis_gv.py", "statistik")])
def test_converters_reproduce_the_shipped_files(tmp_path, tool, out):
    target = tmp_path / Path(out).name
    subprocess.run([sys.executable, str(REPO / "tools" / tool), "--out", str(target)], check=True,
                   capture_output=True)
    shipped = REPO / "data" / out
    pairs = [(target, shipped)] if shipped.is_file() else [(target / p.name, p) for p in shipped.glob("*.ttl")]
    assert pairs
    for new, old in pairs:
        assert new.read_text(encoding="utf-8") == old.read_text(encoding="utf-8"), old.name


# ---------------------------------------------------------------------------------------------- algorithms
def random_good_graph(seed: int, n: int = 40) -> GoodGraph:
    """A random supply graph with cycles: suppliers 0…n-1, leaves L0…L(n/2)."""
    rnd = random.Random(seed)
    g = nx.DiGraph()
    nodes = [f"s{i}" for i in range(n)]
    leaves = {f"L{i}": rnd.randint(1, 1000) for i in range(n // 2)}
    for v in nodes[3:]:
        for u in rnd.sample(nodes, rnd.choice([1, 1, 2, 3])):
            if u != v:
                g.add_edge(u, v)
    for leaf in leaves:
        for u in rnd.sample(nodes, rnd.choice([1, 2])):
            g.add_edge(u, leaf)
    g.add_node(SOURCE)
    for r in nodes[:3]:
        g.add_edge(SOURCE, r)
    targets = {v for v in nodes[3:] if rnd.random() < 0.3}
    return GoodGraph("urn:test:good", g, leaves, set(leaves), targets)


@pytest.mark.parametrize("seed", range(12))
def test_dominator_sweep_equals_naive_baseline(seed):
    gg = random_good_graph(seed)
    dom = dominator_sweep(gg)
    assert dom == naive_sweep(gg)
    assert dom  # the random graphs do have single points of failure


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_single_points_of_failure_are_found_exactly(seed):
    from generate import landscape
    from resilience import load_store

    from kooperationsgraph.config import Settings
    from kooperationsgraph.store.embedded import EmbeddedBackend

    land = landscape(20_000, seed, supply=True)
    store = load_store("".join(land.w.lines))
    data = load_supply(EmbeddedBackend(Settings(root=REPO), store=store, path=Path("/nonexistent")))
    graphs = build_graphs(data)
    assert set(graphs) == set(land.planted)
    for good, gg in graphs.items():
        found = sorted(dominator_sweep(gg))
        assert found == land.planted[good], good
        assert any("alleinerzeuger" in x for x in found) and any("knoten" in x for x in found)


def test_removal_of_several_nodes_only_loses_what_no_one_else_supplies():
    gg = random_good_graph(5)
    from kooperationsgraph.resilience.network import reachable

    base = reachable(gg.graph)
    for v, loss in dominator_sweep(gg).items():
        after = reachable(gg.graph, {v})
        assert loss.leaves == len([x for x in gg.leaves if x in base and x not in after])


# ---------------------------------------------------------------------------------------------- real data
def test_stadtwerk_failure_cascades_to_hospitals_bridged_by_emergency_power(data, graphs):
    """Stadtwerke Lübeck fail. Figures checked by hand against the Destatis files: Lübeck 216,277 people
    (GV-ISys 31.12.2021); 15 hospital sites in Kreis 01003, 13 with beds (1,979), 3 in emergency care."""
    res = what_if(data, [SW_LUEBECK], graphs)
    strom = res.first[STROM]
    assert strom.lost_people == 216_277
    assert [(a.area, a.derived) for a in strom.lost_areas] == [(LUEBECK_GEMEINDE, True)]
    assert SANA_LUEBECK in strom.lost_actors  # stated: the CHP plant the Stadtwerke run for the hospital
    assert KH not in res.second  # emergency power bridges: nothing lost in the second order …
    assert res.risk[KH].lost_people == 216_277  # … but at risk once the 24 hours run out
    knocked = [k for k in res.knocks if k.good == KH]
    assert len(knocked) == 13 and {k.backup.hours for k in knocked if k.backup} == {24.0}
    assert len([k for k in res.knocks if k.good == NF]) == 3
    (lue,) = res.hospitals
    assert (lue.kreis, lue.people, lue.beds_before, lue.sites_at_risk, lue.sites_lost) == (
        LUEBECK_KREIS, 216_277, 1979, 13, 0)
    assert [(c.remaining, c.below) for c in res.cooperations] == [(1, True)]
    assert not res.above_threshold(strom.lost_people)


def test_operator_failure_leaves_a_kreis_without_hospital_and_emergency_care(data, graphs):
    """Main-Klinik Ochsenfurt runs the only hospital site of the Landkreis Würzburg (140 beds, emergency
    level 1; 163,534 people): checked by hand in the Krankenhausverzeichnis and GV-ISys files."""
    res = what_if(data, [OCHSENFURT], graphs)
    assert [(a.area, a.people) for a in res.first[KH].lost_areas] == [(WUERZBURG_LK, 163_534)]
    assert res.first[NF].lost_people == 163_534
    (wue,) = res.hospitals
    assert wue.loses_all_emergency and wue.beds_before == 140 and wue.beds_after == 0
    assert round(wue.per_1000_before, 3) == 0.856


def test_cooperation_as_basis_of_a_supply_relation(data, graphs):
    koop = PREFIXES["koop"] + "sana-kliniken-luebeck-stadtwerke-luebeck"
    res = what_if(data, [koop], graphs)
    assert res.first[STROM].lost_actors == [SANA_LUEBECK]
    assert res.first[STROM].lost_people == 0  # the Stadtwerke still supply Lübeck


def test_spof_ranking_uses_the_dominator_tree(data, graphs):
    from kooperationsgraph.resilience.spof import spof

    ranked = spof(data, graphs, KH)[KH]
    losses = dict(ranked)
    assert losses[OCHSENFURT].people == 163_534
    assert [loss.people for _, loss in ranked] == sorted((loss.people for _, loss in ranked), reverse=True)
    in_land = spof(data, graphs, KH, land="09")[KH]
    assert OCHSENFURT in dict(in_land)
    assert all(loss.people <= losses[n].people for n, loss in in_land)
    assert len(in_land) < len(ranked)  # operators elsewhere cost Bavaria no one
    assert dominator_sweep(graphs[KH]) == naive_sweep(graphs[KH])


def test_names_resolve_to_iris(data):
    assert resolve_node(data, "Stadtwerke Lübeck GmbH") == SW_LUEBECK
    assert resolve_node(data, "akteur:stadtwerke-luebeck-gmbh") == SW_LUEBECK
    assert resolve_good(data, "strom") == STROM and resolve_good(data, "Electricity") == STROM
    with pytest.raises(UnknownName, match="ambiguous"):
        resolve_node(data, "Stadtwerke")
    with pytest.raises(UnknownName):
        resolve_good(data, "Mondstaub")


# ---------------------------------------------------------------------------------------------- CLI, RDF
def test_cli_whatif_json_and_turtle(settings, capsys):
    assert main(["--store", str(settings.store_dir), "whatif", "Stadtwerke Lübeck GmbH", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (first,) = [x for x in out["first_order"] if x["good"] == STROM]
    assert first["people_lost"] == 216_277 and first["areas_lost"][0]["derived"] is True
    assert out["at_risk"][0]["hours"] == [24.0]
    assert main(["--store", str(settings.store_dir), "whatif", SW_LUEBECK, "--good", "strom",
                 "--format", "turtle"]) == 0
    g = Graph().parse(data=capsys.readouterr().out, format="turtle")
    prov = "http://www.w3.org/ns/prov#"
    (run,) = list(g.subjects(URIRef(str(KG) + "entfernt"), URIRef(SW_LUEBECK)))
    assert (run, URIRef(prov + "startedAtTime"), None) in g and (run, KG.datenstand, None) in g
    assert len(list(g.subjects(URIRef(prov + "wasGeneratedBy"), run))) >= 2


def test_cli_spof_text(settings, capsys):
    assert main(["--store", str(settings.store_dir), "spof", "--good", "krankenhausversorgung", "--land", "09",
                 "--limit", "200", "--brokers", "0"]) == 0
    out = capsys.readouterr().out
    assert "Main-Klinik Ochsenfurt gGmbH" in out and "163.534" in out


def test_cli_reports_unknown_names(settings, capsys):
    assert main(["--store", str(settings.store_dir), "whatif", "Gibt es nicht GmbH"]) == 2
    assert "nothing named" in capsys.readouterr().err


def test_catalogue_beds_per_kreis(backend):
    from kooperationsgraph.catalogue import Catalogue

    q = Catalogue.load(REPO / "queries").get("krankenhausbetten-je-kreis")
    rows = {str(r["kreis"]): r for r in backend.query(q.render()).dicts()}
    assert len(rows) == 400
    assert sum(int(r["betten"]) for r in rows.values()) == 484_534
    lue = rows[LUEBECK_KREIS]
    assert (int(lue["betten"]), float(lue["bettenJe1000"]), int(lue["notfallstandorte"])) == (1979, 9.15, 3)
    without = sorted(k.rsplit("/", 1)[-1] for k, r in rows.items() if int(r["betten"]) == 0)
    assert without == ["07338", "09573"]  # Rhein-Pfalz-Kreis, Landkreis Fürth (SOURCES.md)


def test_saved_findings_are_queryable_with_the_catalogue(data, graphs, tmp_path):
    import pyoxigraph as ox

    from kooperationsgraph.catalogue import Catalogue
    from kooperationsgraph.config import Settings
    from kooperationsgraph.resilience.rdf import whatif_graph
    from kooperationsgraph.store.embedded import EmbeddedBackend

    iri, g = whatif_graph(data, what_if(data, [SW_LUEBECK], graphs))
    mem = EmbeddedBackend(Settings(root=REPO), store=ox.Store(), path=tmp_path)
    mem.replace_graph(iri, list(g))
    q = Catalogue.load(REPO / "queries").get("ausfallbefunde")
    rows = mem.query(q.render()).dicts()
    assert {str(r["graph"]) for r in rows} == {iri}
    strom = [r for r in rows if str(r["gut"]) == STROM and str(r["betroffen"]) == LUEBECK_GEMEINDE]
    assert [(int(r["personen"]), int(r["ordnung"]), str(r["verlustart"])) for r in strom] == [
        (216_277, 1, str(KG.VerlustVollstaendig))]
    risk = [r for r in rows if str(r["verlustart"]) == str(KG.VerlustGefaehrdet)]
    assert {str(r["betroffen"]) for r in risk} == {LUEBECK_KREIS}
