"""What identifies a store's content for a cache kept between processes: the store's path, its version string
and the modification time of its version file (rewritten on every write and every build, so a rebuilt store
that restarts its counter still gets a new key), plus whatever else the cached value was made from (query
texts, code). A store without a version file (in memory, remote) has no key: do not cache."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .base import Backend


def store_key(backend: Backend | None, *parts: str) -> str | None:
    path = getattr(backend, "path", None)
    if backend is None or not isinstance(path, Path):
        return None
    try:
        mtime = (path / "VERSION").stat().st_mtime_ns
    except OSError:
        return None
    raw = "\n".join([str(path.resolve()), backend.version(), str(mtime), *parts])
    return hashlib.sha256(raw.encode()).hexdigest()
