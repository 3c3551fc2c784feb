"""The import: a workbook from outside → rows → RDF → what it changes in the store (added and removed triples,
only for the columns the workbook has) → validated with the project's rules together with the store's
descriptions of the entities it touches → every problem at its cell, in the same German and English sentences
as ``kooperationsgraph validate``, with the rule's fix hint."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from ..config import Settings
from ..namespaces import ID, KG
from ..store.base import Backend
from . import index_cache
from .check import Triples, validate_both
from .gc_pause import fewer_collections
from .lookup import Describer, Description, StoreIndex
from .mapping import Cell, Mapped, map_rows
from .model import load_profile
from .reader import Workbook, read

NUMERIC = {str(XSD.decimal), str(XSD.integer), str(XSD.double), str(XSD.float)}
PLAIN = {None, XSD.string}
SEVERITY_ORDER = {"error": 0, "Violation": 1, "Warning": 2, "Info": 3}


@dataclass
class Problem:
    """One problem, at its cell (``cell`` empty for the workbook as a whole)."""

    cell: str
    severity: str  # error (cell cannot be read) | Violation | Warning | Info
    rule: str | None
    de: str
    en: str
    hint_de: str = ""
    hint_en: str = ""

    def text(self, lang: str) -> str:
        msg = self.de if lang == "de" else self.en
        hint = self.hint_de if lang == "de" else self.hint_en
        head = f"{self.cell}: " if self.cell else ""
        rule = f"[{self.rule}] " if self.rule else ""
        out = f"{head}{rule}{msg}"
        if hint:
            out += ("\n    → Was zu tun ist: " if lang == "de" else "\n    → What to do: ") + hint
        return out


Triple = tuple[URIRef, URIRef, Node]


@dataclass
class ImportResult:
    source: str
    rows: int
    new: list[str]
    changed: list[str]
    added: set[Triple]
    removed: set[Triple]
    problems: list[Problem] = field(default_factory=list)

    def graphs(self) -> tuple[Graph, Graph]:
        """Added and removed triples as rdflib graphs (what :func:`kooperationsgraph.changes.submit` takes)."""
        added, removed = Graph(), Graph()
        for t in self.added:
            added.add(t)
        for t in self.removed:
            removed.add(t)
        return added, removed

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    def fails(self, strict: bool = False) -> bool:
        bad = {"error", "Violation"} | ({"Warning"} if strict else set())
        return any(p.severity in bad for p in self.problems)

    @property
    def unchanged(self) -> bool:
        return len(self.added) == 0 and len(self.removed) == 0

    def summary(self, lang: str) -> str:
        if lang == "de":
            change = "keine Änderung" if self.unchanged else \
                f"{len(self.new)} neue und {len(self.changed)} geänderte Einträge, " \
                f"+{len(self.added)} / −{len(self.removed)} Tripel"
            return (f"{self.source}: {self.rows} Zeilen, {change}; {self.count('error')} unlesbare Zellen, "
                    f"{self.count('Violation')} Verstöße, {self.count('Warning')} Warnungen.")
        change = "no change" if self.unchanged else \
            f"{len(self.new)} new and {len(self.changed)} changed entries, " \
            f"+{len(self.added)} / −{len(self.removed)} triples"
        return (f"{self.source}: {self.rows} rows, {change}; {self.count('error')} unreadable cells, "
                f"{self.count('Violation')} violations, {self.count('Warning')} warnings.")

    def to_text(self, lang: str = "de") -> str:
        lines = [self.summary(lang)]
        lines += [p.text(lang) for p in self.problems]
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict[str, object]:
        return {"source": self.source, "rows": self.rows, "new": self.new, "changed": self.changed,
                "added": len(self.added), "removed": len(self.removed), "unchanged": self.unchanged,
                "counts": {k: self.count(k) for k in SEVERITY_ORDER},
                "problems": [asdict(p) for p in self.problems]}

    def to_json(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, indent=1)


# ------------------------------------------------------------------------------------------ diff
def same_value(a: Node, b: Node) -> bool:
    if a == b:
        return True
    if not (isinstance(a, Literal) and isinstance(b, Literal)):
        return False
    if a.language or b.language:
        return str(a) == str(b) and (a.language == b.language or not a.language or not b.language)
    if a.datatype in PLAIN and b.datatype in PLAIN:
        return str(a) == str(b)
    if str(a.datatype) in NUMERIC and a.datatype == b.datatype:
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except InvalidOperation:
            return False
    return a.datatype == b.datatype and str(a) == str(b)


def _coverage(m: Mapped, s: URIRef, rows: list) -> tuple[set[tuple[URIRef, str | None]], set[URIRef]]:
    """(predicate, language) pairs the workbook's columns cover for a subject (language None: any value)."""
    covered: set[tuple[URIRef, str | None]] = set()
    for r in rows:
        if r.sheet.fixed_type is not None and not r.existing:
            covered.add((RDF.type, None))
        for key in m.covered[s]:
            col = r.sheet.column(key)
            if col is not None:
                covered.add((col.path, col.lang))
    return covered, m.type_scope[s]


def _covered(cov: tuple[set[tuple[URIRef, str | None]], set[URIRef]], p: URIRef, o: Node) -> bool:
    pairs, scope = cov
    if p == RDF.type:
        return (p, None) in pairs and o in scope
    if (p, None) in pairs:
        return True
    return isinstance(o, Literal) and o.language is not None and (p, o.language) in pairs


