"""The import's caches between processes (issue 13, 10,000 rows in under 10 s): the store's entity index per
store version, the derivation rules' analyses per rule text, the sheet profile per file stamp. Each is used
only while what it was made from is unchanged; these tests change it and check that the cache is not used.
The store here holds two fictional actors (example namespace)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from kooperationsgraph.config import Settings
from kooperationsgraph.namespaces import EXAMPLE, GRAPH, KG
from kooperationsgraph.sheets import importer, index_cache, lookup, profile_cache
from kooperationsgraph.sheets.lookup import StoreIndex
from kooperationsgraph.sheets.model import load_profile
from kooperationsgraph.sheets.template import headers
from kooperationsgraph.store import rule_cache
from kooperationsgraph.store.build import rule_files
from kooperationsgraph.store.derive import load_rules
from kooperationsgraph.store.embedded import EmbeddedBackend

REPO = Path(__file__).resolve().parents[1]
DATA = GRAPH + "data/examples/import-cache-test"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def _actor(slug: str, name: str) -> list[ox.Quad]:
    s, g = ox.NamedNode(str(EXAMPLE) + slug), ox.NamedNode(DATA)
    types = [ox.Quad(s, RDF_TYPE, ox.NamedNode(str(c)), g) for c in (KG.Stadtwerk, KG.Akteur)]  # as derived in a build
    return [*types, ox.Quad(s, LABEL, ox.Literal(name, language="de"), g)]


@pytest.fixture()
def small(tmp_path: Path) -> EmbeddedBackend:
    """An in-memory store with one fictional actor, at a path with a version file (as a built store has)."""
    path = tmp_path / "store"
    path.mkdir()
    (path / "VERSION").write_text("test+0\n")
    store = ox.Store()
    store.extend(_actor("cache-akteur-a", "Beispiel-Stadtwerk A (fiktiv)"))
    return EmbeddedBackend(Settings(root=REPO, store_path=path), store=store, path=path)


def test_entity_index_cache_is_used_only_for_the_same_store_version(small: EmbeddedBackend, tmp_path: Path) -> None:
    cache, kinds = tmp_path / "cache", [str(KG.Akteur)]
    key = index_cache.store_key(small)
    assert key is not None
    index = StoreIndex(small)
    assert str(EXAMPLE) + "cache-akteur-a" in index.kind(str(KG.Akteur)).iris
    index_cache.save(cache, key, index)

    from_disk = StoreIndex(None)  # no store: whatever it knows comes from the file
    assert index_cache.load(cache, key, from_disk, kinds)
    assert from_disk.kinds[str(KG.Akteur)] == index.kinds[str(KG.Akteur)]
    assert not index_cache.load(cache, key, StoreIndex(None), [*kinds, str(KG.Kooperation)])  # a kind not cached

    small.replace_graph_quads(DATA, _actor("cache-akteur-b", "Beispiel-Stadtwerk B (fiktiv)"), append=True)
    changed = index_cache.store_key(small)
    assert changed is not None and changed != key
    assert not index_cache.load(cache, changed, StoreIndex(None), kinds)
    assert str(EXAMPLE) + "cache-akteur-b" in StoreIndex(small).kind(str(KG.Akteur)).iris

    # a rebuilt store may restart its counter at the same version string: the version file is new, so is the key
    stamp = small.path / "VERSION"
    st = stamp.stat()
    os.utime(stamp, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert index_cache.store_key(small) not in (None, changed)


def test_no_cache_without_a_version_file(small: EmbeddedBackend) -> None:
    (small.path / "VERSION").unlink()
    assert index_cache.store_key(small) is None
    assert index_cache.store_key(None) is None


def _workbook_with(settings: Settings, rows: dict[str, dict[str, str]]) -> bytes:
    """A workbook from the template with one row (column key → value) on each named sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for s in load_profile(settings).sheets:
        ws = wb.create_sheet(s.name)
        for h in headers(s):
            ws.append(h)
        if s.name in rows:
            ws.append([rows[s.name].get(k) for k in headers(s)[2]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _workbook(settings: Settings) -> bytes:
    """One membership row that names the store's actor (matched through the entity index)."""
    return _workbook_with(settings, {
        "Kooperationen": {"@id": "ex:cache-koop", "rdfs:label@de": "Beispiel-Verbund (fiktiv)",
                          "rdf:type": "Netzwerk/Verbund", "dcterms:source": "Fiktives Beispiel (Test)"},
        "Mitgliedschaften": {"kg:kooperation": "Beispiel-Verbund (fiktiv)", "kg:mitglied": "Beispiel-Stadtwerk B (fiktiv)",
                             "kg:rolle": "Mitglied"},
    })


def test_import_fetches_the_index_once_per_store_version(small: EmbeddedBackend, tmp_path: Path, monkeypatch) -> None:
    settings = small.settings
    monkeypatch.setattr(Settings, "var_dir", property(lambda _self: tmp_path / "var"))  # not the checkout's cache
    loads: list[str] = []
    real = lookup.StoreIndex._load

    def counting(self: StoreIndex, cls: str) -> lookup.Kind:
        loads.append(cls)
        return real(self, cls)

    monkeypatch.setattr(lookup.StoreIndex, "_load", counting)
    data = _workbook(settings)
    first = importer.import_file(data, "beitrag.xlsx", settings, small)
    assert loads and any("Beispiel-Stadtwerk B" in p.de for p in first.problems)  # B is not in the store yet
    loads.clear()
    importer.import_file(data, "beitrag.xlsx", settings, small)
    assert loads == []  # the same version: the index came from the cache

    small.replace_graph_quads(DATA, _actor("cache-akteur-b", "Beispiel-Stadtwerk B (fiktiv)"), append=True)
    after = importer.import_file(data, "beitrag.xlsx", settings, small)
    assert loads  # a new version: fetched again, and the new actor is found
    assert not any("Beispiel-Stadtwerk B" in p.de for p in after.problems)
    assert any(str(o) == str(EXAMPLE) + "cache-akteur-b" for _s, _p, o in after.added)


def _unit(slug: str, ars: str) -> list[ox.Quad]:
    s, g = ox.NamedNode(str(EXAMPLE) + slug), ox.NamedNode(DATA)
    types = [ox.Quad(s, RDF_TYPE, ox.NamedNode(str(c)), g) for c in (KG.Gemeinde, KG.Verwaltungseinheit)]
    return [*types, ox.Quad(s, ox.NamedNode(str(KG.ars)), ox.Literal(ars), g),
            ox.Quad(s, LABEL, ox.Literal(f"Beispielgemeinde {slug} (fiktiv)", language="de"), g)]


def _seated_actor_workbook(settings: Settings, ars: str) -> bytes:
    return _workbook_with(settings, {"Akteure": {
        "@id": "ex:cache-akteur-c", "rdfs:label@de": "Beispiel-Stadtwerk C (fiktiv)", "rdf:type": "Stadtwerk",
        "kg:sitz": ars, "dcterms:source": "Fiktives Beispiel (Test)"}})


def test_ars_answers_are_cached_per_store_version(small: EmbeddedBackend, tmp_path: Path, monkeypatch) -> None:
    settings = small.settings
    monkeypatch.setattr(Settings, "var_dir", property(lambda _self: tmp_path / "var"))  # not the checkout's cache
    ars = "099990000001"
    small.replace_graph_quads(DATA, _unit("cache-gemeinde-x", ars), append=True)
    asked: list[object] = []
    real = lookup.select

    def counting(backend, query, bindings=None):
        if query == lookup.UNIT_BY_ARS:
            asked.append(bindings)
        return real(backend, query, bindings)

    monkeypatch.setattr(lookup, "select", counting)
    data = _seated_actor_workbook(settings, ars)
    actor, seat = URIRef(str(EXAMPLE) + "cache-akteur-c"), KG.sitz
    first = importer.import_file(data, "beitrag.xlsx", settings, small)
    assert len(asked) == 1 and (actor, seat, URIRef(str(EXAMPLE) + "cache-gemeinde-x")) in first.added
    asked.clear()
    again = importer.import_file(data, "beitrag.xlsx", settings, small)
    assert asked == [] and again.added == first.added  # the same version: the answer came from the cache

    # the ARS now belongs to another unit: a new store version, so the lookup is made again
    small.replace_graph_quads(DATA, _actor("cache-akteur-a", "Beispiel-Stadtwerk A (fiktiv)") +
                              _unit("cache-gemeinde-y", ars))
    after = importer.import_file(data, "beitrag.xlsx", settings, small)
    assert len(asked) == 1
    assert (actor, seat, URIRef(str(EXAMPLE) + "cache-gemeinde-y")) in after.added


def test_rule_analyses_are_cached_per_rule_text(tmp_path: Path, monkeypatch) -> None:
    settings = Settings(root=REPO)
    paths = rule_files(settings)
    cache = tmp_path / "rules.json"
    plain = load_rules(paths)
    assert rule_cache.load_rules_cached(paths, cache) == plain
    assert cache.exists()

    def no_parse(name: str, text: str):
        raise AssertionError(f"{name} was parsed again")

    monkeypatch.setattr(rule_cache, "analyse", no_parse)
    assert rule_cache.load_rules_cached(paths, cache) == plain  # all from the file

    changed = tmp_path / paths[0].name
    changed.write_text(paths[0].read_text() + "\n# changed\n")
    with pytest.raises(AssertionError, match="parsed again"):
        rule_cache.load_rules_cached([changed], cache)


def test_sheet_profile_cache_follows_the_file_stamps(tmp_path: Path, monkeypatch) -> None:
    built: list[object] = []

    def build(stamp):
        built.append(stamp)
        return {"profile for": stamp}

    monkeypatch.setattr(profile_cache, "_MEMO", {})
    stamp = (("a.ttl", 1.0),)
    assert profile_cache.cached_profile(tmp_path, stamp, build) == {"profile for": stamp}
    monkeypatch.setattr(profile_cache, "_MEMO", {})  # a new process
    assert profile_cache.cached_profile(tmp_path, stamp, build) == {"profile for": stamp}
    assert len(built) == 1
    newer = (("a.ttl", 2.0),)
    assert profile_cache.cached_profile(tmp_path, newer, build) == {"profile for": newer}
    assert len(built) == 2
