"""Ill-formed literals of a change, set aside as the full validation sets them aside
(:func:`.inputs._set_aside`): a record in the findings graph instead of the literal itself."""

from __future__ import annotations

import pyoxigraph as ox

from .lexical import FINDINGS_GRAPH, KGSH, RDF_LANGSTRING, _short, usable


def set_aside(expected: dict[str, set[str]], q: ox.Quad) -> list[ox.Quad] | None:
    """The record quads for an unusable literal (None when the value is usable); ``expected``: property →
    datatypes the shapes and the ontology expect."""
    o = q.object
    if not isinstance(o, ox.Literal):
        return None
    dt = RDF_LANGSTRING if o.language else o.datatype.value
    want = expected.get(q.predicate.value, set())
    if not ((want and o.language) or not usable(o.value, dt, want)):
        return None
    record = ox.BlankNode()
    want_list = sorted(want) or [dt]
    facts = [
        (q.subject, ox.NamedNode(KGSH + "ungueltigeAngabe"), record),
        (record, ox.NamedNode(KGSH + "eigenschaft"), q.predicate),
        (record, ox.NamedNode(KGSH + "lexikalischeForm"), ox.Literal(o.value)),
        (record, ox.NamedNode(KGSH + "datentyp"), ox.NamedNode(dt)),
        (record, ox.NamedNode(KGSH + "erwarteterDatentyp"), ox.Literal(" oder ".join(_short(w) for w in want_list))),
    ]
    target = ox.NamedNode(FINDINGS_GRAPH)
    return [ox.Quad(s, p, obj, target) for s, p, obj in facts]  # type: ignore[arg-type]


def record_of(store: ox.Store, q: ox.Quad) -> list[ox.Quad]:
    """The set-aside record of a literal quad that is not in the data (for removals)."""
    o = q.object
    if not isinstance(o, ox.Literal):
        return []
    target = ox.NamedNode(FINDINGS_GRAPH)
    for link in store.quads_for_pattern(q.subject, ox.NamedNode(KGSH + "ungueltigeAngabe"), None, target):
        rec = link.object
        props = {(x.predicate.value, x.object) for x in store.quads_for_pattern(rec, None, None, target)}  # type: ignore[arg-type]
        if (KGSH + "eigenschaft", q.predicate) in props and (KGSH + "lexikalischeForm", ox.Literal(o.value)) in props:
            return [link, *store.quads_for_pattern(rec, None, None, target)]  # type: ignore[arg-type]
    return []
