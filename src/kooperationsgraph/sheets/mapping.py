"""Rows → RDF: each data row of a sheet becomes one entity with a stable IRI (the IRI column; else an existing
entity with the same German name and seat, or for memberships the same cooperation and member; else a new
slug IRI in the data namespace), each cell its typed values. Every cell that cannot be read gets a note at
its address (``Vereinbarungen!D17``)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.term import Node

from ..namespaces import EXAMPLE, ID, KG
from .cells import Note, expand, match_choice, parse_literal, split_values
from .lookup import StoreIndex, name_key
from .model import Column, Profile, Sheet
from .reader import Workbook

IRI_KEY = "@id"
IRI_LABELS = {"iri", "@id", "iri (stabil)", "iri (stable)"}
UNIT = str(KG.Verwaltungseinheit)
_ARS = re.compile(r"\d{2}|\d{5}|\d{12}")


@dataclass(frozen=True)
class Cell:
    sheet: str
    row: int
    col: int  # 0-based

    @property
    def a1(self) -> str:
        return f"{self.sheet}!{get_column_letter(self.col + 1)}{self.row}"


@dataclass
class Row:
    sheet: Sheet
    number: int
    values: dict[str, tuple[int, object]]  # column key → (column index, raw value)
    subject: URIRef | None = None
    existing: bool = False

    def raw(self, key: str) -> object:
        return self.values.get(key, (0, None))[1]

    def cell(self, key: str) -> Cell:
        if key in self.values:
            return Cell(self.sheet.name, self.number, self.values[key][0])
        return self.first_cell()

    def first_cell(self) -> Cell:
        for key in ("rdfs:label@de", IRI_KEY):
            if key in self.values:
                return Cell(self.sheet.name, self.number, self.values[key][0])
        return Cell(self.sheet.name, self.number, min((i for i, _ in self.values.values()), default=0))


@dataclass
class Mapped:
    triples: dict[URIRef, dict[tuple[URIRef, Node], None]]  # subject → its (predicate, object) pairs, in order
    rows: list[Row]
    notes: list[tuple[Cell, Note]] = field(default_factory=list)
    covered: dict[URIRef, set[str]] = field(default_factory=lambda: defaultdict(set))  # subject → column keys
    type_scope: dict[URIRef, set[URIRef]] = field(default_factory=lambda: defaultdict(set))  # types a sheet owns
    cells: dict[tuple[URIRef, URIRef], Cell] = field(default_factory=dict)
    row_of: dict[URIRef, Row] = field(default_factory=dict)
    unknown_sheets: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[Cell, Note]]:
        return [(c, n) for c, n in self.notes if n.severity == "error"]


# ------------------------------------------------------------------------------------------ headers
def _header_map(sheet: Sheet, rows: list[tuple[int, list[object]]]) -> tuple[dict[str, int], int]:
    """Column key → index, from the key row (row 3 of the template) or else the German/English labels."""
    by_label: dict[str, str] = {IRI_KEY: IRI_KEY}
    for c in sheet.columns:
        by_label[c.key.casefold()] = c.key
        for label in (c.label_de, c.label_en):
            by_label.setdefault(label.casefold(), c.key)
    for lab in IRI_LABELS:
        by_label[lab] = IRI_KEY
    best: tuple[dict[str, int], int] = ({}, 0)
    for number, values in rows[:6]:
        found: dict[str, int] = {}
        for i, v in enumerate(values):
            if isinstance(v, str):
                key = by_label.get(v.strip().rstrip("*").strip().casefold())
                if key and key not in found:
                    found[key] = i
        if len(found) > len(best[0]) or (found and len(found) == len(best[0]) and number > best[1]):
            best = (found, number)
    return best


def rows_of(profile: Profile, wb: Workbook) -> tuple[list[Row], list[str]]:
    out: list[Row] = []
    unknown: list[str] = []
    for name, rows in wb.sheets.items():
        sheet = profile.sheet(name)
        if sheet is None:
            if not name.startswith("_") and name.casefold() not in {"listen", "lists", "hinweise", "readme"}:
                unknown.append(name)
            continue
        header, header_row = _header_map(sheet, rows)
        if not header:
            unknown.append(name)
            continue
        for number, values in rows:
            if number <= header_row:
                continue
            cells = {k: (i, values[i] if i < len(values) else None) for k, i in header.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for _, v in cells.values()):
                continue
            out.append(Row(sheet, number, cells))
    return out, unknown


# ------------------------------------------------------------------------------------------ IRIs
def slugify(text: str) -> str:
    t = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t[:60].rstrip("-") or "eintrag"


def _allowed_iri(iri: str) -> bool:
    return iri.startswith((ID, str(EXAMPLE)))


class Mapper:
    def __init__(self, profile: Profile, index: StoreIndex) -> None:
        self.profile = profile
        self.index = index
        self.local: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # cls → name → iris
        self.local_iris: set[str] = set()
        self.taken: set[str] = set()
        self._kinds: dict[URIRef, list[str]] = {}
        self._iris: dict[str, URIRef] = {}  # one URIRef per IRI: built (and checked by rdflib) once
        #: (column, value type, value) → (terms, notes) of a cell, for the value pass (whose inputs are settled)
        self._cells: dict[tuple[int, type, object], tuple[list[Node], list[Note]]] = {}

    def _iri(self, iri: str) -> URIRef:
        hit = self._iris.get(iri)
        if hit is None:
            hit = self._iris[iri] = URIRef(iri)
        return hit

    # -- references -------------------------------------------------------------------------------
    def _kinds_for(self, cls: URIRef) -> list[str]:
        """The sheet classes a reference of range ``cls`` may point to (a class and the sheets below it)."""
        cached = self._kinds.get(cls)
        if cached is None:
            cached = [str(cls)] + [str(s.cls) for s in self.profile.sheets if str(s.cls) != str(cls) and
                                   (s.cls, RDFS.subClassOf, cls) in self.profile.context]
            self._kinds[cls] = cached
        return cached

    def resolve(self, cls: URIRef, text: str) -> tuple[URIRef | None, Note | None]:
        if str(cls) == UNIT and _ARS.fullmatch(text.strip()):
            iri = self.index.unit_by_ars(text.strip())
            if iri:
                return self._iri(iri), None
            return None, Note("error", f"Kein Gebiet mit dem ARS „{text}“ im Graphen.",
                              f"no area with the ARS “{text}” in the graph.")
        full = expand(text)
        if full is not None:
            if full in self.local_iris or any(full in self.index.kind(k).iris for k in self._kinds_for(cls)):
                return self._iri(full), None
            return None, Note("error", f"„{text}“ ist weder im Graphen noch in dieser Arbeitsmappe erfasst.",
                              f"“{text}” is neither in the graph nor in this workbook.")
        key = name_key(text)
        hits: set[str] = set()
        for k in self._kinds_for(cls):
            hits |= self.local[k].get(key, set())
        if not hits:
            for k in self._kinds_for(cls):
                hits |= self.index.kind(k).by_name.get(key, set())
        if len(hits) == 1:
            return self._iri(next(iter(hits))), None
        if not hits:
            return None, Note("error", f"Kein Eintrag mit dem Namen „{text}“ gefunden; geben Sie den genauen deutschen "
                              "Namen, die IRI oder (für Gebiete) den ARS an.",
                              f"no entry named “{text}” found; give the exact German name, the IRI or (for areas) the ARS.")
        some = ", ".join(sorted(hits)[:3])
        return None, Note("error", f"Der Name „{text}“ ist mehrdeutig ({len(hits)} Treffer, z. B. {some}); geben Sie die "
                          "IRI oder den ARS an.",
                          f"the name “{text}” is ambiguous ({len(hits)} matches, e.g. {some}); give the IRI or the ARS.")

    # -- identity ---------------------------------------------------------------------------------
    def _new_iri(self, sheet: Sheet, base: str) -> URIRef:
        stem = f"{ID}{sheet.slug}/{slugify(base)}"
        iri, n = stem, 2
        while iri in self.taken or iri in self.index.kind(str(sheet.cls)).iris:
            iri, n = f"{stem}-{n}", n + 1
        return self._iri(iri)

    def identify(self, row: Row, m: Mapped) -> None:
        sheet = row.sheet
        raw_iri = row.raw(IRI_KEY)
        name = str(row.raw("rdfs:label@de") or "").strip()
        kind = self.index.kind(str(sheet.cls)) if (raw_iri or name) else None
        if raw_iri is not None and str(raw_iri).strip():
            full = expand(str(raw_iri))
            if full is None or not _allowed_iri(full):
                m.notes.append((row.cell(IRI_KEY), Note(
                    "error", f"„{raw_iri}“ ist keine IRI dieses Graphen ({ID}… oder {EXAMPLE}…).",
                    f"“{raw_iri}” is not an IRI of this graph ({ID}… or {EXAMPLE}…).")))
                return
            row.subject, row.existing = self._iri(full), bool(kind and full in kind.iris)
        elif name:
            seat_text = row.raw("kg:sitz")
            seat = None
            if seat_text is not None and str(seat_text).strip():
                seat, _ = self.resolve(KG.Verwaltungseinheit, str(seat_text).strip())
            assert kind is not None
            same = {s for s in kind.by_name.get(name_key(name), set())
                    if seat is None or str(seat) in kind.seats.get(s, set()) or not kind.seats.get(s)}
            if len(same) == 1:
                row.subject, row.existing = self._iri(next(iter(same))), True
            else:
                row.subject = self._new_iri(sheet, name)
        else:
            return  # identified in the second pass (memberships, supply relations)
        self._register(row, m)

    def identify_by_refs(self, row: Row, m: Mapped) -> None:
        """Rows without a name: memberships by (cooperation, member), supply relations by supplier and good."""
        keys = [c.key for c in row.sheet.columns if c.required and c.kind == "ref"]
        parts: list[URIRef] = []
        for key in keys:
            col = row.sheet.column(key)
            raw = row.raw(key)
            if col is None or raw is None or not str(raw).strip() or col.range is None:
                return
            choice = match_choice(col.choices, str(raw)) if col.choices else None
            term, note = (choice.term, None) if choice else self.resolve(col.range, str(raw).strip())
            if term is None:
                if note is not None:
                    m.notes.append((row.cell(key), note))
                return
            parts.append(term)
        if not parts:
            return
        slug = "-".join(str(p).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] for p in parts)
        stem = self._iri(f"{ID}{row.sheet.slug}/{slugify(slug)}")
        if str(stem) in self.index.kind(str(row.sheet.cls)).iris and str(stem) not in self.taken:
            row.subject, row.existing = stem, True  # the same pair gives the same slug
        else:
            row.subject = self._new_iri(row.sheet, slug)
        self._register(row, m)

    def _register(self, row: Row, m: Mapped) -> None:
        assert row.subject is not None
        s = str(row.subject)
        if s in self.taken and m.row_of.get(row.subject) is not None and m.row_of[row.subject].sheet is row.sheet:
            m.notes.append((row.first_cell(), Note("error", f"Zeile beschreibt denselben Eintrag wie Zeile "
                                                   f"{m.row_of[row.subject].number} (<{s}>).",
                                                   f"row describes the same entry as row {m.row_of[row.subject].number} "
                                                   f"(<{s}>).")))
        self.taken.add(s)
        self.local_iris.add(s)
        m.row_of.setdefault(row.subject, row)
        name = row.raw("rdfs:label@de")
        if name is not None and str(name).strip():
            self.local[str(row.sheet.cls)][name_key(str(name))].add(s)

    # -- values -----------------------------------------------------------------------------------
    def values(self, row: Row, col: Column, m: Mapped) -> list[Node]:
        """The terms of a cell; its notes go to ``m`` at the cell. Called only once every row is identified
        (what a value means then depends on the column and the value alone), so equal cells of a column are
        read once: remembered for strings and integers (equal floats or datetimes may differ, -0.0 and 0.0)."""
        raw = row.raw(col.key)
        key = (id(col), type(raw), raw)
        hit = self._cells.get(key) if type(raw) in (str, int) else None
        if hit is None:
            hit = self._read_cell(col, raw)
            if type(raw) in (str, int):
                self._cells[key] = hit
        out, notes = hit
        if notes:
            cell = row.cell(col.key)
            m.notes.extend((cell, note) for note in notes)
        return list(out)

    def _read_cell(self, col: Column, raw: object) -> tuple[list[Node], list[Note]]:
        out: list[Node] = []
        notes: list[Note] = []
        for part in split_values(col, raw):
            term, note = self.value(col, part)
            if note is not None:
                notes.append(note)
            if term is not None:
                out.append(term)
        if col.lang and len(out) > 1:
            notes.append(Note("error", "Hier ist nur ein Wert erlaubt.", "only one value is allowed here."))
        return out, notes

    def value(self, col: Column, raw: object) -> tuple[Node | None, Note | None]:
        text = str(raw).strip() if isinstance(raw, str) else raw
        if col.kind == "text":
            return Literal(str(text), lang=col.lang) if col.lang else Literal(str(text)), None
        if col.kind == "literal":
            if col.choices and isinstance(text, str):
                c = match_choice(col.choices, text)
                if c is not None:
                    return Literal(str(c.term).rsplit("#", 1)[-1], datatype=URIRef(col.datatypes[0])), None
            return parse_literal(col, raw)
        if col.kind == "source":
            full = expand(str(text))
            return (URIRef(full) if full else Literal(str(text))), None
        if col.kind == "iri":
            full = expand(str(text))
            if full is None:
                return None, Note("error", f"„{text}“ ist keine gültige URL (https://…).", f"“{text}” is not a valid URL (https://…).")
            return URIRef(full), None
        if col.choices:
            c = match_choice(col.choices, str(text))
            if c is not None:
                return c.term, None
            full = expand(str(text))
            if col.kind == "type" and full is not None and (URIRef(full), None, None) in self.profile.context:
                return URIRef(full), None
            if col.kind == "ref" and col.range is not None:  # a concept of the scheme recorded in the data
                term, _note = self.resolve(col.range, str(text))
                if term is not None:
                    return term, None
            shown = ", ".join(ch.de for ch in col.choices[:8]) + (" …" if len(col.choices) > 8 else "")
            return None, Note("error", f"„{text}“ steht nicht in der Auswahlliste ({shown}).",
                              f"“{text}” is not in the pick-list ({shown}).")
        if col.kind == "ref" and col.range is not None:
            return self.resolve(col.range, str(text))
        return Literal(str(text)), None


def map_rows(profile: Profile, wb: Workbook, index: StoreIndex) -> Mapped:
    """Turn the workbook's rows into one graph of new descriptions (only the columns the sheets have)."""
    rows, unknown = rows_of(profile, wb)
    m = Mapped({}, rows, unknown_sheets=unknown)
    mapper = Mapper(profile, index)
    scopes: dict[str, set[URIRef]] = {}  # sheet → the types its rows may carry
    named = [r for r in rows if r.raw(IRI_KEY) is not None or r.raw("rdfs:label@de") is not None]
    for r in named:
        mapper.identify(r, m)
    for r in rows:
        if r.subject is None and r.raw(IRI_KEY) is None:
            mapper.identify_by_refs(r, m)
    for r in rows:
        if r.subject is None:
            if not any(c for c, _ in m.notes if c.sheet == r.sheet.name and c.row == r.number):
                m.notes.append((r.first_cell(), Note(
                    "error", "Die Zeile hat weder IRI noch Namen noch die Pflichtangaben, an denen sie erkannt wird.",
                    "the row has neither an IRI nor a name nor the required values it is identified by.")))
            continue
        s = r.subject
        m.covered[s] |= {k for k in r.values if k != IRI_KEY}
        scope = scopes.get(r.sheet.name)
        if scope is None:
            scope = scopes[r.sheet.name] = {c.term for col in r.sheet.columns if col.kind == "type"
                                            for c in col.choices} | {r.sheet.cls}
        m.type_scope[s] |= scope
        own = m.triples.setdefault(s, {})
        if r.sheet.fixed_type is not None and not r.existing:  # an existing entry keeps its (sub)class
            own[(RDF.type, r.sheet.fixed_type)] = None
            m.type_scope[s].add(r.sheet.fixed_type)
        for col in r.sheet.columns:
            cell = r.values.get(col.key)
            if cell is None:
                continue
            raw = cell[1]
            if (raw is None or isinstance(raw, str) and not raw.strip()) and col.kind != "type":
                continue  # an empty cell: no value, nothing to say
            vals = mapper.values(r, col, m)
            if col.kind == "type" and not vals and not r.existing:
                vals = [r.sheet.cls]  # so that the rules see the entity (and ask for its specific kind)
            for v in vals:
                own[(col.path, v)] = None
            if vals and (s, col.path) not in m.cells:
                m.cells[(s, col.path)] = r.cell(col.key)
    return m
