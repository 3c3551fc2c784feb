"""Guarded writes with review (issue 13). Every write — import, Graph Store Protocol, SPARQL Update — becomes a
change set: validated incrementally (:mod:`..validation.incremental`), refused only for the Violations it
introduces (:mod:`.guard`), staged in a named graph of its own with PROV metadata in the history graph
(:mod:`.staging`), and applied atomically when a reviewer accepts it (:mod:`.service`)."""

from __future__ import annotations

from .model import ChangeSet, SubmitResult
from .service import CONTRIBUTIONS_GRAPH, ChangeError, ChangeRefused, accept, reject, submit, submit_quads
from .staging import changes_touching, get_change, list_changes

__all__ = ["CONTRIBUTIONS_GRAPH", "ChangeError", "ChangeRefused", "ChangeSet", "SubmitResult", "accept",
           "changes_touching", "get_change", "list_changes", "reject", "submit", "submit_quads"]
