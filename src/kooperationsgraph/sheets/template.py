"""The contribution workbook, generated from the profile: one sheet per kind, three header rows (German label,
English label with ``*`` on required columns, the column's stable key), the definition as the header cell's
note, pick-lists as Excel data validation from a hidden sheet ``Listen``, and an IRI column. With data: every
entity of the store in its sheet, so that importing the workbook unchanged changes nothing.

CSV: a ``.zip`` with one ``<Sheet>.csv`` per sheet (semicolon-separated, UTF-8 with BOM, the same three header
rows) and ``_Listen.csv`` with the pick-lists; the import reads the zip (or a single sheet's CSV) back."""

from __future__ import annotations

import csv
import io
import zipfile

from rdflib import RDF, Literal, URIRef
from rdflib.term import Node

from ..store.base import Backend
from .cells import choice_text, literal_text
from .lookup import Description, kind_descriptions
from .mapping import IRI_KEY
from .model import Column, Profile, Sheet, compact

HEADER_ROWS = 3
README_DE = [
    "Vorlage des Kooperationsgraphen – aus den SHACL-Shapes und der Ontologie erzeugt.",
    "Ein Blatt je Art von Eintrag; Zeile 1 deutsche, Zeile 2 englische Spaltennamen, Zeile 3 der Schlüssel der "
    "Spalte (nicht ändern). Pflichtspalten sind mit * markiert; die Notiz an jedem Spaltenkopf erklärt die Angabe.",
    "IRI leer lassen für neue Einträge (sie erhalten eine neue IRI); bestehende Einträge werden an IRI oder an "
    "genauem Namen und Sitz erkannt. Verweise (Mitglied, Partei, Sitz …) als genauer deutscher Name, IRI "
    "(z. B. akteur:stawag) oder – für Gebiete – ARS.",
    "Mehrere Werte in einer Zelle untereinander (Alt+Eingabe) oder bei Auswahlwerten durch „; “ getrennt. Zahlen "
    "dürfen deutsch geschrieben werden (310.000 oder 16,5), Datumsangaben als TT.MM.JJJJ oder JJJJ-MM-TT.",
    "Jede Zeile braucht eine öffentliche Quelle (Spalte Quelle). Erfundene Beispiele nur mit IRIs im Namensraum "
    "https://w3id.org/kooperationsgraph/example/ und „(fiktiv)“ im Namen.",
    "Prüfen: kooperationsgraph import DATEI --dry-run (oder die Seite /beitragen).",
]
README_EN = [
    "Kooperationsgraph template – generated from the SHACL shapes and the ontology.",
    "One sheet per kind of entry; row 1 German, row 2 English column names, row 3 the column's key (do not "
    "change). Required columns are marked *; the note on each header explains the value.",
    "Leave the IRI empty for new entries (they get a new IRI); existing entries are recognised by IRI or by exact "
    "name and seat. References (member, party, seat …) as exact German name, IRI (e.g. akteur:stawag) or – for "
    "areas – ARS.",
    "Several values in one cell one per line (Alt+Enter), or for pick-list values separated by “; ”. Numbers may "
    "be written the German way (310.000 or 16,5), dates as DD.MM.YYYY or YYYY-MM-DD.",
    "Every row needs a public source (column Source). Fictional examples only with IRIs in the namespace "
    "https://w3id.org/kooperationsgraph/example/ and “(fiktiv)” in the name.",
    "Check: kooperationsgraph import FILE --dry-run (or the page /beitragen).",
]


def headers(sheet: Sheet) -> list[list[str]]:
    de = ["IRI"] + [c.label_de + (" *" if c.required else "") for c in sheet.columns]
    en = ["IRI (stable)"] + [c.label_en + (" *" if c.required else "") for c in sheet.columns]
    keys = [IRI_KEY] + [c.key for c in sheet.columns]
    return [de, en, keys]


def note(col: Column) -> str:
    parts = [col.definition_de, col.definition_en]
    if col.required:
        parts.append(f"Pflichtangabe / required{f' ({col.rule})' if col.rule else ''}.")
    if col.datatypes:
        parts.append("Typ / type: " + ", ".join(compact(t) for t in col.datatypes))
    if col.multi:
        parts.append("Mehrere Werte möglich / several values allowed.")
    return "\n".join(p for p in parts if p)


# ------------------------------------------------------------------------------------------ data rows
def cell_value(col: Column, values: list[Node]) -> object:
    texts: list[object] = []
    for v in values:
        if isinstance(v, Literal):
            texts.append(literal_text(col, v))
        elif col.kind in {"ref", "type"}:
            texts.append(choice_text(col, v))
        elif col.kind == "source" and isinstance(v, URIRef) and not str(v).startswith(("http://", "https://")):
            texts.append(compact(str(v)))
        else:
            texts.append(compact(str(v)) if col.kind == "source" and compact(str(v)) != str(v) else str(v))
    if not texts:
        return None
    if len(texts) == 1:
        return texts[0]
    return "\n".join(str(t) for t in sorted(str(t) for t in texts))


