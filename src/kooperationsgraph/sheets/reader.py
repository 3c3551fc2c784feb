"""Reading a contributed workbook (``.xlsx``, a ``.zip`` of CSV files, or one ``.csv``) safely. The readers
below run in a child process of the parse gate (:func:`..untrusted.read_untrusted`: size, memory and time caps)
and hand back plain values: ``{sheet name: [(row number, [cell values])]}``.

Refused before openpyxl sees a byte: macros (``vbaProject.bin``, macro-enabled content types), external links,
XML with a document type declaration (entity expansion), archives with too many entries, too much unpacked data
or an absurd compression ratio (zip bombs)."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..config import Settings
from ..untrusted import ParseLimits, UntrustedInputError, read_untrusted

MAX_ENTRIES = 2_000
MAX_UNPACKED = 256 * 1024 * 1024
MAX_RATIO = 250
MAX_ROWS = 200_000
MAX_COLUMNS = 256
Rows = list[tuple[int, list[object]]]


@dataclass
class Workbook:
    source: str
    sheets: dict[str, Rows]


def _check_zip(zf: zipfile.ZipFile, xlsx: bool) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UntrustedInputError(f"the archive has {len(infos):,} entries; at most {MAX_ENTRIES:,} are read")
    total = 0
    for i in infos:
        total += i.file_size
        if i.file_size > 1_000_000 and i.compress_size and i.file_size / i.compress_size > MAX_RATIO:
            raise UntrustedInputError(f"{i.filename}: compressed {i.file_size / i.compress_size:,.0f}:1 – refused as a "
                                      "possible zip bomb")
        name = i.filename.lower()
        if name.endswith("vbaproject.bin") or "/activex/" in name:
            raise UntrustedInputError("the workbook contains macros or ActiveX controls; save it as a plain .xlsx "
                                      "workbook without macros and try again")
        if xlsx and "externallink" in name:
            raise UntrustedInputError("the workbook links to other workbooks (external links); remove the links "
                                      "(Data → Edit Links → Break Link) and try again")
    if total > MAX_UNPACKED:
        raise UntrustedInputError(f"the archive unpacks to {total:,} bytes; at most {MAX_UNPACKED:,} are read")
    if xlsx:
        types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in zf.namelist() else b""
        if b"macroEnabled" in types or b"vbaProject" in types:
            raise UntrustedInputError("the workbook is macro-enabled (.xlsm); save it as a plain .xlsx workbook")
        for i in infos:
            if i.filename.endswith((".xml", ".rels")):
                with zf.open(i) as fh:
                    head = fh.read(8192)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise UntrustedInputError(f"{i.filename}: XML with a document type declaration is refused")


def _cap(rows: Rows, sheet: str) -> Rows:
    if len(rows) > MAX_ROWS:
        raise UntrustedInputError(f"sheet {sheet}: more than {MAX_ROWS:,} rows")
    return rows


def read_xlsx(payload: bytes) -> dict[str, Rows]:
    """Child-process reader for .xlsx (:mod:`.xlsx`: values only, no links kept)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(payload))
    except zipfile.BadZipFile:
        raise UntrustedInputError("not an .xlsx workbook (not a zip archive)") from None
    _check_zip(zf, xlsx=True)
    from .xlsx import Book

    try:
        book = Book(zf)
    except (KeyError, ValueError, SyntaxError) as e:  # a missing part, a bad number, XML that is not well-formed
        raise UntrustedInputError(f"not a readable .xlsx workbook: {e}") from None
    out: dict[str, Rows] = {}
    for name, state, part in book.sheets:
        if state != "visible":
            continue
        rows: Rows = []
        try:
            for n, values in book.rows(part, MAX_COLUMNS):
                if any(v is not None and v != "" for v in values):
                    rows.append((n, values))
                    if len(rows) > MAX_ROWS:
                        break
        except (KeyError, ValueError, IndexError, SyntaxError) as e:
            raise UntrustedInputError(f"sheet {name}: not readable: {e}") from None
        out[name] = _cap(rows, name)
    return out


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UntrustedInputError("the CSV file is neither UTF-8 nor Windows-1252 text")


def _csv_rows(data: bytes, sheet: str) -> Rows:
    text = _decode(data)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    rows: Rows = []
    for n, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        if any(v.strip() for v in values):
            rows.append((n, [v if v != "" else None for v in values[:MAX_COLUMNS]]))
            if len(rows) > MAX_ROWS:
                break
    return _cap(rows, sheet)


def read_csv(payload: bytes) -> dict[str, Rows]:
    """Child-process reader for one CSV file (the sheet name is given by the file name, see :func:`read`)."""
    return {"": _csv_rows(payload, "csv")}


def read_zip(payload: bytes) -> dict[str, Rows]:
    """Child-process reader for a .zip of CSV files, one per sheet (file name = sheet name)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(payload))
    except zipfile.BadZipFile:
        raise UntrustedInputError("not a zip archive") from None
    _check_zip(zf, xlsx=False)
    out: dict[str, Rows] = {}
    for i in zf.infolist():
        p = PurePosixPath(i.filename)
        if p.suffix.lower() == ".csv" and not p.name.startswith(("_", ".")):
            out[p.stem] = _csv_rows(zf.read(i), p.stem)
    if not out:
        raise UntrustedInputError("the archive holds no .csv file")
    return out


def read(payload: bytes, filename: str, settings: Settings, *, limits: ParseLimits | None = None) -> Workbook:
    """Read a workbook from outside through the parse gate; the reader is chosen by the file name."""
    suffix = PurePosixPath(filename).suffix.lower()
    readers = {".xlsx": read_xlsx, ".zip": read_zip, ".csv": read_csv}
    if suffix == ".xlsm":
        raise UntrustedInputError(f"{filename}: macro-enabled workbooks (.xlsm) are refused; save it as .xlsx")
    if suffix not in readers:
        raise UntrustedInputError(f"{filename}: not a workbook (expected .xlsx, .csv or a .zip of CSV files)")
    limits = limits or ParseLimits(getattr(settings, "max_upload_bytes", ParseLimits.max_bytes),
                                   max(1024, getattr(settings, "parse_memory_mb", 1024)), 120.0)
    sheets = read_untrusted(payload, readers[suffix], filename, limits=limits)
    assert isinstance(sheets, dict)
    if suffix == ".csv":
        sheets = {PurePosixPath(filename).stem: sheets[""]}
    return Workbook(filename, sheets)
