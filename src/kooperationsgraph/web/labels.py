"""Labels, definitions, types and a normalised search index of every resource, built once per store
version (the store's version changes on every write, so the index is never stale)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..catalogue import app_query
from ..lang import pick
from ..namespaces import KG
from ..store.base import Backend
from .word_index import WORD, WordIndex

Q_LABELS = app_query("labels-namen")
Q_DEFS = app_query("labels-definitionen")
Q_TYPES = app_query("labels-typen")
Q_SUPER = app_query("labels-oberklassen")
#: The direct parent region of a resource (a Gemeinde in its Kreis, a Kreis in its Land), for descriptions.
Q_PARENTS = app_query("labels-lage")

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


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def transliterate(text: str) -> str:
    """The German spelling without umlauts, as typed on a keyboard without them ("muenchen").

    >>> transliterate("Münster-Hörde Straße")
    'muenster-hoerde strasse'
    """
    return normalise(text.casefold().translate(_UMLAUTS))


#: Legal-form words that do not make a name: "Trianel GmbH" is an exact hit for "Trianel".
LEGAL_FORMS = frozenset({"gmbh", "mbh", "ag", "kg", "kgaa", "se", "eg", "ev", "e", "v", "co", "ohg", "ug", "aor", "adr"})


def words(key: str) -> tuple[str, ...]:
    return tuple(WORD.findall(key))


def core_words(key: str) -> tuple[str, ...]:
    """The name's words without a parenthetical remark and without trailing legal-form words.

    >>> core_words("trianel gmbh (stadtwerke-kooperation)")
    ('trianel',)
    """
    ws = list(words(re.sub(r"\([^)]*\)", " ", key)))
    while len(ws) > 1 and ws[-1] in LEGAL_FORMS:
        ws.pop()
    return tuple(ws)


#: Match classes, best first.
EXACT, PHRASE_START, WORD_STARTS, CONTAINS = 0, 1, 2, 3


def match_rank(q: str, qwords: tuple[str, ...], key: str) -> int | None:
    """How well the normalised query matches a normalised label: the exact name, the label's beginning,
    every query word at the start of a label word (any order), every word inside the label; None: no match.

    >>> match_rank("edeka verbund", ("edeka", "verbund"), "edeka-verbund")
    0
    >>> match_rank("verbund edeka", ("verbund", "edeka"), "edeka nord im edeka-verbund")
    2
    """
    kw = words(key)
    if not qwords:
        return None
    if qwords == kw or qwords == core_words(key):
        return EXACT
    if kw[:len(qwords)] == qwords or key.startswith(q):
        return PHRASE_START
    if all(any(w.startswith(x) for w in kw) for x in qwords):
        return WORD_STARTS
    if all(x in key for x in qwords):
        return CONTAINS
    return None


@dataclass
class Entry:
    iri: str
    text: str
    lang: str
    key: str
    alt: str = ""  # the transliterated key ("muenchen"), when it differs


@dataclass
class LabelIndex:
    version: str
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    definitions: dict[str, dict[str, str]] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    supers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    entries: list[Entry] = field(default_factory=list)
    #: Words → entries (built with the index; rebuilt here if entries were added since).
    word_index: WordIndex | None = field(default=None, repr=False, compare=False)

    def vocabulary(self) -> WordIndex:
        if self.word_index is None or self.word_index.size != len(self.entries):
            self.word_index = WordIndex((e.key, e.alt) for e in self.entries)
        return self.word_index

    def label(self, iri: str, lang: str) -> str | None:
        ls = self.labels.get(iri)
        if not ls:
            return None
        return pick(ls, lang)

    def definition(self, iri: str, lang: str) -> str | None:
        ds = self.definitions.get(iri)
        if not ds:
            return None
        return pick(ds, lang)

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
        """Entries matching every word of the query (normalised, any order; "ue" also finds "ü"): exact names
        first, then label beginnings, word starts, substrings; ties by family (cooperations and actors before
        memberships and places), then the shorter label."""
        q = normalise(" ".join(query.split()))
        qwords = words(q)
        if not qwords:
            return []
        seen: dict[str, tuple[Entry, int]] = {}
        entries = self.entries
        for i in self.vocabulary().candidates(qwords):  # in entry order, as a scan of every entry would visit them
            e = entries[i]
            ranks = [r for r in (match_rank(q, qwords, k) for k in (e.key, e.alt) if k) if r is not None]
            if not ranks:
                continue
            rank = min(ranks)
            old = seen.get(e.iri)
            if old is None or (rank, len(e.key)) < (old[1], len(old[0].key)):
                seen[e.iri] = (e, rank)
        order = {f: i for i, f in enumerate(FAMILIES)}
        hits = sorted(seen.values(), key=lambda h: (h[1], order.get(self.family(h[0].iri) or "", 99),
                                                    len(h[0].key), h[0].key))
        return hits[:limit] if limit else hits

    def description(self, iri: str, lang: str) -> str:
        """One line for a search hit: the type, and the region it lies in ("Kreis in Nordrhein-Westfalen")."""
        fam = self.family(iri)
        kind = (self.label(fam, lang) or "") if fam else ""
        parent = self.parent(iri)
        where = (self.label(parent, lang) or "") if parent else ""
        pfam = self.family(parent) if parent else None
        if where and pfam and pfam not in (str(KG.Bundesland), str(KG.Staat)) and pfam != fam:
            where = f"{where} ({self.label(pfam, lang) or ''})"
        if kind and where:
            return f"{kind} in {where}"
        return kind or where or ""

    def parent(self, iri: str) -> str | None:
        """The nearest region the resource lies in (the Kreis of a Gemeinde rather than its Land)."""
        ps = {p for p in self.parents.get(iri, set()) if p in self.labels}
        nearest = sorted(p for p in ps if not any(p in self.parents.get(o, set()) for o in ps if o != p))
        return nearest[0] if nearest else None


def build_index(backend: Backend) -> LabelIndex:
    idx = LabelIndex(backend.version())
    for s, lit in backend.query(Q_LABELS).rows:
        lang = getattr(lit, "language", None) or ""
        idx.labels.setdefault(str(s), {}).setdefault(lang, str(lit))
        key, alt = normalise(str(lit)), transliterate(str(lit))
        idx.entries.append(Entry(str(s), str(lit), lang, key, alt if alt != key else ""))
    for s, d in backend.query(Q_DEFS).rows:
        idx.definitions.setdefault(str(s), {}).setdefault(getattr(d, "language", None) or "", str(d))
    for s, t in backend.query(Q_TYPES).rows:
        idx.types[str(s)].add(str(t))
    for c, sup in backend.query(Q_SUPER).rows:
        idx.supers[str(c)].add(str(sup))
    for s, parent in backend.query(Q_PARENTS).rows:
        idx.parents[str(s)].add(str(parent))
    idx.vocabulary()
    return idx


def _build_or_load(backend: Backend) -> LabelIndex:
    from .label_cache import cached

    here = Path(__file__).resolve().parent
    return cached(backend, build_index, [Q_LABELS, Q_DEFS, Q_TYPES, Q_SUPER, Q_PARENTS],
                  [here / "labels.py", here / "word_index.py"])


def label_index(backend: Backend) -> LabelIndex:
    """The app's index for the backend's current version (rebuilt after writes; kept on disk per version:
    :mod:`.label_cache`)."""
    from .extensions import versioned

    return versioned("labels", _build_or_load, backend)
