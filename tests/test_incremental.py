"""Differential test of incremental validation: for a change set, the results of the store before the change
with the affected focus nodes re-validated (``Mirror.assess``) must equal a full re-validation of the store
with the change applied — on the fictional examples (data/examples/) and on seeded random change sets. A
second test breaks the dependency index on purpose and shows the comparison catches it."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import REPO
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kooperationsgraph.config import Settings
from kooperationsgraph.namespaces import graph_iri_for
from kooperationsgraph.store.embedded import EmbeddedBackend
from kooperationsgraph.store.terms import to_rdflib
from kooperationsgraph.validation.depends import Pattern, ShapeDeps
from kooperationsgraph.validation.incremental import Mirror, Quad, result_key
from kooperationsgraph.validation.inputs import context_files, parse_file

SETTINGS = Settings(root=REPO)
EXAMPLES = REPO / "data" / "examples"
BASE_FILES = ["ds-1-konform.ttl", "vg-1-konform.ttl", "kr-1-verstoss.ttl", "st-3-verstoss.ttl", "ds-3-verstoss.ttl"]
CHANGE_FILES = ["vg-1-verstoss.ttl", "ds-2-verstoss.ttl", "kr-3-verstoss.ttl", "ds-1-verstoss.ttl",
                "st-5-verstoss.ttl", "vg-2-verstoss.ttl", "kr-2-konform.ttl", "ds-8-verstoss.ttl"]


def _context() -> list[ox.Quad]:
    out: list[ox.Quad] = []
    for f in context_files(SETTINGS):
        out += parse_file(f, graph_iri_for(f.relative_to(REPO).as_posix()))
    return out


CONTEXT = _context()


def _file_quads(name: str, graph: str) -> list[Quad]:
    path = EXAMPLES / name
    if not path.exists():
        return []
    return [(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph)  # type: ignore[misc]
            for q in parse_file(path, graph)]


def _base_data() -> list[Quad]:
    out: list[Quad] = []
    for name in BASE_FILES:
        out += _file_quads(name, graph_iri_for("examples/" + name))
    return out


def backend_with(data: list[Quad]) -> EmbeddedBackend:
    store = ox.Store()
    store.extend(CONTEXT)
    store.extend(ox.Quad(*(ox.NamedNode(str(t)) if isinstance(t, URIRef) else _ox(t) for t in q[:3]),  # type: ignore[misc]
                         ox.NamedNode(q[3])) for q in data)
    return EmbeddedBackend(SETTINGS, store=store, path=Path(tempfile.mkdtemp()))


def _ox(t):  # noqa: ANN001, ANN202
    from kooperationsgraph.store.terms import to_ox

    return to_ox(t)


def keys(results) -> set:  # noqa: ANN001
    return {result_key(r) for r in results}


def incremental_after(m: Mirror, before_full: list, added: list[Quad], removed: list[Quad]) -> set:
    a = m.assess(added, removed)
    kept = [r for r in before_full
            if str(r.shape) not in a.affected or (a.affected[str(r.shape)] is not None
                                                   and str(r.focus) not in a.affected[str(r.shape)])]
    return keys(kept) | keys(a.after)


def full_after(base: list[Quad], added: list[Quad], removed: list[Quad]) -> set:
    gone = set(removed)
    data = [q for q in base if q not in gone] + [q for q in added if q not in set(base)]
    return keys(Mirror.from_backend(backend_with(data), SETTINGS).full())


@pytest.fixture(scope="module")
def base() -> tuple[list[Quad], Mirror, list]:
    data = _base_data()
    m = Mirror.from_backend(backend_with(data), SETTINGS)
    return data, m, m.full()


def random_changes(data: list[Quad], seed: int, n: int) -> list[tuple[list[Quad], list[Quad]]]:
    """Seeded change sets: remove triples, add triples of another example, change an amount or a type."""
    rng = random.Random(seed)
    pool: list[Quad] = []
    for name in CHANGE_FILES:
        pool += _file_quads(name, graph_iri_for("examples/changed"))
    out = []
    for _ in range(n):
        removed = rng.sample(data, k=rng.randint(0, 3))
        added = rng.sample(pool, k=rng.randint(0, 4))
        if rng.random() < 0.5:
            amounts = [q for q in data if isinstance(q[2], Literal) and q[2].datatype == XSD.decimal]
            if amounts:
                q = rng.choice(amounts)
                removed.append(q)
                added.append((q[0], q[1], Literal(str(rng.choice([1000, 250_000, 431_999, 5_538_000, 9_000_000])),
                                                  datatype=XSD.decimal), q[3]))
        removed = list(dict.fromkeys(removed))
        added = [q for q in dict.fromkeys(added) if q not in set(removed)]
        out.append((added, removed))
    return out


@pytest.mark.parametrize("name", CHANGE_FILES)
def test_adding_an_example_equals_full_revalidation(base, name: str) -> None:
    data, m, before = base
    added = _file_quads(name, graph_iri_for("examples/changed"))
    assert added, name
    assert incremental_after(m, before, added, []) == full_after(data, added, [])
    assert keys(m.full()) == keys(before)  # the mirror is back as it was


@pytest.mark.parametrize("seed", range(10))
def test_random_change_sets_equal_full_revalidation(base, seed: int) -> None:
    data, m, before = base
    for added, removed in random_changes(data, seed, 3):
        assert incremental_after(m, before, added, removed) == full_after(data, added, removed), (seed, added, removed)


def test_a_wrong_index_is_caught(base) -> None:
    """An index that forgets what the shapes read re-validates nothing: the differential comparison fails on
    every change that alters results, while the real index passes the same cases."""
    data, m, before = base
    broken = {s: ShapeDeps(s, pattern=Pattern(predicates=set(), depth=0, local=True)) for s in m.index}
    wrong = Mirror(SETTINGS, m.store, m.version, m.book, index=broken)
    caught = 0
    for name in CHANGE_FILES:
        added = _file_quads(name, graph_iri_for("examples/changed"))
        full = full_after(data, added, [])
        if full == keys(before):
            continue  # this change alters no result: nothing to catch
        assert incremental_after(m, before, added, []) == full
        assert incremental_after(wrong, before, added, []) != full, name
        caught += 1
    assert caught >= 3


def test_the_index_names_targets_and_paths(base) -> None:
    _, m, _ = base
    vg1 = next(d for s, d in m.index.items() if s.endswith("#VG-1"))
    assert "https://w3id.org/kooperationsgraph/ontology#OeffentlicherAuftrag" in vg1.target_classes
    assert vg1.pattern.predicates and "https://w3id.org/kooperationsgraph/ontology#auftraggeber" in vg1.pattern.predicates
    st2 = next(d for s, d in m.index.items() if s.endswith("#ST-2"))
    assert st2.pattern.depth is None  # rdfs:subClassOf+ : unbounded


def test_only_the_rules_a_change_can_affect_run_again() -> None:
    from kooperationsgraph.validation.depends import rule_closure, rule_io

    rules = rule_io(sorted((REPO / "ontology" / "rules").glob("*.rq")))
    kg = "https://w3id.org/kooperationsgraph/ontology#"
    names = {Path(n).stem for n in rule_closure(rules, {kg + "partei"}) or []}
    assert names == {"wettbewerber-vereinbarung"}  # an agreement's party: only the agreement rule reads it
    assert {Path(n).stem for n in rule_closure(rules, {kg + "teilVon"}) or []} == {"liegt-in"}
    typed = {Path(n).stem for n in rule_closure(rules, {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}) or []}
    assert {"rdfs-typen", "intersektorale-kooperation", "vergabe-einordnung"} <= typed
    assert rule_closure([("any", None, {"x"})], {"y"}) == ["any"]
    assert rule_closure([("a", {"y"}, None)], {"y"}) is None  # writes anything: everything runs


def test_partial_rederivation_equals_derivation_from_scratch(base) -> None:
    """After a change the affected rules' derived triples are recomputed; a full recomputation from scratch must
    then find nothing to add or remove."""
    data, m, before = base
    kg = "https://w3id.org/kooperationsgraph/ontology#"
    agreements = [q for q in data if str(q[1]) == kg + "partei"]
    assert agreements
    party = [(agreements[0][0], URIRef(kg + "partei"), agreements[-1][2], agreements[0][3])]
    cases = [(party, []), ([], agreements[:1])] + random_changes(data, 7, 4)
    cases += [(_file_quads(n, graph_iri_for("examples/changed")), []) for n in CHANGE_FILES[:3]]
    for added, removed in cases:
        with m.lock:
            plus, minus = m.apply(added, removed)
            try:
                assert m.rederive() == (set(), set()), (added, removed)
            finally:
                m.revert(plus, minus)
    assert keys(m.full()) == keys(before)
