"""The sheet profile (:func:`.model.load_profile`) kept between processes: a pickle in the project's own
``var/cache`` (written only by this code, never a file from outside), keyed by the profile's and context
files' paths and modification times and by the source of the profile builder (:mod:`.model`), so a changed file or a changed
profile builder makes a new one. Kept in memory per process as before."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .. import cachefile

FILE = "sheet-profile.pickle"
P = TypeVar("P")
_MEMO: dict[str, object] = {}


def _key(stamp: tuple[tuple[str, float], ...], code: Path | None) -> str:
    raw = repr(stamp).encode() + (code.read_bytes() if code is not None else b"")
    return hashlib.sha256(raw).hexdigest()


def cached_profile(cache_dir: Path, stamp: tuple[tuple[str, float], ...], build: Callable[..., P],
                   code: Path | None = None) -> P:
    """``build(stamp)``, or what it returned before for this stamp and this ``code`` (the builder's source)."""
    key = _key(stamp, code)
    hit = _MEMO.get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    profile = cachefile.pickled(cache_dir / FILE, key, lambda: build(stamp))
    _MEMO[key] = profile
    return profile
