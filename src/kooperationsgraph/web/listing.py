"""The rows of a big list (instances of classes), built once per store version and language and kept
sorted by German collation (DIN 5007-1: "Ä" files with "A", "ß" as "ss"), with the columns and facet
values the list pages show: type, sector, level, Kreis, Land and population. Requests only filter, count
and slice the cached rows; nothing a user types ever reaches a query."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain

from ..catalogue import app_query
from ..namespaces import KG
from ..store.base import Backend
from .labels import LabelIndex, label_index, normalise, transliterate, words

Q_MEMBERS = app_query("liste-instanzen")
#: Facet values per member; the facet property and the class are bound, never pasted.
Q_FACET = app_query("liste-facette")
Q_POPULATION = app_query("resilienz-einwohner")
FACET_PROPS = {"sektor": KG.sektor, "ebene": KG.ebene}
#: Where a non-region member is: its seat, and for cooperations also the area they cover.
PLACE_PROPS = (KG.sitz, KG.abdeckung)
FACETS = ("typ", "sektor", "ebene", "land", "kreis")
MEMO = 512
LAND, KREIS = str(KG.Bundesland), str(KG.Kreis)


def collation_key(text: str) -> tuple[str, str]:
    """German dictionary order: umlauts and ß sort with their base letters, case only breaks ties.

    >>> sorted(["Zell", "Über", "Ulm", "Ärzte", "Aachen", "Straße", "Strasburg"], key=collation_key)
    ['Aachen', 'Ärzte', 'Strasburg', 'Straße', 'Über', 'Ulm', 'Zell']
    """
    return normalise(text), text


def initial(key: str) -> str:
    """The A–Z index letter of a collation key ("#" for digits and other scripts)."""
    c = key[:1].upper()
    return c if "A" <= c <= "Z" else "#"


@dataclass
class Row:
    iri: str
    label: str
    key: tuple[str, str]
    letter: str
    search: str
    types: set[str] = field(default_factory=set)
    facets: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    population: int | None = None

    def first(self, facet: str) -> str | None:
        values = self.facets.get(facet)
        return min(values) if values else None


@dataclass
class ListData:
    rows: list[Row]
    columns: tuple[str, ...]
    #: Facet counts per (other filters, filter words), bounded: the unfiltered list's are computed once.
    counts: dict[tuple, Counter[str]] = field(default_factory=dict)


def _regions(idx: LabelIndex, place: str, family: str, include_self: bool) -> set[str]:
    cands = set(idx.parents.get(place, set())) | ({place} if include_self else set())
    return {p for p in cands if idx.family(p) == family}


def build(backend: Backend, classes: tuple[str, ...], lang: str) -> ListData:
    idx = label_index(backend)
    rows: dict[str, Row] = {}
    for c in classes:
        cls = {"c": KG[c]}
        for x, t in backend.query(Q_MEMBERS, bindings=cls).rows:
            r = rows.get(str(x))
            if r is None:
                text = idx.label(str(x), lang) or str(x).rsplit("/", 1)[-1]
                key = collation_key(text)
                r = rows[str(x)] = Row(str(x), text, key, initial(key[0]), key[0] + " " + transliterate(text))
            r.types.add(str(t))
            r.facets["typ"].add(str(t))
        for name, prop in FACET_PROPS.items():
            for x, v in backend.query(Q_FACET, bindings={**cls, "prop": prop}).rows:
                if str(x) in rows:
                    rows[str(x)].facets[name].add(str(v))
        places: dict[str, set[str]] = defaultdict(set)
        for prop in PLACE_PROPS:
            for x, v in backend.query(Q_FACET, bindings={**cls, "prop": prop}).rows:
                places[str(x)].add(str(v))
        for iri, r in rows.items():
            r.facets["land"] |= _regions(idx, iri, LAND, False)
            r.facets["kreis"] |= _regions(idx, iri, KREIS, False)
            for p in places.get(iri, ()):
                r.facets["land"] |= _regions(idx, p, LAND, True)
                r.facets["kreis"] |= _regions(idx, p, KREIS, True)
    population = {str(g): int(n) for g, n, _ in backend.query(Q_POPULATION).rows}  # type: ignore[arg-type]
    for iri, r in rows.items():
        r.population = population.get(iri)
    ordered = sorted(rows.values(), key=lambda r: r.key)
    columns = tuple(c for c, present in (
        ("kreis", any(r.facets.get("kreis") for r in ordered)),
        ("land", any(r.facets.get("land") for r in ordered)),
        ("einwohner", any(r.population is not None for r in ordered))) if present)
    return ListData(ordered, columns)


def list_data(classes: tuple[str, ...], lang: str) -> ListData:
    """The sorted rows for the classes and language, cached per store version (see ``versioned``)."""
    from .extensions import versioned

    return versioned(f"list:{lang}:{','.join(classes)}", lambda b: build(b, classes, lang))


def matches(row: Row, qwords: tuple[str, ...]) -> bool:
    return all(w in row.search for w in qwords)


def query_words(q: str) -> tuple[str, ...]:
    """The filter box's words, normalised like the labels (umlauts, ß, case; "ue" also finds "ü")."""
    return words(normalise(" ".join(q.split())[:200]))


def select(rows: list[Row], active: dict[str, str], qwords: tuple[str, ...], skip: str | None = None) -> list[Row]:
    """Rows passing the text filter and every active facet except ``skip`` (for that facet's counts)."""
    out = rows
    if qwords:
        out = [r for r in out if matches(r, qwords)]
    for k, v in active.items():
        if k != skip:
            out = [r for r in out if v in r.facets.get(k, ())]
    return out


def facet_counts(data: ListData, active: dict[str, str], qwords: tuple[str, ...]) -> dict[str, Counter[str]]:
    """Per facet, the value counts among the rows that pass the other filters (the usual faceted search),
    memoised on the list data (at most ``MEMO`` filter combinations per store version)."""
    counts: dict[str, Counter[str]] = {}
    for k in FACETS:
        memo = (k, tuple(sorted((f, v) for f, v in active.items() if f != k)), qwords)
        c = data.counts.get(memo)
        if c is None:
            rows = select(data.rows, active, qwords, skip=k)
            c = Counter(chain.from_iterable(r.facets.get(k, ()) for r in rows))
            if len(data.counts) >= MEMO:
                data.counts.clear()
            data.counts[memo] = c
        counts[k] = c
    return counts


def letter_pages(rows: list[Row], page_size: int) -> dict[str, int]:
    """The page on which each A–Z letter starts (rows in collation order)."""
    pages: dict[str, int] = {}
    for i, r in enumerate(rows):
        pages.setdefault(r.letter, i // page_size + 1)
    return pages
