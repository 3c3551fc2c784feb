"""The contribution workbook (issue 13, templates and import): generated from the profile and the ontology,
read safely, rows → RDF with stable IRIs, every problem at its cell in the sentences of ``validate``, and a
round trip through ``template --with-data`` that changes nothing. All entries made here are fictional
(``ex:`` namespace, "(fiktiv)" in every name), as data/examples/README.md asks."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import RDF, XSD, Literal, URIRef

from kooperationsgraph.cli import main
from kooperationsgraph.namespaces import EXAMPLE, KG
from kooperationsgraph.sheets.cells import parse_date, parse_decimal
from kooperationsgraph.sheets.importer import import_file
from kooperationsgraph.sheets.model import load_profile
from kooperationsgraph.sheets.reader import UntrustedInputError
from kooperationsgraph.sheets.template import write_csv_zip, write_xlsx

SOURCE = "Fiktives Beispiel, keine reale Quelle"


# ------------------------------------------------------------------------------------------ helpers
def fill(template: bytes, rows: dict[str, list[dict[str, object]]]) -> bytes:
    """Write rows (by column key, as in header row 3) into a template workbook."""
    wb = load_workbook(io.BytesIO(template))
    for sheet, entries in rows.items():
        ws = wb[sheet]
        keys = [c.value for c in ws[3]]
        for e in entries:
            unknown = set(e) - set(keys)
            assert not unknown, unknown
            ws.append([e.get(k) for k in keys])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def example_rows(value: str = "310.000", date: str = "31.02.2026", procedure: str | None = None) -> dict:
    """Three new fictional cooperations with their members, and one public contract (faulty by default:
    an impossible date, and above the EU threshold without an award procedure)."""
    actors = [
        ("ex:stadt-musterstadt", "Stadt Musterstadt (fiktiv)", "Gemeinde/Kommune (Körperschaft)", "Öffentliche Verwaltung"),
        ("ex:stadtwerk-musterstadt", "Beispiel-Stadtwerk Musterstadt (fiktiv)", "Stadtwerk", "Energie"),
        ("ex:technikhandel", "Beispiel-Technikhandel GmbH (fiktiv)", "Handelsunternehmen", "Energie"),
        ("ex:klinik-musterstadt", "Beispiel-Klinikum Musterstadt (fiktiv)", "Krankenhaus", "Gesundheitswesen"),
    ]
    coops = [
        ("ex:netz-musterstadt", "Beispiel-Energienetzwerk Musterstadt (fiktiv)", "Energie", [0, 1]),
        ("ex:einkauf-musterstadt", "Beispiel-Einkaufsgemeinschaft Musterstadt (fiktiv)", "Energie", [1, 2]),
        ("ex:krisenstab-musterstadt", "Beispiel-Krisenstab Musterstadt (fiktiv)", "Gesundheitswesen", [0, 3]),
    ]
    contract = {"@id": "ex:auftrag-notstrom", "rdfs:label@de": "Lieferung von Notstromaggregaten (fiktiv)",
                "rdf:type": "Öffentlicher Auftrag", "kg:abschlussdatum": date, "kg:auftraggeber": actors[0][1],
                "kg:auftragnehmer": actors[2][1], "kg:geschaetzterAuftragswert": value,
                "kg:auftragsart": "Liefer- oder Dienstleistungsauftrag", "dcterms:source": SOURCE}
    if procedure:
        contract["kg:vergabeverfahren"] = procedure
    return {
        "Akteure": [{"@id": i, "rdfs:label@de": n, "rdf:type": t, "kg:sektor": s, "dcterms:source": SOURCE}
                    for i, n, t, s in actors],
        "Kooperationen": [{"@id": i, "rdfs:label@de": n, "rdf:type": "Netzwerk/Verbund", "kg:sektor": s,
                           "kg:gruendungsjahr": 2024, "kg:ziel": "Krisenkoordination", "dcterms:source": SOURCE}
                          for i, n, s, _m in coops],
        "Mitgliedschaften": [{"kg:kooperation": n, "kg:mitglied": actors[a][1], "kg:rolle": "Mitglied",
                              "kg:seit": "01.01.2024", "dcterms:source": SOURCE}
                             for _i, n, _s, members in coops for a in members],
        "Vereinbarungen": [contract],
    }


def column_letter(template: bytes, sheet: str, key: str) -> str:
    ws = load_workbook(io.BytesIO(template))[sheet]
    for c in ws[3]:
        if c.value == key:
            return c.column_letter
    raise KeyError(key)


@pytest.fixture(scope="module")
def template(settings) -> bytes:
    return write_xlsx(load_profile(settings))


# ------------------------------------------------------------------------------------------ the template
def test_template_has_a_sheet_per_kind_with_labels_notes_and_pick_lists(template: bytes) -> None:
    wb = load_workbook(io.BytesIO(template))
    assert {"Kooperationen", "Akteure", "Mitgliedschaften", "Vereinbarungen", "Versorgung"} <= set(wb.sheetnames)
    assert wb["Listen"].sheet_state == "hidden"
    ws = wb["Vereinbarungen"]
    header = {c.value: c for c in ws[3]}
    assert "@id" in header and "dcterms:source" in header and "kg:geschaetzterAuftragswert" in header
    col = header["kg:abschlussdatum"].column
    assert ws.cell(row=1, column=col).value == "Abschlussdatum *"  # required (ST-8)
    assert ws.cell(row=2, column=col).value == "date concluded *"
    assert "Datum des Abschlusses" in ws.cell(row=1, column=col).comment.text  # skos:definition from the ontology
    assert "Date of conclusion" in ws.cell(row=1, column=col).comment.text
    letters = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
               for dv in ws.data_validations.dataValidation}
    procedure = header["kg:vergabeverfahren"].column_letter
    assert letters[procedure].startswith("Listen!") or letters[procedure].startswith("=Listen!")
    listen = wb["Listen"]
    values = {c.value for row in listen.iter_rows() for c in row}
    assert "Offenes Verfahren" in values and "Energie" in values and "federführend" in values


def test_csv_template_is_a_zip_with_one_file_per_sheet(settings) -> None:
    data = write_csv_zip(load_profile(settings))
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert {"Kooperationen.csv", "Akteure.csv", "Mitgliedschaften.csv", "Vereinbarungen.csv", "Versorgung.csv",
            "_Listen.csv"} <= names


# ------------------------------------------------------------------------------------------ cells
def test_german_numbers_are_read_and_the_reading_is_said() -> None:
    lit, note = parse_decimal("310.000", integer=False)
    assert lit == Literal("310000", datatype=XSD.decimal) and note is not None and "310000" in note.de
    lit, note = parse_decimal("16,5", integer=False)
    assert str(lit) == "16.5" and note is not None and note.severity == "info"
    lit, note = parse_decimal("1.234.567,89 €", integer=False)
    assert str(lit) == "1234567.89"
    lit, note = parse_decimal("viel", integer=False)
    assert lit is None and note is not None and note.severity == "error"


def test_impossible_dates_are_cell_errors() -> None:
    types = (str(XSD.date), str(XSD.gYearMonth), str(XSD.gYear))
    assert parse_date("02.03.2026", types)[0] == Literal("2026-03-02", datatype=XSD.date)
    lit, note = parse_date("31.02.2025", types)
    assert lit is None and note is not None and note.severity == "error" and "31.2.2025" in note.de
    assert parse_date("09.2019", types)[0] == Literal("2019-09", datatype=XSD.gYearMonth)


# ------------------------------------------------------------------------------------------ the scenario
def test_faulty_agreement_is_reported_at_its_cells_and_the_corrected_workbook_passes(settings, backend, template,
                                                                                      tmp_path: Path) -> None:
    faulty = fill(template, example_rows())
    result = import_file(faulty, "beitrag.xlsx", settings, backend)
    date_col = column_letter(template, "Vereinbarungen", "kg:abschlussdatum")
    value_col = column_letter(template, "Vereinbarungen", "kg:geschaetzterAuftragswert")
    by_cell = {(p.cell, p.severity): p for p in result.problems}
    assert (f"Vereinbarungen!{date_col}4", "error") in by_cell, result.to_text()
    assert "31.02.2026" in by_cell[(f"Vereinbarungen!{date_col}4", "error")].de
    read_as = by_cell.get((f"Vereinbarungen!{value_col}4", "Info"))
    assert read_as is not None and "310000" in read_as.de  # German notation accepted, and said so
    assert result.fails()
    assert {p.severity for p in result.problems if not p.cell.startswith("Vereinbarungen!")} <= {"Warning", "Info"}

    # the date fixed: the rule VG-1 now sees the contract and points at the award-procedure cell
    dated = fill(template, example_rows(date="02.03.2026"))
    result = import_file(dated, "beitrag.xlsx", settings, backend)
    procedure_col = column_letter(template, "Vereinbarungen", "kg:vergabeverfahren")
    vg1 = [p for p in result.problems if p.rule == "VG-1"]
    assert vg1 and vg1[0].cell == f"Vereinbarungen!{procedure_col}4" and vg1[0].severity == "Violation"
    assert "310.000 €" in vg1[0].de and "EU-Schwellenwert" in vg1[0].de and vg1[0].hint_de  # validate's sentence
    assert "EUR 310,000" in vg1[0].en
    assert result.fails()

    fixed = fill(template, example_rows(date="02.03.2026", procedure="Offenes Verfahren"))
    result = import_file(fixed, "beitrag.xlsx", settings, backend)
    assert not result.fails(), result.to_text()
    assert len(result.new) == 4 + 3 + 6 + 1
    assert all(s.startswith(str(EXAMPLE)) or "/id/mitgliedschaft/" in s for s in result.new)
    contract = URIRef(str(EXAMPLE) + "auftrag-notstrom")
    assert (contract, RDF.type, KG.OeffentlicherAuftrag) in result.added
    assert (contract, KG.geschaetzterAuftragswert, Literal("310000", datatype=XSD.decimal)) in result.added
    path = tmp_path / "beitrag.xlsx"
    path.write_bytes(fixed)
    assert main(["--store", str(settings.store_path), "import", str(path), "--dry-run"]) == 0
    path.write_bytes(faulty)
    assert main(["--store", str(settings.store_path), "import", str(path), "--dry-run"]) == 1


def test_references_by_unknown_or_ambiguous_name_are_cell_errors(settings, backend, template) -> None:
    rows = example_rows(date="02.03.2026", procedure="Offenes Verfahren")
    rows["Mitgliedschaften"][0]["kg:mitglied"] = "Niemand (fiktiv)"
    rows["Akteure"][0]["kg:sitz"] = "Neustadt"  # several Gemeinden are called so
    result = import_file(fill(template, rows), "beitrag.xlsx", settings, backend)
    texts = {p.cell: p.de for p in result.problems if p.severity == "error"}
    member_col = column_letter(template, "Mitgliedschaften", "kg:mitglied")
    seat_col = column_letter(template, "Akteure", "kg:sitz")
    assert "Niemand (fiktiv)" in texts[f"Mitgliedschaften!{member_col}4"]
    assert "mehrdeutig" in texts[f"Akteure!{seat_col}4"] or "Kein Eintrag" in texts[f"Akteure!{seat_col}4"]


# ------------------------------------------------------------------------------------------ round trip
def test_round_trip_of_the_whole_store_changes_nothing(settings, backend, tmp_path: Path) -> None:
    out = tmp_path / "mit-daten.xlsx"
    assert main(["--store", str(settings.store_path), "template", "--with-data", "-o", str(out)]) == 0
    result = import_file(out.read_bytes(), out.name, settings, backend)
    assert result.rows > 4000
    assert result.unchanged, (list(result.added)[:5], list(result.removed)[:5])
    assert [p for p in result.problems if p.severity == "error"] == []


def test_csv_round_trip_changes_nothing(settings, backend, tmp_path: Path) -> None:
    out = tmp_path / "mit-daten.zip"
    assert main(["--store", str(settings.store_path), "template", "--format", "csv", "--with-data", "-o",
                 str(out)]) == 0
    result = import_file(out.read_bytes(), out.name, settings, backend)
    assert result.unchanged and result.rows > 4000


# ------------------------------------------------------------------------------------------ untrusted files
def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_macros_external_links_and_zip_bombs_are_refused(settings, template) -> None:
    entries = {n: zipfile.ZipFile(io.BytesIO(template)).read(n) for n in zipfile.ZipFile(io.BytesIO(template)).namelist()}
    with pytest.raises(UntrustedInputError, match="macros"):
        import_file(_zip({**entries, "xl/vbaProject.bin": b"\0" * 100}), "m.xlsx", settings, None)
    with pytest.raises(UntrustedInputError, match="external links"):
        import_file(_zip({**entries, "xl/externalLinks/externalLink1.xml": b"<x/>"}), "l.xlsx", settings, None)
    with pytest.raises(UntrustedInputError, match="zip bomb"):
        import_file(_zip({**entries, "xl/big.xml": b"\0" * 50_000_000}), "b.xlsx", settings, None)
    with pytest.raises(UntrustedInputError, match="not an .xlsx"):
        import_file(b"this is no workbook", "x.xlsx", settings, None)
    with pytest.raises(UntrustedInputError, match="macro-enabled"):
        import_file(template, "x.xlsm", settings, None)


def test_cli_reports_an_unreadable_file_without_traceback(settings, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "kaputt.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    assert main(["--store", str(settings.store_path), "import", str(bad), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: kaputt.xlsx") and "Traceback" not in err


# ------------------------------------------------------------------------------------------ the xlsx reader
def _openpyxl_values(payload: bytes) -> dict[str, list[tuple[int, list[object]]]]:
    """The reference: openpyxl read-only, values only, trailing empty cells dropped."""
    wb = load_workbook(io.BytesIO(payload), read_only=True, data_only=True)
    out = {}
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows = []
        for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
            vals = list(values)
            while vals and vals[-1] is None:
                vals.pop()
            if any(v is not None and v != "" for v in vals):
                rows.append((n, vals))
        out[ws.title] = rows
    return out


def _stripped(sheets: dict) -> dict:
    out = {}
    for name, rows in sheets.items():
        out[name] = []
        for n, vals in rows:
            vals = list(vals)
            while vals and vals[-1] is None:
                vals.pop()
            out[name].append((n, vals))
    return out


def _typed_workbook() -> bytes:
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = Workbook()
    ws = wb.active
    ws.title = "Vereinbarungen"
    ws.append(["Text", "Zahl", "Dezimal", "Datum", "Wahr", "Formel", "Leer", "Fern"])
    ws.append(["Ä ö ü ß „x“", 310000, 1.5, datetime(2026, 2, 28), True, "=1+1", None, None])
    ws["H2"] = "weit rechts"
    ws["D3"] = datetime(2026, 3, 2, 12, 30)
    ws["D3"].number_format = "DD.MM.YYYY hh:mm"
    ws["A5"] = CellRichText([TextBlock(InlineFont(b=True), "fett"), " und normal"])
    ws["B6"] = -7
    hidden = wb.create_sheet("_Listen")
    hidden.append(["a"])
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_reader_reads_what_openpyxl_reads(settings, template, tmp_path: Path) -> None:
    from kooperationsgraph.sheets.reader import read_xlsx

    out = tmp_path / "mit-daten.xlsx"
    assert main(["--store", str(settings.store_path), "template", "--with-data", "-o", str(out)]) == 0
    typed = _typed_workbook()
    for payload in (template, out.read_bytes(), typed):
        assert _stripped(read_xlsx(payload)) == _openpyxl_values(payload)
    rows = dict(read_xlsx(typed)["Vereinbarungen"])
    assert rows[2][:5] == ["Ä ö ü ß „x“", 310000, 1.5, __import__("datetime").datetime(2026, 2, 28), True]
    assert rows[5] == ["fett und normal"]
    assert "_Listen" not in read_xlsx(typed)


def test_xlsx_reader_refuses_a_doctype_behind_a_long_prolog(settings, template) -> None:
    from kooperationsgraph.sheets.xlsx import check_prolog

    entries = {n: zipfile.ZipFile(io.BytesIO(template)).read(n) for n in zipfile.ZipFile(io.BytesIO(template)).namelist()}
    bomb = (b'<?xml version="1.0"?><!--' + b"x" * 9000 + b'--><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
    with pytest.raises(UntrustedInputError, match="prolog|document type"):
        import_file(_zip({**entries, "xl/sharedStrings.xml": bomb}), "p.xlsx", settings, None)
    with pytest.raises(UntrustedInputError, match="document type"):
        check_prolog(io.BytesIO(b'<?xml version="1.0"?>\n<!-- c --><!DOCTYPE x><x/>'), "x.xml")
    check_prolog(io.BytesIO(b'<?xml version="1.0"?>\n<!-- c --><?pi x?><x a="<!DOCTYPE"/>'), "x.xml")  # passes
