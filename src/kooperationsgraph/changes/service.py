"""Submit, accept and reject change sets. Every write of the project goes through :func:`submit`; the store
changes only in :func:`accept`, in one update (one transaction) that also records the review."""

from __future__ import annotations

import secrets
import threading
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import ConjunctiveGraph

from ..config import Settings
from ..errors import KooperationsgraphError
from ..namespaces import DERIVED_GRAPH, GRAPH
from ..store.base import Backend
from ..store.terms import to_ox
from ..validation.incremental import Mirror, mirror_for, note_own_write
from ..validation.inputs import CONTEXT_GRAPH
from ..validation.lexical import FINDINGS_GRAPH
from .guard import judge
from .model import ChangeSet, Quad, SubmitResult
from .staging import get_change, set_status, staging_triples
from .staging import write as write_staging

#: Where added triples go when the caller names no graph (imports, API).
CONTRIBUTIONS_GRAPH = GRAPH + "beitraege"
_WRITE_LOCK = threading.RLock()
_NOT_DATA = (DERIVED_GRAPH, FINDINGS_GRAPH, CONTEXT_GRAPH)


class ChangeError(KooperationsgraphError):
    """A review step that cannot run (unknown id, not pending)."""


class ChangeRefused(KooperationsgraphError):
    """Accepting would introduce new Violations (the store changed since the change set was submitted)."""

    def __init__(self, result: SubmitResult):
        super().__init__(result.report_text("en"))
        self.result = result


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)


def _quads(data: Graph, graph: str | None) -> list[Quad]:
    if isinstance(data, (Dataset, ConjunctiveGraph)):
        out: list[Quad] = []
        for s, p, o, ctx in data.quads((None, None, None, None)):
            name = getattr(ctx, "identifier", ctx)
            g = None if name is None or str(name).startswith("urn:x-rdflib:") else str(name)
            out.append((s, p, o, g or graph))
        return out
    return [(s, p, o, graph) for s, p, o in data.triples((None, None, None))]


def _in_mirror(m: Mirror, q: Quad) -> bool:
    s, p, o, g = q
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(g) if g else ox.DefaultGraph()) in m.store  # type: ignore[arg-type]


def _holders(m: Mirror, triple: tuple) -> list[Quad]:
    """The data graphs that hold a triple to remove (any graph but derived facts and validation context)."""
    s, p, o = triple
    out: list[Quad] = []
    for q in m.store.quads_for_pattern(to_ox(s), to_ox(p), to_ox(o), None):  # type: ignore[arg-type]
        g = q.graph_name
        name = g.value if isinstance(g, ox.NamedNode) else None
        if name not in _NOT_DATA:
            out.append((s, p, o, name))
    return out


def net_effect(m: Mirror, added: list[Quad], removed: list[Quad], removed_anywhere: bool) -> tuple[list[Quad], list[Quad]]:
    """What really changes: additions not yet present, removals present (de-duplicated, order kept)."""
    rem: list[Quad] = []
    for q in removed:  # a removal in a named graph came from the store itself (GSP, update): kept as given
        rem += _holders(m, q[:3]) if removed_anywhere and q[3] is None else [q]
    rem = list(dict.fromkeys(rem))
    gone = set(rem)
    add = list(dict.fromkeys(q for q in added if q in gone or not _in_mirror(m, q)))
    common = set(add) & gone  # removed and re-added: no change
    return [q for q in add if q not in common], [q for q in rem if q not in common]


def submit(backend: Backend, settings: Settings, added: Graph, removed: Graph, author: str, reason: str,
           strict: bool = False, *, graph: str | None = None, source: str = "api",
           auto_accept: bool = False) -> SubmitResult:
    """Validate a change incrementally and stage it for review (or refuse it for what it introduces).

    ``added`` triples go into ``graph`` (default: the contributions graph; a Dataset keeps its graphs);
    ``removed`` triples are removed from every data graph that holds them (a Dataset names the graphs).
    ``auto_accept`` applies a passing change at once (the caller must hold the review role)."""
    with _WRITE_LOCK:
        return submit_quads(backend, settings, _quads(added, graph or CONTRIBUTIONS_GRAPH), _quads(removed, None),
                            author, reason, strict, source=source, auto_accept=auto_accept)


