"""The embedded store: one named graph per input file, derived and inferred graphs, rebuilt only when an
input changed, and a failed build (malformed RDF) leaves the previous store untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import URIRef

from kooperationsgraph.config import Settings
from kooperationsgraph.errors import RDFSyntaxError
from kooperationsgraph.namespaces import DERIVED_GRAPH, GRAPH, KG
from kooperationsgraph.store import open_store
from kooperationsgraph.store.build import build

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def mini_root(tmp_path: Path) -> Path:
    """A tiny project: the real ontology and vocabularies plus one fictional cooperation."""
    root = tmp_path / "proj"
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "data" / "vokabular", root / "data" / "vokabular")
    (root / "data" / "kooperationen").mkdir(parents=True)
    (root / "data" / "kooperationen" / "mini.ttl").write_text(MINI, encoding="utf-8")
    return root


MINI = """@prefix kg: <https://w3id.org/kooperationsgraph/ontology#> .
@prefix ex: <https://w3id.org/kooperationsgraph/example/> .
@prefix sektor: <https://w3id.org/kooperationsgraph/id/sektor/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:k a kg:Allianz ; rdfs:label "Beispiel-Allianz (fiktiv)"@de .
ex:a a kg:Stadtwerk ; rdfs:label "Beispiel-Stadtwerk (fiktiv)"@de ; kg:sektor sektor:energie .
ex:b a kg:Krankenhaus ; rdfs:label "Beispiel-Klinikum (fiktiv)"@de ; kg:sektor sektor:krankenhaus .
ex:m1 a kg:Mitgliedschaft ; kg:mitglied ex:a ; kg:kooperation ex:k .
ex:m2 a kg:Mitgliedschaft ; kg:mitglied ex:b ; kg:kooperation ex:k .
"""


def test_one_named_graph_per_file_plus_derived(mini_root: Path) -> None:
    s = Settings(root=mini_root)
    rep = build(s, reason=False)
    assert rep.rebuilt
    b = open_store(s)
    graphs = b.named_graphs()
    assert GRAPH + "ontology/kooperationsgraph" in graphs
    assert GRAPH + "data/kooperationen/mini" in graphs
    derived = set(b.graph_triples(DERIVED_GRAPH))
    ex = "https://w3id.org/kooperationsgraph/example/"
    assert (URIRef(ex + "k"), KG.hatMitglied, URIRef(ex + "a")) in derived
    # members from energy and health: the rule derives an intersectoral cooperation
    assert (URIRef(ex + "k"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            KG.IntersektoraleKooperation) in derived
    # RDFS closure: an Allianz is a Kooperation without a reasoner
    assert b.query(f"ASK {{ <{ex}k> a <{KG.Kooperation}> }}").boolean


def test_rebuild_only_when_inputs_change(mini_root: Path) -> None:
    s = Settings(root=mini_root)
    assert build(s, reason=False).rebuilt
    assert not build(s, reason=False).rebuilt
    (mini_root / "data" / "kooperationen" / "mini.ttl").write_text(MINI + "\n# changed\n", encoding="utf-8")
    assert build(s, reason=False).rebuilt


def test_malformed_rdf_fails_with_position_and_keeps_the_old_store(mini_root: Path) -> None:
    s = Settings(root=mini_root)
    build(s, reason=False)
    version = (s.store_dir / "VERSION").read_text()
    (mini_root / "data" / "kooperationen" / "kaputt.ttl").write_text(
        '@prefix ex: <https://w3id.org/kooperationsgraph/example/> .\nex:a ex:b "offen ;\n', encoding="utf-8")
    with pytest.raises(RDFSyntaxError) as info:
        build(s, reason=False)
    assert info.value.source == "data/kooperationen/kaputt.ttl"
    assert info.value.line == 2
    assert (s.store_dir / "VERSION").read_text() == version
    assert open_store(s).query("ASK { ?s ?p ?o }").boolean


def test_writes_bump_the_version_and_replace_graphs_atomically(mini_root: Path) -> None:
    s = Settings(root=mini_root)
    build(s, reason=False)
    b = open_store(s)
    v0 = b.version()
    g = GRAPH + "test/extra"
    b.replace_graph(g, [(URIRef("urn:x"), URIRef("urn:p"), URIRef("urn:y"))])
    v1 = b.version()
    assert v1 != v0
    b.replace_graph(g, [(URIRef("urn:x"), URIRef("urn:p"), URIRef("urn:z"))])
    assert {t[2] for t in b.graph_triples(g)} == {URIRef("urn:z")}
    assert b.version() != v1
    b.drop_graph(g)
    assert g not in b.named_graphs()


def test_query_workers_started_by_a_short_lived_thread_survive_it(mini_root: Path) -> None:
    """Workers die with their parent (PR_SET_PDEATHSIG), and the kernel's parent is the starting *thread*: a pool
    first used by a thread that then ended lost its workers (signal 9) and the next query failed."""
    import threading

    from kooperationsgraph.store.pool import close_pools

    settings = Settings(root=mini_root, store_path=mini_root / "var" / "store")
    build(settings, reason=False)
    close_pools(settings.store_path)
    backend = open_store(settings)
    ask = "ASK { ?s ?p ?o }"
    t = threading.Thread(target=lambda: backend.query_serialized(ask, "application/sparql-results+json", lane="app"))
    t.start()
    t.join()
    for _ in range(3):  # the pool's workers were started while that thread lived
        kind, body = backend.query_serialized(ask, "application/sparql-results+json", lane="app")
        assert b"true" in body
    close_pools(settings.store_path)
