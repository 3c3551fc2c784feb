"""Fewer garbage collections while an import runs. An import builds a few hundred thousand objects that all
stay alive until it ends (rows, terms, triples, findings); with CPython's default thresholds each 700
allocations start a collection of the young objects, and the oldest generation is walked again and again as
it grows — about a seventh of the 10,000-row benchmark's time. With a larger first threshold, young cycles are
still collected (every 50,000 allocations), but the long-lived objects are rarely walked. Nothing else changes:
no object is freed later than its last reference allows, and the old thresholds come back when the last of
concurrent imports ends."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLDS = (50_000, 20, 100)
_lock = threading.Lock()
_active = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    global _active, _saved
    with _lock:
        if _active == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(*THRESHOLDS)
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
