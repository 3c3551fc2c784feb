"""The label index (:mod:`.labels`) kept on disk per store version: building it runs the five ``labels-*``
queries over the whole store (about 100 s at 1 M triples, the first page request's wait); loading it takes
seconds. A pickle in the project's own ``var/cache`` (written only by this code, never a file from outside),
keyed by :func:`..store.stamp.store_key` with the queries' text and the source of the modules that make the
index, so a write, a rebuild, a changed query or changed code makes a new one. One file is kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .. import cachefile
from ..store.base import Backend
from ..store.stamp import store_key

FILE = "label-index.pickle"
T = TypeVar("T")


def cached(backend: Backend, build: Callable[[Backend], T], queries: list[str], code: list[Path]) -> T:
    """``build(backend)``, or what it returned before for this store version, these queries and this code."""
    key = store_key(backend, "label-index-1", *queries, *(p.read_text(encoding="utf-8") for p in code))
    var = getattr(getattr(backend, "settings", None), "var_dir", None)
    if key is None or not isinstance(var, Path):
        return build(backend)
    return cachefile.pickled(var / "cache" / FILE, key, lambda: build(backend))
