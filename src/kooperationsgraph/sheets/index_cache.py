"""The import's entity index (:class:`.lookup.StoreIndex`: entities by kind with name and seat, administrative
units, and the answers of the ARS lookups made so far) kept on disk per store version: it is the same for every
import of one version, and fetching it is most of an import's time on a large store (an ARS lookup is one query).
The key is the store's stamp (:mod:`..store.stamp`: path, version string, modification time of its version file)
plus the lookup queries' text; a store without a version file (in memory, remote) is not cached. One file is kept; a new
version replaces it."""

from __future__ import annotations

from pathlib import Path

from .. import cachefile
from ..store import stamp
from ..store.base import Backend
from .lookup import ENTITIES, UNIT_BY_ARS, UNITS, Kind, StoreIndex

FORMAT = "import-index-1"
FILE = "import-index.json"


def store_key(backend: Backend | None) -> str | None:
    """What identifies the store's content (None: nothing reliable, do not cache): :func:`..store.stamp.store_key`
    with the lookup queries' text."""
    return stamp.store_key(backend, FORMAT, ENTITIES, UNITS, UNIT_BY_ARS)


def _kind_json(k: Kind) -> dict:
    return {"iris": sorted(k.iris), "by_name": {n: sorted(v) for n, v in k.by_name.items()},
            "seats": {s: sorted(v) for s, v in k.seats.items()}}


def _kind_from(d: dict) -> Kind:
    k = Kind(iris=set(d["iris"]))
    for n, v in d["by_name"].items():
        k.by_name[n] = set(v)
    for s, v in d["seats"].items():
        k.seats[s] = set(v)
    return k


def load(cache_dir: Path, key: str, index: StoreIndex, kinds: list[str]) -> bool:
    """Fill ``index`` with these kinds from the cache; False (index untouched) unless all are there."""
    data = cachefile.read_json(cache_dir / FILE)
    if not isinstance(data, dict) or data.get("key") != key or not all(k in data.get("kinds", {}) for k in kinds):
        return False
    for k in kinds:
        index.kinds[k] = _kind_from(data["kinds"][k])
    units = data.get("units_by_ars", {})
    if isinstance(units, dict):
        index.units_by_ars.update({str(a): str(s) for a, s in units.items()})
    return True


def save(cache_dir: Path, key: str, index: StoreIndex) -> None:
    """Write the index's loaded kinds (best effort: a cache that cannot be written is just not used)."""
    cachefile.write_json(cache_dir / FILE, {"key": key, "kinds": {c: _kind_json(k) for c, k in index.kinds.items()},
                                            "units_by_ars": dict(sorted(index.units_by_ars.items()))})
