"""The build loads its inputs with the bulk loader and derives in memory (or, for inputs too big for memory, in
the on-disk store): both ways give the same store, the same repeats report and the same syntax errors."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kooperationsgraph.config import Settings
from kooperationsgraph.errors import RDFSyntaxError
from kooperationsgraph.store.build import build

RULE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?x a ?super } WHERE { ?x a ?c . ?c rdfs:subClassOf ?super }"""


def _repo(root: Path) -> None:
    (root / "ontology" / "rules").mkdir(parents=True)
    (root / "data" / "b").mkdir(parents=True)
    (root / "ontology" / "o.ttl").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<urn:x:C> rdfs:subClassOf <urn:x:D> .\n")
    (root / "ontology" / "rules" / "sub.rq").write_text(RULE)
    shared = "<urn:x:a> a <urn:x:C> .\n<urn:x:a> <urn:x:p> _:n .\n_:n <urn:x:q> \"1\" .\n"
    (root / "data" / "a.ttl").write_text(shared + "<urn:x:a> a <urn:x:D> .\n")
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    (root / "data" / "b" / "c.nt").write_text(shared.replace(" a ", f" {rdf_type} ") + f"<urn:x:c> {rdf_type} <urn:x:C> .\n")


def _content(path: Path) -> list[tuple[str, str, str, str]]:
    store = ox.Store.read_only(str(path))
    return sorted(("_" if isinstance(q.subject, ox.BlankNode) else str(q.subject), str(q.predicate),
                   "_" if isinstance(q.object, ox.BlankNode) else str(q.object), q.graph_name.value)
                  for q in store if not q.graph_name.value.endswith("meta"))


@pytest.mark.parametrize("in_memory", [True, False])
def test_repeats_are_kept_in_the_first_file_and_derived_once(tmp_path: Path, in_memory: bool) -> None:
    _repo(tmp_path / "repo")
    settings = Settings(root=tmp_path / "repo", store_path=tmp_path / "store")
    report = build(settings, reason=False, in_memory=in_memory)
    assert report.repeats == {"data/b/c.nt": {"data/a.ttl": 1}}  # the blank-node triples are per file
    assert report.derived == 1 and set(report.phases) == {"load", "derive", "write"}
    content = _content(tmp_path / "store")
    assert ("<urn:x:c>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<urn:x:D>",
            "https://w3id.org/kooperationsgraph/graph/derived") in content
    assert sum(1 for q in content if q[:3] == ("<urn:x:a>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
                                               "<urn:x:C>")) == 1
    assert sum(1 for q in content if q[1] == "<urn:x:q>") == 2
    assert report.graphs["https://w3id.org/kooperationsgraph/graph/data/b/c"] == 3


def test_both_ways_build_the_same_store(tmp_path: Path) -> None:
    _repo(tmp_path / "repo")
    for name, mem in (("m", True), ("d", False)):
        build(Settings(root=tmp_path / "repo", store_path=tmp_path / name), reason=False, in_memory=mem)
    assert _content(tmp_path / "m") == _content(tmp_path / "d")


@pytest.mark.parametrize("in_memory", [True, False])
def test_a_syntax_error_names_file_line_and_column_and_keeps_the_old_store(tmp_path: Path, in_memory: bool) -> None:
    _repo(tmp_path / "repo")
    settings = Settings(root=tmp_path / "repo", store_path=tmp_path / "store")
    build(settings, reason=False)
    before = _content(tmp_path / "store")
    (tmp_path / "repo" / "data" / "a.ttl").write_text("<urn:x:a> <urn:x:p> <urn:x:b> .\n<urn:x:a> <urn:x:p> \"1 .\n")
    with pytest.raises(RDFSyntaxError) as err:
        build(settings, reason=False, in_memory=in_memory)
    assert "data/a.ttl" in str(err.value) and err.value.line == 2
    assert _content(tmp_path / "store") == before
