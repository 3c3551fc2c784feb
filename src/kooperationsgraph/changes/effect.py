"""The effect of a SPARQL Update as a change set: the update runs on a scratch copy of the dataset (never on
the live store); the difference of the two states is what it adds and removes."""

from __future__ import annotations

import pyoxigraph as ox

from ..namespaces import CHANGE_GRAPH_PREFIX, CHANGES_GRAPH
from ..rdfio import query_syntax_error
from ..store.base import Backend
from ..store.terms import to_rdflib
from .model import Quad


def _quad(q: ox.Quad) -> Quad:
    g = q.graph_name
    return (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object),  # type: ignore[return-value]
            g.value if isinstance(g, ox.NamedNode) else None)


def update_effect(backend: Backend, sparql: str, base_iri: str | None = None) -> tuple[list[Quad], list[Quad]]:
    """(added, removed) quads of an update that the backend's screen already passed. Changes to the change-set
    graphs themselves are not allowed (they are the review's record)."""
    backend.screen(sparql, update=True, base_iri=base_iri)
    scratch = ox.Store()
    live = getattr(backend, "store", None)
    if isinstance(live, ox.Store):
        scratch.extend(live.quads_for_pattern(None, None, None, None))
    else:
        scratch.load(backend.dump("application/n-quads"), format=ox.RdfFormat.N_QUADS)
    before = set(scratch.quads_for_pattern(None, None, None, None))
    try:
        scratch.update(sparql, base_iri=base_iri) if base_iri else scratch.update(sparql)
    except SyntaxError as exc:
        raise query_syntax_error(exc) from None
    after = set(scratch.quads_for_pattern(None, None, None, None))
    added = [_quad(q) for q in after - before if not _protected(q)]
    removed = [_quad(q) for q in before - after if not _protected(q)]
    return sorted(added, key=str), sorted(removed, key=str)


def _protected(q: ox.Quad) -> bool:
    g = q.graph_name
    return isinstance(g, ox.NamedNode) and (g.value == CHANGES_GRAPH or g.value.startswith(CHANGE_GRAPH_PREFIX))
