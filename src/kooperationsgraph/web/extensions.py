"""Per-app resources (like flaskr's db.py): the store backend, opened once per app and shared by threads, and
the app's caches. Every cache lives in ``app.extensions``, so two apps in one process never share one."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from flask import Flask, current_app

from ..config import Settings
from ..stats import Stats
from ..store import Backend, open_store

if TYPE_CHECKING:
    from ..resilience.index import ResilienceIndex

T = TypeVar("T")
_LOCK = threading.Lock()


def init_app(app: Flask) -> None:
    app.extensions["kg_backend"] = None
    app.extensions["kg_versioned"] = {}
    app.extensions["kg_lock"] = threading.Lock()


def settings() -> Settings:
    return current_app.config["KG_SETTINGS"]


def get_backend() -> Backend:
    backend = current_app.extensions.get("kg_backend")
    if backend is None:
        with _LOCK:
            backend = current_app.extensions.get("kg_backend")
            if backend is None:
                backend = open_store(settings())
                current_app.extensions["kg_backend"] = backend
    return backend


def versioned(name: str, build: Callable[[Backend], T], backend: Backend | None = None) -> T:
    """The app's value ``name`` for the store's current version, built once per version (after a write the
    next call rebuilds it)."""
    backend = backend or get_backend()
    cache: dict[str, tuple[str, object]] = current_app.extensions["kg_versioned"]
    version = backend.version()
    hit = cache.get(name)
    if hit is not None and hit[0] == version:
        return hit[1]  # type: ignore[return-value]
    with current_app.extensions["kg_lock"]:  # one lock per value: a slow build holds up only its own name
        lock = current_app.extensions.setdefault("kg_locks", {}).setdefault(name, threading.Lock())
    with lock:
        hit = cache.get(name)
        if hit is None or hit[0] != version:
            hit = cache[name] = (version, build(backend))
        return hit[1]  # type: ignore[return-value]


def peek(name: str, backend: Backend | None = None) -> object | None:
    """The app's value ``name`` if it is built for the store's current version, else None (never builds)."""
    backend = backend or get_backend()
    hit = current_app.extensions["kg_versioned"].get(name)
    return hit[1] if hit is not None and hit[0] == backend.version() else None


def lru(name: str, entries: int) -> OrderedDict:
    """An app-wide bounded dict (e.g. kept validation reports); callers pop the oldest past ``entries``."""
    ext = current_app.extensions
    if name not in ext:
        with _LOCK:
            ext.setdefault(name, OrderedDict())
    return ext[name]


def cached_stats(backend: Backend | None = None) -> Stats:
    """Statistics per store version (the queries walk the whole graph), cached per app."""
    from ..stats import collect

    return versioned("stats", collect, backend)


def cached_resilience(backend: Backend | None = None) -> ResilienceIndex:
    """The resilience analysis (supply data, graphs per good, dominator trees) per store version, cached per app."""
    from ..resilience.index import build_index

    return versioned("resilience", build_index, backend)
