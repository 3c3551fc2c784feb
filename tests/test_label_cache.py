"""The label index kept on disk per store version (web/label_cache.py): a second process gets the same index
without running the label queries; a write to the store, or a rebuilt store with the same version string,
makes it build the index again. The store holds fictional actors (example namespace)."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from kooperationsgraph.config import Settings
from kooperationsgraph.namespaces import EXAMPLE, GRAPH, KG
from kooperationsgraph.store.embedded import EmbeddedBackend
from kooperationsgraph.web import label_cache, labels

G = ox.NamedNode(GRAPH + "data/examples/label-cache-test")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
BUILD = labels.build_index


def _actor(slug: str, name: str) -> list[ox.Quad]:
    s = ox.NamedNode(str(EXAMPLE) + slug)
    return [ox.Quad(s, TYPE, ox.NamedNode(str(KG.Akteur)), G), ox.Quad(s, LABEL, ox.Literal(name, language="de"), G)]


@pytest.fixture()
def backend(tmp_path: Path) -> EmbeddedBackend:
    path = tmp_path / "store"
    path.mkdir()
    (path / "VERSION").write_text("test+0\n")
    store = ox.Store()
    store.extend(_actor("label-cache-a", "Beispiel-Stadtwerk Label A (fiktiv)"))
    return EmbeddedBackend(Settings(root=tmp_path, store_path=path), store=store, path=path)


def _load(backend: EmbeddedBackend, monkeypatch: pytest.MonkeyPatch) -> tuple[labels.LabelIndex, int]:
    calls = []
    build = BUILD

    def counting(b):  # noqa: ANN001, ANN202
        calls.append(1)
        return build(b)

    monkeypatch.setattr(labels, "build_index", counting)
    return labels._build_or_load(backend), len(calls)


def test_the_label_index_comes_from_disk_for_the_same_store_version(backend, monkeypatch) -> None:  # noqa: ANN001
    first, built = _load(backend, monkeypatch)
    assert built == 1 and (backend.settings.var_dir / "cache" / label_cache.FILE).exists()
    again, built = _load(backend, monkeypatch)
    assert built == 0  # from the file
    assert again.labels == first.labels and again.types == first.types
    assert [h.iri for h, _ in again.search("label a")] == [h.iri for h, _ in first.search("label a")]
    assert again.search("label a")


def test_a_write_or_a_rebuilt_store_builds_the_index_again(backend, monkeypatch) -> None:  # noqa: ANN001
    _load(backend, monkeypatch)
    backend.store.extend(_actor("label-cache-b", "Beispiel-Stadtwerk Label B (fiktiv)"))
    backend._bump()  # what every write does
    after_write, built = _load(backend, monkeypatch)
    assert built == 1 and str(EXAMPLE) + "label-cache-b" in after_write.labels
    stamp = backend.path / "VERSION"  # same version string, newer file: a rebuilt store restarting its counter
    st = stamp.stat()
    os.utime(stamp, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    _, built = _load(backend, monkeypatch)
    assert built == 1


def test_a_store_without_a_version_file_is_not_cached(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    b = EmbeddedBackend(Settings(root=tmp_path), store=ox.Store(), path=None)
    _load(b, monkeypatch)
    _, built = _load(b, monkeypatch)
    assert built == 1 and not (tmp_path / "var" / "cache" / label_cache.FILE).exists()
