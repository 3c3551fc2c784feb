"""The store seam: exactly one place knows whether the store is embedded (pyoxigraph on disk) or remote
(any SPARQL 1.1 server). Everything else calls :func:`open_store` and the :class:`Backend` interface.

Names are imported lazily, so a query worker process (:mod:`.pool`) starts without rdflib."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..config import Settings
    from .base import Backend, QueryResult


def open_store(settings: Settings) -> Backend:
    """Open the configured backend (embedded store must have been built: ``kooperationsgraph build``)."""
    if settings.backend == "remote":
        from .remote import RemoteBackend  # imported lazily: only the remote path needs SPARQLWrapper

        return RemoteBackend(settings)
    from .embedded import EmbeddedBackend

    return EmbeddedBackend(settings)


def __getattr__(name: str) -> Any:
    if name in {"Backend", "QueryResult"}:
        from . import base

        return getattr(base, name)
    raise AttributeError(name)


__all__ = ["Backend", "QueryResult", "open_store"]