def diff(m: Mapped, existing: dict[str, Description]) -> tuple[set[Triple], set[Triple]]:
    """Added and removed triples; for an existing entity only within the columns the workbook has."""
    added: set[Triple] = set()
    removed: set[Triple] = set()
    by_subject: dict[URIRef, list] = {}
    for r in m.rows:
        if r.subject is not None:
            by_subject.setdefault(r.subject, []).append(r)
    for s, rows in by_subject.items():
        cov = _coverage(m, s, rows)
        old = [(p, o) for p, o, _g in existing.get(str(s), []) if _covered(cov, p, o)]
        new = list(m.triples.get(s, {}))
        for p, o in new:
            if not any(pp == p and same_value(oo, o) for pp, oo in old):
                added.add((s, p, o))
        for p, o in old:
            if not any(pp == p and same_value(o, oo) for pp, oo in new):
                removed.add((s, p, o))
    return added, removed


# ------------------------------------------------------------------------------------------ run
def _context_subjects(m: Mapped, described: dict[str, Description], rows: set[str]) -> set[str]:
    refs = {str(o) for pairs in m.triples.values() for _p, o in pairs if isinstance(o, URIRef) and str(o).startswith(ID)}
    for desc in described.values():
        refs |= {str(o) for _p, o, _g in desc if isinstance(o, URIRef) and str(o).startswith(ID)}
    kinds = ("akteur/", "kooperation/", "vereinbarung/", "mitgliedschaft/", "versorgung/")
    return {r for r in refs - rows - set(described) if r[len(ID):].startswith(kinds)}


def import_workbook(wb: Workbook, settings: Settings, backend: Backend | None,
                    index: StoreIndex | None = None) -> tuple[ImportResult, Mapped]:
    profile = load_profile(settings)
    index = index or StoreIndex(backend)
    m = map_rows(profile, wb, index)
    subjects = {str(r.subject) for r in m.rows if r.subject is not None}
    existing_subjects = {str(r.subject) for r in m.rows if r.subject is not None and r.existing}
    describe = Describer(backend)
    existing = describe(existing_subjects)
    added, removed = diff(m, existing)
    hop1 = describe(_context_subjects(m, existing, subjects))
    hop2 = describe(_context_subjects(m, {**existing, **hop1}, subjects))
    data: dict[Triple, None] = {}
    for desc in (existing, hop1, hop2):
        for s, triples in desc.items():
            for p, o, _g in triples:
                data[(URIRef(s), p, o)] = None
    for t in removed:
        data.pop(t, None)
    for t in added:
        data[t] = None
    problems = [Problem(c.a1, "error" if n.severity == "error" else "Info", None, n.de, n.en) for c, n in m.notes]
    problems += [Problem("", "error", None, f"Blatt „{name}“ gehört nicht zur Vorlage; es wurde nicht gelesen.",
                         f"sheet “{name}” is not part of the template; it was not read.") for name in m.unknown_sheets]
    problems += _findings(m, Triples(data), settings, subjects)
    problems.sort(key=lambda p: (SEVERITY_ORDER.get(p.severity, 9), _cell_order(p.cell)))
    changed = {str(s) for s, _p, _o in added} | {str(s) for s, _p, _o in removed}
    new = sorted(s for s in subjects - existing_subjects if s in changed)
    result = ImportResult(wb.source, len(m.rows), new, sorted(changed - set(new)), added, removed, problems)
    return result, m


def _cell_order(a1: str) -> tuple[str, int, str]:
    sheet, _, ref = a1.partition("!")
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdigit())
    return sheet, int(digits or 0), f"{len(letters):02d}{letters}"


def _findings(m: Mapped, data: Triples, settings: Settings, subjects: set[str]) -> list[Problem]:
    if not subjects:
        return []
    out: list[Problem] = []
    for de, en in validate_both(data, settings):
        if de.focus not in subjects:
            continue
        s = URIRef(de.focus)
        row = m.row_of[s]
        cell: Cell | None = None
        if de.path:
            p = URIRef(de.path)
            cell = m.cells.get((s, p))
            if cell is None:
                col = next((c for c in row.sheet.columns if c.path == p and c.lang in (None, "de")), None)
                if col is not None and col.key in row.values:
                    cell = row.cell(col.key)
        cell = cell or row.first_cell()
        out.append(Problem(cell.a1, de.severity, de.rule, de.message, en.message, de.hint or "", en.hint or ""))
    return out


def import_file(payload: bytes, filename: str, settings: Settings, backend: Backend | None) -> ImportResult:
    """Read (through the parse gate), map and validate a workbook; nothing is written."""
    with fewer_collections():
        return _import_file(payload, filename, settings, backend)


def _import_file(payload: bytes, filename: str, settings: Settings, backend: Backend | None) -> ImportResult:
    index = StoreIndex(backend)
    kinds = [str(s.cls) for s in load_profile(settings).sheets] + [str(KG.Verwaltungseinheit)]
    cache, key = settings.var_dir / "cache", index_cache.store_key(backend)
    if key is not None and index_cache.load(cache, key, index, kinds):
        with index.preloading([]):  # the store's first query (it starts a query worker) while the workbook is read
            wb = read(payload, filename, settings)
    else:
        with index.preloading(kinds):  # the store's entities are fetched while the workbook is read
            wb = read(payload, filename, settings)
        if key is not None and index_cache.store_key(backend) == key:  # no write in between
            index_cache.save(cache, key, index)
    known = len(index.units_by_ars)
    result = import_workbook(wb, settings, backend, index)[0]
    if key is not None and len(index.units_by_ars) != known and index_cache.store_key(backend) == key:
        index_cache.save(cache, key, index)  # with the new ARS answers
    return result
