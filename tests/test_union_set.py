"""The default graph of /sparql is the union of the named graphs, and it is a set: a triple asserted in two files,
or derived or inferred again, is stored in one graph only, so every COUNT(*) counts it once. The build report
says which files repeat triples of an earlier file."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from kooperationsgraph.config import Settings
from kooperationsgraph.store.build import BUILD_INFO, build

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_DISTINCT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def count(client, query: str) -> int:
    resp = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return int(resp.get_json()["results"]["bindings"][0]["n"]["value"])


def test_sparql_counts_each_triple_of_the_shipped_data_once(client) -> None:
    total, distinct = count(client, COUNT_ALL), count(client, COUNT_DISTINCT)
    assert total == distinct and total > 100_000


def _tiny_repo(root: Path) -> None:
    (root / "ontology").mkdir(parents=True)
    (root / "data" / "b").mkdir(parents=True)
    shared = "<urn:x:q> <http://www.w3.org/2000/01/rdf-schema#label> \"Quelle\"@de .\n"
    (root / "ontology" / "o.nt").write_text("<urn:x:C> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                                            "<http://www.w3.org/2002/07/owl#Class> .\n")
    (root / "data" / "a.nt").write_text(shared + "<urn:x:a> <urn:x:p> <urn:x:b> .\n")
    (root / "data" / "b" / "c.nt").write_text(shared + "<urn:x:a> <urn:x:p> <urn:x:b> .\n<urn:x:c> <urn:x:p> <urn:x:d> .\n")


def test_a_triple_in_two_files_is_kept_in_the_first_and_reported(tmp_path: Path) -> None:
    _tiny_repo(tmp_path / "repo")

    def reasoner(_s: Settings, _store: ox.Store) -> tuple[list[ox.Quad], list[str]]:  # repeats an asserted triple
        g = ox.DefaultGraph()
        return [ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:b"), g),
                ox.Quad(ox.NamedNode("urn:x:c"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:e"), g)], []

    settings = Settings(root=tmp_path / "repo", store_path=tmp_path / "store")
    report = build(settings, reason=True, reasoner=reasoner)
    assert report.repeats == {"data/b/c.nt": {"data/a.nt": 2}} and report.inferred == 1
    assert json.loads((tmp_path / "store" / BUILD_INFO).read_text())["repeats"] == report.repeats
    store = ox.Store.read_only(str(tmp_path / "store"))
    total = next(iter(store.query(COUNT_ALL, use_default_graph_as_union=True)))[0]
    distinct = next(iter(store.query(COUNT_DISTINCT, use_default_graph_as_union=True)))[0]
    assert total.value == distinct.value
    graphs = {q.graph_name.value for q in store.quads_for_pattern(ox.NamedNode("urn:x:a"), None, None, None)}
    assert len(graphs) == 1 and graphs.pop().endswith("data/a")
