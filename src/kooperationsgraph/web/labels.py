"""Labels, definitions, types and a normalised search index of every resource, built once per store
version (the store's version changes on every write, so the index is never stale)."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from ..namespaces import KG, sparql_prologue
from ..store.base import Backend

P = sparql_prologue()
Q_LABELS = P + """SELECT ?s ?l WHERE { ?s rdfs:label|skos:prefLabel ?l FILTER(isIRI(?s) && isLiteral(?l)) }"""
Q_DEFS = P + """SELECT ?s ?d WHERE { ?s skos:definition|rdfs:comment ?d FILTER(isIRI(?s)) }"""
Q_TYPES = P + """SELECT ?s ?t WHERE { ?s a ?t FILTER(isIRI(?s) && STRSTARTS(STR(?t), STR(kg:))) }"""
Q_SUPER = P + """SELECT ?c ?sup WHERE { ?c rdfs:subClassOf+ ?sup FILTER(isIRI(?sup)) }"""

#: Resource families for grouping (search results, lists), in priority order: a node typed both
#: Gemeinschaftsunternehmen and Energieunternehmen is listed as a cooperation.
FAMILIES = tuple(str(KG[c]) for c in (
    "Kooperation", "Akteur", "Mitgliedschaft", "Vereinbarung", "Rechtsakt", "Rechtsnorm", "Schwellenwert",
    "Staat", "Bundesland", "Kreis", "Gemeinde", "Sektor", "Versorgungsgut", "Versorgungskrise",
    "Zielsetzung", "Ergebnis", "Rolle", "FoederaleEbene", "Quelle"))


def normalise(text: str) -> str:
    """Case- and diacritics-insensitive form for matching.

    >>> normalise("Südwest-Straße")
    'sudwest-strasse'
    """
    text = text.casefold().replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass
class Entry:
    iri: str
    text: str
    lang: str
    key: str


@dataclass
class LabelIndex:
    version: str
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    definitions: dict[str, dict[str, str]] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    supers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    entries: list[Entry] = field(default_factory=list)

    def label(self, iri: str, lang: str) -> str | None:
        ls = self.labels.get(iri)
        if not ls:
            return None
        return ls.get(lang) or ls.get("de") or ls.get("en") or ls.get("") or next(iter(ls.values()))

    def definition(self, iri: str, lang: str) -> str | None:
        ds = self.definitions.get(iri)
        if not ds:
            return None
        return ds.get(lang) or ds.get("de") or ds.get("en") or ds.get("") or next(iter(ds.values()))

    def family(self, iri: str) -> str | None:
        """The first family (see FAMILIES) the resource belongs to, else its first kg: type."""
        types = self.types.get(iri, set())
        closure = set(types)
        for t in types:
            closure |= self.supers.get(t, set())
        for fam in FAMILIES:
            if fam in closure:
                return fam
        return min(types) if types else None

    def search(self, query: str, limit: int = 50) -> list[tuple[Entry, int]]:
        """Entries whose label contains the query (normalised); prefix and word-start matches rank first."""
        q = normalise(query.strip())
        if not q:
            return []
        seen: dict[str, tuple[Entry, int]] = {}
        for e in self.entries:
            pos = e.key.find(q)
            if pos < 0:
                continue
            rank = 0 if pos == 0 else (1 if not e.key[pos - 1].isalnum() else 2)
            old = seen.get(e.iri)
            if old is None or rank < old[1]:
                seen[e.iri] = (e, rank)
        hits = sorted(seen.values(), key=lambda h: (h[1], len(h[0].key), h[0].key))
        return hits[:limit] if limit else hits


def build_index(backend: Backend) -> LabelIndex:
    idx = LabelIndex(backend.version())
    for s, lit in backend.query(Q_LABELS).rows:
        lang = getattr(lit, "language", None) or ""
        idx.labels.setdefault(str(s), {}).setdefault(lang, str(lit))
        idx.entries.append(Entry(str(s), str(lit), lang, normalise(str(lit))))
    for s, d in backend.query(Q_DEFS).rows:
        idx.definitions.setdefault(str(s), {}).setdefault(getattr(d, "language", None) or "", str(d))
    for s, t in backend.query(Q_TYPES).rows:
        idx.types[str(s)].add(str(t))
    for c, sup in backend.query(Q_SUPER).rows:
        idx.supers[str(c)].add(str(sup))
    return idx


def label_index(backend: Backend) -> LabelIndex:
    """The app's index for the backend's current version (rebuilt after writes)."""
    from .extensions import versioned

    return versioned("labels", build_index, backend)
