"""The build of the README's first command (`make run`): ontology/ + data/ with the OWL reasoner. The session
store of the other tests is built without HermiT for speed, so this test is the one that runs the main job's
build as it is, and it failed once when a term typed ``rdf:Property`` reached owlready2."""

from __future__ import annotations

from pathlib import Path

import pytest

from kooperationsgraph.config import Settings
from kooperationsgraph.store.build import build

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("java")]
REPO = Path(__file__).resolve().parents[1]


def test_full_build_with_the_reasoner_is_consistent_and_infers(tmp_path: Path) -> None:
    report = build(Settings(root=REPO, store_path=tmp_path / "store"), reason=True)
    assert report.rebuilt and report.triples > 300_000
    assert report.inferred > 0, report.notes
    assert any(n.startswith("HermiT inferred") for n in report.notes), report.notes


def test_reasoner_input_gives_the_inferences_of_the_whole_derived_graph(tmp_path: Path) -> None:
    """reasoning.reasoner_input leaves out the derived quads about individuals the reasoned graphs do not name
    (the skipped municipalities and hospital sites): the same inferred types as with every derived quad."""
    import pyoxigraph as ox

    from kooperationsgraph.reasoning import SKIPPED_GRAPHS, reason, reasoner_input

    path = tmp_path / "store"
    build(Settings(root=REPO, store_path=path), reason=False)
    store = ox.Store.read_only(str(path))
    graphs = [g for g in store.named_graphs() if g.value not in SKIPPED_GRAPHS]
    scoped = reason(store)
    whole = reason(store, whole_derived=True)
    assert scoped.consistent and whole.consistent
    assert scoped.inferred and scoped.inferred == whole.inferred
    every = sum(1 for g in graphs for _ in store.quads_for_pattern(None, None, None, g))
    assert sum(1 for _ in reasoner_input(store, graphs)) < every // 2  # most derived quads are left out
