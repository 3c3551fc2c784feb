"""Hand an import's triples to the guarded write path (:func:`kooperationsgraph.changes.submit`): the change set
is validated again against the store, refused for new Violations, otherwise stored for review."""

from __future__ import annotations

import importlib

from ..config import Settings
from ..errors import KooperationsgraphError
from ..store.base import Backend
from .importer import ImportResult


def submit(result: ImportResult, backend: Backend, settings: Settings, *, author: str, reason: str,
           strict: bool = False) -> str:
    """Submit the import as a change set; returns what happened in one sentence."""
    try:
        changes = importlib.import_module("kooperationsgraph.changes")
    except ImportError:
        raise KooperationsgraphError("change sets are not available in this installation (kooperationsgraph.changes "
                                     "is missing); nothing was written – use --dry-run to check the workbook") from None
    outcome = changes.submit(backend, settings, result.added, result.removed, author, reason, strict=strict)
    return str(getattr(outcome, "message", None) or outcome)