def submit_quads(backend: Backend, settings: Settings, added: list[Quad], removed: list[Quad], author: str,
                 reason: str, strict: bool = False, *, source: str = "api", auto_accept: bool = False,
                 removed_anywhere: bool = True) -> SubmitResult:
    with _WRITE_LOCK:
        m = mirror_for(backend, settings)
        with m.lock:
            add, rem = net_effect(m, added, removed, removed_anywhere)
            if not add and not rem:
                return SubmitResult(False, None, [], empty=True, strict=strict)
            assessment = m.assess(add, rem)
            verdict = judge(m, assessment, strict)
        de_new, de_block = verdict.by_lang["de"]
        if verdict.refused:
            return SubmitResult(False, None, de_new, de_block, strict=strict, by_lang=verdict.by_lang)
        cs = ChangeSet(new_id(), author, reason, now_text(), source=source,
                       added=assessment.effective_added, removed=assessment.effective_removed,
                       base_version=m.version)
        before = backend.version()
        write_staging(backend, cs)
        note_own_write(backend, before)
        result = SubmitResult(True, cs.id, de_new, [], strict=strict, change=cs, by_lang=verdict.by_lang)
        if auto_accept:
            accept(backend, settings, cs.id, author, "auto-accept", strict=strict)
            result.applied = True
            cs.status = "accepted"
        return result


def _user_quads(cs: ChangeSet) -> tuple[list[Quad], list[Quad]]:
    return ([q for q in cs.added if q[3] != DERIVED_GRAPH], [q for q in cs.removed if q[3] != DERIVED_GRAPH])


def _pending(backend: Backend, change_id: str) -> ChangeSet:
    cs = get_change(backend, change_id)
    if cs is None:
        raise ChangeError(f"no change set {change_id!r}")
    if cs.status != "pending":
        raise ChangeError(f"change set {change_id} is {cs.status}, not pending")
    return cs


def accept(backend: Backend, settings: Settings, change_id: str, reviewer: str, reason: str = "",
           strict: bool = False) -> ChangeSet:
    """Apply a pending change set atomically (one update: triples and review record) and bump the version.
    The change is validated again against the store as it is now; new Violations refuse it (ChangeRefused)."""
    with _WRITE_LOCK:
        cs = _pending(backend, change_id)
        add, rem = _user_quads(cs)
        m = mirror_for(backend, settings)
        with m.lock:
            add, rem = net_effect(m, add, rem, False)
            assessment = m.assess(add, rem)
            verdict = judge(m, assessment, strict)
        if verdict.refused:
            de_new, de_block = verdict.by_lang["de"]
            raise ChangeRefused(SubmitResult(False, cs.id, de_new, de_block, strict=strict, by_lang=verdict.by_lang))
        if (set(assessment.effective_added), set(assessment.effective_removed)) != (set(cs.added), set(cs.removed)):
            cs.added, cs.removed = assessment.effective_added, assessment.effective_removed
            before = backend.version()
            backend.replace_graph(cs.staging, staging_triples(cs))
            note_own_write(backend, before)
        before = backend.version()
        set_status(backend, cs, "accepted", reviewer, reason, now_text(), apply=True)
        note_own_write(backend, before, (cs.added, cs.removed))
        cs.status, cs.reviewer, cs.review_reason = "accepted", reviewer, reason
        return cs


def reject(backend: Backend, settings: Settings, change_id: str, reviewer: str, reason: str = "") -> ChangeSet:
    with _WRITE_LOCK:
        cs = _pending(backend, change_id)
        before = backend.version()
        set_status(backend, cs, "rejected", reviewer, reason, now_text(), apply=False)
        note_own_write(backend, before)
        cs.status, cs.reviewer, cs.review_reason = "rejected", reviewer, reason
        return cs


def mirror(backend: Backend, settings: Settings) -> Mirror:
    return mirror_for(backend, settings)
