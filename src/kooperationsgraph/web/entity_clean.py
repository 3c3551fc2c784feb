"""What a public entity page leaves out or says more plainly: a value carried by a property and by its
aligned standard property (``rdfs:subPropertyOf`` / ``owl:equivalentProperty``, e.g. ``kg:hatMitglied`` and
``org:hasMember``) is shown once, under the more specific property; internal editorial notes
(``skos:editorialNote`` and the like, "verified: …" comments) stay in the RDF but not on the page; a
property's tooltip is never empty."""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from ..catalogue import app_query
from ..namespaces import KG
from ..store.base import Backend

Q_ALIGNED = app_query("labels-ausrichtung")
#: Properties whose values are notes for the editors, never shown on public pages.
EDITORIAL_PROPS = frozenset({SKOS.editorialNote, SKOS.changeNote, SKOS.historyNote})
#: Comments written as editors' working notes ("verified: …", "unverified: …", "TODO: …").
EDITORIAL_TEXT = re.compile(r"^\s*(verified|unverified|not verified|todo|fixme|geprüft|ungeprüft)\s*:", re.I)
NOTE_PROPS = frozenset({RDFS.comment, SKOS.note, KG.hinweis})


def _specific(p: str, q: str) -> tuple[str, str]:
    """For equivalent properties: (kept, hidden) — the project's own property is kept."""
    return (q, p) if q.startswith(str(KG)) and not p.startswith(str(KG)) else (p, q)


def build_alignment(backend: Backend) -> dict[str, set[str]]:
    """For each property, the more specific properties aligned to it (transitive: teilVon ⊑ liegtIn ⊑
    dcterms:isPartOf). A value under one of these is hidden under the general property."""
    direct: dict[str, set[str]] = defaultdict(set)
    for p, q, eq in backend.query(Q_ALIGNED).rows:
        sub, sup = (str(p), str(q))
        if eq is not None and str(eq).lower() == "true":
            sub, sup = _specific(sub, sup)
        direct[sup].add(sub)
    closure: dict[str, set[str]] = {}
    for sup in direct:
        seen: set[str] = set()
        todo = list(direct[sup])
        while todo:
            s = todo.pop()
            if s not in seen and s != sup:
                seen.add(s)
                todo.extend(direct.get(s, ()))
        closure[sup] = seen
    return closure


def alignment(backend: Backend) -> dict[str, set[str]]:
    from .extensions import versioned

    return versioned("aligned-properties", build_alignment, backend)


def hide_aligned(values: dict[URIRef, list[Node]], aligned: dict[str, set[str]]) -> dict[URIRef, list[Node]]:
    """The same relations without a general property's values that a more specific one already shows."""
    out = dict(values)
    for p in sorted(values, key=str):
        subs = [URIRef(s) for s in aligned.get(str(p), ()) if URIRef(s) in out]
        if not subs:
            continue
        shown = {v for s in subs for v in out[s]}
        rest = [v for v in out[p] if v not in shown]
        if rest:
            out[p] = rest
        else:
            del out[p]
    return out


def is_editorial(prop: URIRef, value: Node) -> bool:
    if prop in EDITORIAL_PROPS:
        return True
    return prop in NOTE_PROPS and isinstance(value, Literal) and bool(EDITORIAL_TEXT.match(str(value)))


def public_values(values: dict[URIRef, list[Node]]) -> dict[URIRef, list[Node]]:
    out: dict[URIRef, list[Node]] = {}
    for p, vs in values.items():
        keep = [v for v in vs if not is_editorial(p, v)]
        if keep:
            out[p] = keep
    return out


def property_title(backend: Backend, prop: str, lang: str) -> str:
    """A property's tooltip: its definition; for a standard property without one, the definition of the
    project property aligned to it; else its prefixed name — never empty."""
    from .labels import label_index
    from .ui import compact_iri

    idx = label_index(backend)
    own = idx.definition(prop, lang)
    if own:
        return own
    for sub in sorted(alignment(backend).get(prop, ())):
        d = idx.definition(sub, lang)
        if d:
            return f"{compact_iri(prop)} ≈ {compact_iri(sub)}: {d}"
    return compact_iri(prop)
