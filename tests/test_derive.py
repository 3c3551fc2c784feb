"""Semi-naive derivation (store/derive.py) against the naive schedule it replaced: every rule in every round,
each result checked against all graphs. Same derived graph, triple for triple, on the examples, the real
ontology and vocabularies, and a synthetic landscape; and fewer rule runs."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kooperationsgraph.config import Settings
from kooperationsgraph.namespaces import DERIVED_GRAPH
from kooperationsgraph.store.build import rule_files
from kooperationsgraph.store.derive import MAX_ROUNDS, analyse, derive, load_rules
from kooperationsgraph.validation.inputs import context_files, parse_file

REPO = Path(__file__).resolve().parents[1]
KG = "https://w3id.org/kooperationsgraph/ontology#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def naive(store: ox.Store, texts: list[str]) -> int:
    """The schedule before semi-naive evaluation (store/build.py up to issue 15)."""
    target = ox.NamedNode(DERIVED_GRAPH)
    total = 0
    for _ in range(MAX_ROUNDS):
        added = 0
        for text in texts:
            fresh: dict[tuple[object, object, object], ox.Quad] = {}
            for t in store.query(text, use_default_graph_as_union=True):  # type: ignore[union-attr]
                key = (t.subject, t.predicate, t.object)
                if key in fresh or next(iter(store.quads_for_pattern(*key, None)), None) is not None:
                    continue
                fresh[key] = ox.Quad(t.subject, t.predicate, t.object, target)
            store.extend(fresh.values())
            added += len(fresh)
        total += added
        if not added:
            break
    return total


def loaded(extra: list[Path]) -> ox.Store:
    store = ox.Store()
    for i, f in enumerate(context_files(Settings(root=REPO)) + extra):
        store.extend(parse_file(f, f"urn:test:graph:{i}"))
    return store


def derived(store: ox.Store) -> set[str]:
    return {str(q) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(DERIVED_GRAPH))}


def landscape(tmp_path: Path) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate  # type: ignore[import-not-found]

    text, _ = generate(20_000, 3)
    path = tmp_path / "landscape.ttl"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("which", ["examples", "landscape"])
def test_semi_naive_equals_naive(which: str, tmp_path: Path) -> None:
    files = sorted((REPO / "data" / "examples").glob("*.ttl")) if which == "examples" else [landscape(tmp_path)]
    paths = rule_files(Settings(root=REPO))
    a, b = loaded(files), loaded(files)
    trace: list[tuple[int, str, int]] = []
    n_semi = derive(a, load_rules(paths), trace=trace)
    n_naive = naive(b, [p.read_text() for p in paths])
    assert n_semi == n_naive > 0
    assert derived(a) == derived(b)
    assert len(trace) < 2 * len(paths)  # the naive schedule runs every rule at least twice


def test_reads_cover_exists_paths_and_types() -> None:
    rule = analyse("r", f"""PREFIX kg: <{KG}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        CONSTRUCT {{ ?a kg:x ?b }} WHERE {{ ?a a kg:K ; skos:broader+/kg:q ?b .
          OPTIONAL {{ ?a kg:o ?c FILTER NOT EXISTS {{ ?c kg:n ?d }} }} }}""")
    assert rule.reads == {(TYPE, KG + "K"), ("http://www.w3.org/2004/02/skos/core#broader", None), (KG + "q", None),
                          (KG + "o", None), (KG + "n", None)}
    assert rule.affected_by({(TYPE, None)}) and rule.affected_by({(KG + "n", None)})
    assert not rule.affected_by({(TYPE, KG + "Other"), (KG + "x", None)})


def test_a_variable_predicate_reads_everything() -> None:
    rule = analyse("v", f"PREFIX kg: <{KG}> CONSTRUCT {{ ?a kg:x ?b }} WHERE {{ ?a ?p ?b }}")
    assert rule.reads is None and rule.affected_by(set())


RDFS_SUB = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


def _hierarchy_store() -> ox.Store:
    """x a A, A ⊑ B ⊑ C, and y kg:q 1 (for a rule that types y as A)."""
    store = ox.Store()
    g = ox.NamedNode("urn:test:graph:h")
    kg = {n: ox.NamedNode(KG + n) for n in ("A", "B", "C", "q")}
    store.extend([
        ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode(TYPE), kg["A"], g),
        ox.Quad(kg["A"], ox.NamedNode(RDFS_SUB), kg["B"], g),
        ox.Quad(kg["B"], ox.NamedNode(RDFS_SUB), kg["C"], g),
        ox.Quad(ox.NamedNode("urn:y"), kg["q"], ox.Literal("1"), g),
    ])
    return store


def test_a_closed_rule_is_not_rerun_for_its_own_output() -> None:
    text = (REPO / "ontology" / "rules" / "rdfs-typen.rq").read_text()
    closed = analyse("rdfs-typen.rq", text)
    assert closed.closed
    plain = analyse("rdfs-typen-unmarked.rq", text.replace("# derive: closed under its own output\n", ""))
    assert not plain.closed
    traces: list[list[tuple[int, str, int]]] = [[], []]
    stores = [_hierarchy_store(), _hierarchy_store()]
    for store, rule, trace in zip(stores, [closed, plain], traces, strict=True):
        assert derive(store, [rule], trace=trace) == 2  # x a B, x a C
    assert derived(stores[0]) == derived(stores[1])
    assert [t[0] for t in traces[0]] == [0]  # one run
    assert [t[0] for t in traces[1]] == [0, 1]  # the unmarked rule re-runs on its own output, adding nothing
    assert traces[1][1][2] == 0


def test_a_closed_rule_still_reruns_when_another_rule_adds_its_input() -> None:
    typing = analyse("rdfs-typen.rq", (REPO / "ontology" / "rules" / "rdfs-typen.rq").read_text())
    later = analyse("z-typ.rq", f"PREFIX kg: <{KG}> CONSTRUCT {{ ?y a kg:A }} WHERE {{ ?y kg:q ?v }}")
    a, b = _hierarchy_store(), _hierarchy_store()
    trace: list[tuple[int, str, int]] = []
    assert derive(a, [typing, later], trace=trace) == naive(b, [typing.text, later.text]) == 5
    assert derived(a) == derived(b)
    assert (1, "rdfs-typen.rq", 2) in trace  # y a B, y a C in round two
