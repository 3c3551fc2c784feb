"""The resilience analysis answers identically from the embedded store and from the remote backend (a real
Virtuoso, tests/virtuoso.py): the loaded supply data field by field, what-if scenarios and the single points of
failure. Only the data version differs (each backend names its own)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict

import pytest

from kooperationsgraph.config import Settings
from kooperationsgraph.namespaces import PREFIXES
from kooperationsgraph.resilience import SupplyData, load_supply
from kooperationsgraph.resilience.network import build_graphs
from kooperationsgraph.resilience.render import spof_json, whatif_json
from kooperationsgraph.resilience.resolve import resolve_node
from kooperationsgraph.resilience.spof import spof
from kooperationsgraph.resilience.whatif import what_if
from kooperationsgraph.store.embedded import EmbeddedBackend
from kooperationsgraph.store.push import push_store
from kooperationsgraph.store.remote import RemoteBackend

pytestmark = pytest.mark.slow

#: Scenarios by what fails: a Stadtwerk (cascade to hospitals), a hospital operator, a cooperation, several at once.
SCENARIOS = [
    ["Stadtwerke Lübeck GmbH"],
    [PREFIXES["akteur"] + "berliner-stadtwerke"],
    ["https://w3id.org/kooperationsgraph/id/betreiber/main-klinik-ochsenfurt-ggmbh"],
    ["https://w3id.org/kooperationsgraph/id/kooperation/trianel"],
    ["https://w3id.org/kooperationsgraph/id/kooperation/kleeblatt-konzept", "Stadtwerke Lübeck GmbH"],
]


#: No cooperation in the data states a minimum number of members (the default of two applies).
MAY_BE_EMPTY = {"min_members"}


@pytest.fixture(scope="module")
def local(settings: Settings) -> EmbeddedBackend:
    return EmbeddedBackend(settings)


@pytest.fixture(scope="module")
def remote(remote_settings: Settings, local: EmbeddedBackend) -> Iterator[RemoteBackend]:
    rb = RemoteBackend(remote_settings)
    push_store(local.store, rb)
    yield rb


@pytest.fixture(scope="module")
def both(local: EmbeddedBackend, remote: RemoteBackend) -> tuple[SupplyData, SupplyData]:
    return load_supply(local), load_supply(remote)


def without_version(x: dict) -> dict:
    return {k: v for k, v in x.items() if k != "data_version"}


@pytest.mark.parametrize("field", ["areas", "nodes", "edges", "members", "min_members", "sites", "dependencies",
                                   "backups", "goods", "threshold", "threshold_iri", "threshold_norm", "governs"])
def test_supply_data_loads_the_same(both: tuple[SupplyData, SupplyData], field: str) -> None:
    mine, theirs = (asdict(d)[field] for d in both)
    if isinstance(mine, dict):
        assert sorted(mine) == sorted(theirs), f"{field}: keys differ"
        diff = [k for k in mine if mine[k] != theirs[k]]
        assert diff == [], f"{field}: {len(diff)} entries differ, e.g. {diff[:1]}: {mine[diff[0]] if diff else ''} " \
                           f"vs {theirs[diff[0]] if diff else ''}"
        assert mine or field in MAY_BE_EMPTY, f"{field} is empty: the comparison would prove nothing"
    else:
        assert mine == theirs, field


@pytest.mark.parametrize("names", SCENARIOS, ids=lambda n: "+".join(x.rsplit("/", 1)[-1] for x in n))
def test_whatif_answers_identically(both: tuple[SupplyData, SupplyData], names: list[str]) -> None:
    out = []
    for data in both:
        removed = [resolve_node(data, n) for n in names]
        out.append(without_version(whatif_json(data, what_if(data, removed, build_graphs(data)))))
    assert out[0] == out[1]
    assert out[0]["first_order"] or out[0]["cooperations"], "the scenario must lose something"


def test_luebeck_figures_on_the_remote_backend(both: tuple[SupplyData, SupplyData]) -> None:
    data = both[1]
    res = what_if(data, [resolve_node(data, "Stadtwerke Lübeck GmbH")], build_graphs(data))
    assert res.first[PREFIXES["gut"] + "strom"].lost_people == 216_277


def test_single_points_of_failure_are_identical(both: tuple[SupplyData, SupplyData]) -> None:
    out = [without_version(spof_json(d, spof(d, build_graphs(d)), [], [])) for d in both]
    assert out[0] == out[1]
    assert sum(len(g["single_points_of_failure"]) for g in out[0]["goods"]) > 100
