"""One cell ↔ RDF terms: reading what people type into a spreadsheet (German number and date formats, ja/nein,
pick-list labels) and writing terms back as cell text. Every value that cannot be read, and every value read in
a way worth saying (``310.000`` → 310000), gives a :class:`Note` in German and English."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from ..namespaces import PREFIXES
from ..sparql.terms import is_iri
from .model import Choice, Column, compact

XSD_BOOLEAN = str(XSD.boolean)
XSD_DECIMAL = str(XSD.decimal)
XSD_INTEGER = str(XSD.integer)
XSD_DATE = str(XSD.date)
XSD_GYEAR = str(XSD.gYear)
XSD_GYEARMONTH = str(XSD.gYearMonth)
TRUE = {"ja", "j", "yes", "y", "true", "wahr", "1", "x"}
FALSE = {"nein", "n", "no", "false", "falsch", "0"}


@dataclass(frozen=True)
class Note:
    """What the import says about one cell: ``error`` (the value is not taken) or ``info`` (how it was read)."""

    severity: str
    de: str
    en: str

    def text(self, lang: str) -> str:
        return self.de if lang == "de" else self.en


_LINES = re.compile(r"\s*\n\s*")
_SEMICOLONS = re.compile(r"\s*;\s+|\s*;$")
_IRI_SCHEME = re.compile(r"^(https?|urn):")


def split_values(col: Column, raw: object) -> list[object]:
    """The values of one cell: several lines (or ``; `` for codes and references) when the column allows it."""
    if raw is None:
        return []
    if not isinstance(raw, str):
        return [raw]
    text = raw.strip()
    if not text:
        return []
    if col.kind == "text" or (not col.multi and "\n" not in text):
        return [text]
    parts = _LINES.split(text)
    if col.multi and col.kind in {"ref", "type"}:
        parts = [p for part in parts for p in _SEMICOLONS.split(part)]
    return [p.strip() for p in parts if p.strip()]


# ------------------------------------------------------------------------------------------ literals
_DE_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_DE_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
_EN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_UNIT = re.compile(r"\s*(€|EUR|Euro|%|Prozent)\s*$", re.I)


def _number(text: str) -> tuple[Decimal | None, str | None]:
    """A number as people write it; returns (value, how it was read if not plainly)."""
    t = text.strip().replace("\u00a0", " ")
    how = None
    m = _UNIT.search(t)
    if m:
        t = t[: m.start()].strip()
        how = "unit"
    t_nospace = t.replace(" ", "")
    if t_nospace != t and re.fullmatch(r"[+-]?\d{1,3}( \d{3})+(,\d+)?", t):
        t, how = t_nospace.replace(",", "."), "space"
    elif _DE_THOUSANDS.match(t):
        t, how = t.replace(".", "").replace(",", "."), "de-thousands"
    elif _DE_DECIMAL.match(t):
        t, how = t.replace(",", "."), "de-comma"
    elif _EN_THOUSANDS.match(t) and "." in t:
        t, how = t.replace(",", ""), "en-thousands"
    elif not _PLAIN.match(t):
        return None, None
    try:
        return Decimal(t), how
    except InvalidOperation:
        return None, None


def _plain(d: Decimal) -> str:
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


_HOW = {
    "de-thousands": ("deutsche Schreibweise: Punkt als Tausendertrennzeichen",
                     "German notation: dot as thousands separator"),
    "de-comma": ("deutsche Schreibweise: Komma als Dezimalzeichen", "German notation: comma as decimal separator"),
    "en-thousands": ("englische Schreibweise: Komma als Tausendertrennzeichen",
                     "English notation: comma as thousands separator"),
    "space": ("Leerzeichen als Tausendertrennzeichen", "space as thousands separator"),
    "unit": ("die Einheit wurde weggelassen", "the unit was dropped"),
}


def _read_note(raw: str, value: str, how: str) -> Note:
    de, en = _HOW[how]
    return Note("info", f"Wert „{raw}“ gelesen als {value} ({de}).", f"value “{raw}” read as {value} ({en}).")


def _bad(raw: object, de: str, en: str) -> Note:
    return Note("error", f"Wert „{raw}“ ist {de}.", f"value “{raw}” is {en}.")


def parse_decimal(raw: object, integer: bool) -> tuple[Literal | None, Note | None]:
    dt = XSD.integer if integer else XSD.decimal
    if isinstance(raw, bool):
        return None, _bad(raw, "keine Zahl", "not a number")
    if isinstance(raw, int):
        return Literal(str(raw), datatype=dt), None
    if isinstance(raw, float):
        d = Decimal(repr(raw))
        if integer and d != d.to_integral_value():
            return None, _bad(raw, "keine ganze Zahl", "not a whole number")
        return Literal(_plain(d) if not integer else str(int(d)), datatype=dt), None
    text = str(raw).strip()
    d, how = _number(text)
    if d is None:
        return None, _bad(text, "keine Zahl (erwartet z. B. 310000, 310.000 oder 16,5)",
                          "not a number (expected e.g. 310000, 310.000 or 16,5)")
    if integer and d != d.to_integral_value():
        return None, _bad(text, "keine ganze Zahl", "not a whole number")
    value = str(int(d)) if integer else _plain(d)
    return Literal(value, datatype=dt), (_read_note(text, value, how) if how else None)


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DE_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_YM = re.compile(r"^(?:(\d{1,2})[./](\d{4})|(\d{4})-(\d{1,2}))$")
_YEAR = re.compile(r"^\d{4}$")


def parse_date(raw: object, allowed: tuple[str, ...]) -> tuple[Literal | None, Note | None]:
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        if XSD_DATE in allowed:
            return Literal(raw.isoformat(), datatype=XSD.date), None
        raw = str(raw.year)
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    text = str(raw).strip()
    m = _ISO.match(text) or _DE_DATE.match(text)
    if m:
        y, mo, d = (int(m[1]), int(m[2]), int(m[3])) if m.re is _ISO else (int(m[3]), int(m[2]), int(m[1]))
        try:
            value = date(y, mo, d)
        except ValueError:
            return None, _bad(text, f"kein gültiges Datum (den {d}.{mo}.{y} gibt es nicht)",
                              f"not a valid date (there is no {y}-{mo:02d}-{d:02d})")
        if XSD_DATE not in allowed:
            return None, _bad(text, "hier nicht erlaubt: erwartet wird ein Jahr (JJJJ)",
                              "not allowed here: a year (YYYY) is expected")
        note = None if m.re is _ISO else Note("info", f"Datum „{text}“ gelesen als {value.isoformat()}.",
                                              f"date “{text}” read as {value.isoformat()}.")
        return Literal(value.isoformat(), datatype=XSD.date), note
    m = _YM.match(text)
    if m and XSD_GYEARMONTH in allowed:
        y, mo = (int(m[2]), int(m[1])) if m[1] else (int(m[3]), int(m[4]))
        if not 1 <= mo <= 12:
            return None, _bad(text, "kein gültiger Monat", "not a valid month")
        return Literal(f"{y:04d}-{mo:02d}", datatype=XSD.gYearMonth), None
    if _YEAR.match(text) and XSD_GYEAR in allowed:
        return Literal(text, datatype=XSD.gYear), None
    forms_de = {XSD_DATE: "TT.MM.JJJJ oder JJJJ-MM-TT", XSD_GYEARMONTH: "MM.JJJJ", XSD_GYEAR: "JJJJ"}
    forms_en = {XSD_DATE: "DD.MM.YYYY or YYYY-MM-DD", XSD_GYEARMONTH: "MM.YYYY", XSD_GYEAR: "YYYY"}
    return None, _bad(text, "kein Datum (erwartet " + ", ".join(forms_de[t] for t in allowed if t in forms_de) + ")",
                      "not a date (expected " + ", ".join(forms_en[t] for t in allowed if t in forms_en) + ")")


def parse_boolean(raw: object) -> tuple[Literal | None, Note | None]:
    if isinstance(raw, bool):
        return Literal("true" if raw else "false", datatype=XSD.boolean), None
    text = str(raw).strip().casefold()
    if text in TRUE:
        return Literal("true", datatype=XSD.boolean), None
    if text in FALSE:
        return Literal("false", datatype=XSD.boolean), None
    return None, _bad(raw, "weder ja noch nein", "neither yes nor no")


def parse_literal(col: Column, raw: object) -> tuple[Literal | None, Note | None]:
    types = col.datatypes
    if types == (XSD_BOOLEAN,):
        return parse_boolean(raw)
    if types in {(XSD_DECIMAL,), (XSD_INTEGER,)}:
        return parse_decimal(raw, types == (XSD_INTEGER,))
    if set(types) & {XSD_DATE, XSD_GYEAR, XSD_GYEARMONTH}:
        return parse_date(raw, types)
    text = _text(raw)
    return Literal(text, datatype=URIRef(types[0])) if types and types[0] != str(XSD.string) else Literal(text), None


def _text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    return str(raw).strip()


# ------------------------------------------------------------------------------------------ IRIs
@lru_cache(maxsize=65_536)
def expand(text: str) -> str | None:
    """A full IRI from ``<…>``, an IRI or a project prefixed name; None if it is neither."""
    t = text.strip()
    if t.startswith("<") and t.endswith(">"):
        t = t[1:-1]
    prefix, sep, local = t.partition(":")
    if sep and prefix in PREFIXES and local and not local.startswith("//"):
        t = PREFIXES[prefix] + local
    elif sep and prefix in {"rdf", "rdfs"} and local:
        t = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
             "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}[prefix] + local
    if _IRI_SCHEME.match(t) and is_iri(t):
        return t
    return None


_CHOICE_INDEX: dict[int, tuple[list[Choice], dict[str, Choice]]] = {}


def _choice_index(choices: list[Choice]) -> dict[str, Choice]:
    """Choices by casefolded German and English label, notation and full IRI (first match wins, as listed)."""
    hit = _CHOICE_INDEX.get(id(choices))
    if hit is None or hit[0] is not choices:
        index: dict[str, Choice] = {}
        for c in choices:
            for k in (c.de.casefold(), c.en.casefold(), c.notation.casefold() if c.notation else None):
                if k:
                    index.setdefault(k, c)
            index.setdefault("\0" + str(c.term), c)
        hit = _CHOICE_INDEX[id(choices)] = (choices, index)  # the list is kept, so its id is not reused
    return hit[1]


def match_choice(choices: list[Choice], text: str) -> Choice | None:
    index = _choice_index(choices)
    hit = index.get(text.strip().casefold())
    if hit is not None:
        return hit
    full = expand(text)
    return None if full is None else index.get("\0" + full)


def choice_text(col: Column, term: Node) -> str:
    for c in col.choices:
        if c.term == term:
            return c.de
    return compact(str(term))


# ------------------------------------------------------------------------------------------ back to cells
def literal_text(col: Column, lit: Literal) -> object:
    """A literal as a cell value: numbers as numbers, booleans as ja/nein, everything else as text."""
    dt = str(lit.datatype) if lit.datatype else ""
    if dt == XSD_BOOLEAN:
        return "ja" if str(lit) in {"true", "1"} else "nein"
    if dt == XSD_INTEGER and re.fullmatch(r"[+-]?\d+", str(lit)):
        return int(str(lit))
    if dt == XSD_DECIMAL:
        try:
            d = Decimal(str(lit))
        except InvalidOperation:
            return str(lit)
        f = float(d)
        return f if Decimal(repr(f)) == d else _plain(d)
    return str(lit)
