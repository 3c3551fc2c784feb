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
