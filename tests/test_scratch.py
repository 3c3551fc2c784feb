"""Whole-store validation on a hard-linked scratch copy (store/scratch.py) instead of a copy in memory: the same
findings, the store itself unchanged (the set-aside values, the reference date and the emptied shapes and meta
graphs exist only in the scratch copy), and the copy removed afterwards."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from kooperationsgraph.config import Settings
from kooperationsgraph.namespaces import GRAPH, META_GRAPH
from kooperationsgraph.store.embedded import VERSION_FILE, EmbeddedBackend, forget_store
from kooperationsgraph.store.scratch import _link_copy, scratch_copy
from kooperationsgraph.validation import Options, validate_store

DAY = date(2026, 11, 28)
REPO = Path(__file__).resolve().parents[1]
EXAMPLE_GRAPH = GRAPH + "test/st-12-verstoss"


def keys(report) -> list[tuple[str, ...]]:
    return sorted((f.rule, f.focus, f.path or "", f.value or "", f.message) for f in report.findings)


def everything(store: ox.Store) -> set[str]:
    return {str(q) for q in store.quads_for_pattern(None, None, None, None)}


@pytest.fixture()
def own_store(backend, settings: Settings, tmp_path: Path):
    """A copy of the session's store with an example holding ill-formed values (rule ST-12) in a data graph."""
    path = tmp_path / "store"
    backend.store.backup(str(path))
    (path / VERSION_FILE).write_text("test+0\n")
    store = ox.Store(str(path))
    store.bulk_load(path=str(REPO / "data" / "examples" / "st-12-verstoss.ttl"), format=ox.RdfFormat.TURTLE,
                    to_graph=ox.NamedNode(EXAMPLE_GRAPH))
    store.flush()
    del store
    own = settings.with_(store_path=path)
    b = EmbeddedBackend(own)
    yield b, own
    b.close()
    forget_store(path)


def test_scratch_validation_gives_the_findings_of_the_memory_copy(own_store) -> None:
    b, own = own_store
    before = everything(b.store)
    in_memory = validate_store(b, own.with_(validate_in_memory_max_mb=10_000), Options(today=DAY))
    on_disk = validate_store(b, own.with_(validate_in_memory_max_mb=0), Options(today=DAY))
    assert any(f.rule == "ST-12" for f in on_disk.findings)  # the set-aside ran on the scratch copy
    assert in_memory.findings and keys(on_disk) == keys(in_memory)
    assert on_disk.sources == in_memory.sources
    after = everything(b.store)
    assert after == before  # the ill-formed values, shapes and meta graphs are all still in the store
    assert any(META_GRAPH in q for q in after)
    assert not any(p.exists() for p in b.path.with_name(b.path.name + ".scratch").iterdir())


def test_scratch_copy_is_made_only_above_the_size_and_for_an_on_disk_store(own_store) -> None:
    b, _ = own_store
    with scratch_copy(b, above_bytes=10**15) as none:
        assert none is None
    with scratch_copy(EmbeddedBackend(Settings(root=REPO), store=ox.Store())) as none:
        assert none is None  # an in-memory store given by a caller has no files to link
    with scratch_copy(b) as copy:
        assert copy is not None and len(copy) == len(b.store)
        copy.clear()
        assert len(b.store) > 0


def test_link_copy_of_a_checkpoint_is_independent(tmp_path: Path) -> None:
    """The read-only case (a server holds the store): a published checkpoint linked, then written."""
    live = ox.Store(str(tmp_path / "live"))
    a = ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.Literal("1"), ox.NamedNode("urn:x:g"))
    b = ox.Quad(ox.NamedNode("urn:x:b"), ox.NamedNode("urn:x:p"), ox.Literal("2"), ox.NamedNode("urn:x:g"))
    live.add(a)
    live.flush()
    live.backup(str(tmp_path / "checkpoint"))
    _link_copy(tmp_path / "checkpoint", tmp_path / "scratch")
    scratch = ox.Store(str(tmp_path / "scratch"))
    assert set(scratch) == {a}
    scratch.remove(a)
    scratch.add(b)
    scratch.flush()
    scratch.optimize()  # compaction writes new tables and drops the old links
    del scratch
    assert set(ox.Store.read_only(str(tmp_path / "checkpoint"))) == {a}
    assert set(live) == {a}
