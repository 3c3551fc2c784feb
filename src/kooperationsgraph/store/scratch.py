"""A writable scratch copy of the embedded on-disk store, made of hard links: what a whole-store validation
runs on instead of copying every quad into memory (issue 15: "no copy of data the store already holds").

RocksDB never changes a table file once written (compaction writes new files and drops old links), so a
directory whose ``*.sst`` files are hard links to the store's and whose few small files (manifest, options,
``CURRENT``) are copies is a complete, independent database: writes to it (the validation's set-aside values
and reference date) land in its own new files and never reach the store. The copy takes milliseconds and no
memory, whatever the size of the store; it is removed when the block ends.

* The source is the store's published checkpoint, the one its query workers read
  (:meth:`.embedded.EmbeddedBackend.snapshot`: made with RocksDB's own checkpoint when this process holds the
  store, found beside it when a running ``serve`` does). Nothing writes that directory, so linking its files is
  safe.
* Any other backend (remote, in-memory) gives ``None``: the caller copies the quads as before.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from .base import Backend

_COUNTER = itertools.count()


def _link_copy(source: Path, target: Path) -> None:
    """``source`` (a checkpoint nothing writes) as a new database at ``target``: tables linked, rest copied."""
    target.mkdir()
    for f in source.iterdir():
        if f.name == "LOCK" or not f.is_file():
            continue
        if f.suffix == ".sst":
            os.link(f, target / f.name)
        else:
            shutil.copy2(f, target / f.name)


def disk_bytes(path: Path) -> int:
    """Size of the store's table files (a proxy for its number of quads: about 150 bytes a quad on disk)."""
    total = 0
    for f in path.glob("*.sst"):
        try:
            total += f.stat().st_size
        except FileNotFoundError:  # removed by a compaction between the listing and the stat
            continue
    return total


@contextmanager
def scratch_copy(backend: Backend, *, above_bytes: int = 0) -> Iterator[ox.Store | None]:
    """A writable copy of ``backend``'s on-disk store for the duration of the block, or ``None`` when the
    backend has none, or when its table files take at most ``above_bytes`` (then nothing is made)."""
    path = getattr(backend, "path", None)
    store = getattr(backend, "store", None)
    if (not isinstance(store, ox.Store) or not isinstance(path, Path) or getattr(backend, "isolated", False) is False
            or disk_bytes(path) <= above_bytes):
        yield None
        return
    root = path.with_name(path.name + ".scratch")
    root.mkdir(exist_ok=True)
    target = root / f"{os.getpid()}-{next(_COUNTER)}"
    shutil.rmtree(target, ignore_errors=True)
    copy: ox.Store | None = None
    try:
        # the checkpoint the query workers read (made by RocksDB if this version has none yet), then linked
        source = backend.snapshot()  # type: ignore[attr-defined]
        if source.resolve() == path.resolve():  # another process holds the store and published no checkpoint
            yield None
            return
        _link_copy(source, target)
        copy = ox.Store(str(target))
        yield copy
    finally:
        del copy
        shutil.rmtree(target, ignore_errors=True)
