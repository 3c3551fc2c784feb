"""Files in the project's own cache directory (``var/cache``): written whole to a temporary file named after
this process and thread, then renamed over the old one, so a reader never sees half a file and two writers
never mix theirs. Best effort: a cache that cannot be written or read is just not used."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path


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