def _values(col: Column, sheet: Sheet, desc: Description, scope: set[URIRef]) -> list[Node]:
    out = []
    for p, o, _g in desc:
        if p != col.path:
            continue
        if col.lang and not (isinstance(o, Literal) and o.language == col.lang):
            continue
        if p == RDF.type and o not in scope:
            continue
        out.append(o)
    return out


def data_rows(sheet: Sheet, described: dict[str, Description]) -> list[list[object]]:
    type_col = next((c for c in sheet.columns if c.kind == "type"), None)
    scope = {c.term for c in type_col.choices} | {sheet.cls} if type_col else {sheet.cls}
    rows = []
    for s in sorted(described):
        desc = described[s]
        rows.append([compact(s)] + [cell_value(c, _values(c, sheet, desc, scope)) for c in sheet.columns])
    return rows


def export_rows(profile: Profile, backend: Backend | None) -> dict[str, list[list[object]]]:
    out: dict[str, list[list[object]]] = {}
    for sheet in profile.sheets:
        out[sheet.name] = data_rows(sheet, kind_descriptions(backend, str(sheet.cls))) if backend is not None else []
    return out


# ------------------------------------------------------------------------------------------ writers
def _lists(profile: Profile) -> tuple[list[tuple[str, list[str]]], dict[tuple[str, str], int]]:
    """Distinct pick-lists (title, entries) and, per (sheet, column key), the list's position."""
    lists: list[tuple[str, list[str]]] = []
    where: dict[tuple[str, str], int] = {}
    seen: dict[tuple[str, ...], int] = {}
    for sheet in profile.sheets:
        for c in sheet.columns:
            if not c.choices:
                continue
            entries = [ch.de for ch in c.choices]
            key = tuple(entries)
            if key not in seen:
                seen[key] = len(lists)
                lists.append((f"{sheet.name}: {c.label_de}" if c.kind == "type" else c.label_de, entries))
            where[(sheet.name, c.key)] = seen[key]
    return lists, where


def write_xlsx(profile: Profile, rows: dict[str, list[list[object]]] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    info = wb.active
    info.title = "Hinweise"
    for i, (de, en) in enumerate(zip(README_DE, README_EN, strict=True), start=1):
        info.cell(row=i, column=1, value=de)
        info.cell(row=i, column=2, value=en)
    info.column_dimensions["A"].width = info.column_dimensions["B"].width = 100
    lists, where = _lists(profile)
    listen = wb.create_sheet("Listen")
    for j, (title, entries) in enumerate(lists, start=1):
        listen.cell(row=1, column=j, value=title)
        for i, e in enumerate(entries, start=2):
            listen.cell(row=i, column=j, value=e)
    listen.sheet_state = "hidden"
    bold, grey = Font(bold=True), Font(color="808080", size=8)
    required = PatternFill("solid", fgColor="FFF2CC")
    for sheet in profile.sheets:
        ws = wb.create_sheet(sheet.name)
        de, en, keys = headers(sheet)
        ws.append(de)
        ws.append(en)
        ws.append(keys)
        cols = [None, *sheet.columns]
        for j, col in enumerate(cols, start=1):
            top = ws.cell(row=1, column=j)
            top.font = bold
            ws.cell(row=3, column=j).font = grey
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = 28 if j > 1 else 34
            if col is None:
                top.comment = Comment("Stabile IRI des Eintrags; leer lassen für neue Einträge.\n"
                                      "Stable IRI of the entry; leave empty for new entries.", "kooperationsgraph",
                                      width=320, height=90)
                continue
            top.comment = Comment(note(col), "kooperationsgraph", width=360, height=160)
            if col.required:
                top.fill = required
            pos = where.get((sheet.name, col.key))
            if pos is not None:
                n = len(lists[pos][1])
                ref = f"=Listen!${get_column_letter(pos + 1)}$2:${get_column_letter(pos + 1)}${n + 1}"
                dv = DataValidation(type="list", formula1=ref, allow_blank=True,
                                    errorStyle="warning" if col.multi or col.kind == "ref" else "stop",
                                    showErrorMessage=True,
                                    errorTitle="Auswahlliste / pick-list",
                                    error="Wert aus der Liste wählen / choose a value from the list")
                ws.add_data_validation(dv)
                last = HEADER_ROWS + max(2000, len((rows or {}).get(sheet.name, [])) + 500)
                dv.add(f"{letter}{HEADER_ROWS + 1}:{letter}{last}")
        for r in (rows or {}).get(sheet.name, []):
            ws.append(r)
        ws.freeze_panes = "B4"
    wb.move_sheet("Listen", offset=len(wb.sheetnames))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(rows: list[list[object]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_csv_zip(profile: Profile, rows: dict[str, list[list[object]]] | None = None) -> bytes:
    buf = io.BytesIO()
    lists, _where = _lists(profile)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("LIESMICH.txt", "\n\n".join(README_DE + [""] + README_EN) + "\n")
        for sheet in profile.sheets:
            zf.writestr(f"{sheet.name}.csv", _csv(headers(sheet) + (rows or {}).get(sheet.name, [])))
        width = max((len(e) for _t, e in lists), default=0)
        table = [[t for t, _e in lists]] + [[e[i] if i < len(e) else "" for _t, e in lists] for i in range(width)]
        zf.writestr("_Listen.csv", _csv(table))
    return buf.getvalue()
