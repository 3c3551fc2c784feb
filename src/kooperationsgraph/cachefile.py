"""Files in the project's own cache directory (``var/cache``): written whole to a temporary file named after
this process and thread, then renamed over the old one, so a reader never sees half a file and two writers
never mix theirs. Best effort: a cache that cannot be written or read is just not used.

:func:`pickled` keeps one Python value in a pickle with the key it was made for. Only for files this code wrote
into the project's own ``var/cache``, never a file from outside (unpickling runs code)."""

from __future__ import annotations

import json
import os
import pickle
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def write(path: Path, data: bytes | str) -> bool:
    """Replace ``path`` with ``data`` atomically; False when that was not possible."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        return False
    return True


def write_json(path: Path, value: object) -> bool:
    return write(path, json.dumps(value))


def read_json(path: Path) -> object | None:
    """The JSON value in ``path`` (None: missing or unreadable)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def pickled(path: Path, key: str, build: Callable[[], T]) -> T:
    """The value stored at ``path`` for ``key``, or ``build()`` stored there for it (one value per file: a new
    key replaces the old one)."""
    try:
        with path.open("rb") as f:
            stored_key, value = pickle.load(f)  # noqa: S301 - our own cache file, see the module doc
        if stored_key == key:
            return value
    except Exception:  # noqa: BLE001,S110 - a missing, old or broken cache is rebuilt
        pass
    value = build()
    write(path, pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))
    return value
