"""The validation page's problems table (as TopBraid's problems view): one row per finding with severity, rule,
focus, path, value, source file and line; the uploaded entities' own triples (so focus links into an upload
work); and which format pasted text is in. The store's file of a focus comes from its named graph (one graph
per file), the line from the file text (the first line that states the subject)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from ...config import Settings
from ...namespaces import graph_iri_for
from ...rdfio import RDF_FORMATS
from ...store.base import Backend
from ...untrusted import ParseLimits, parse_untrusted
from ...validation.report import SEVERITY_ORDER, Report

Q_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?focus ?p ?o } } ORDER BY ?g LIMIT 5"
_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)
#: At most this many uploaded entities are shown with their triples (and at most PER_ENTITY triples each).
MAX_ENTITIES, PER_ENTITY = 200, 60


@dataclass
class Problem:
    n: int
    severity: str
    rank: int
    rule: str
    focus: str
    focus_label: str
    path: str | None
    value: str | None
    message: str
    file: str | None
    line: int | None
    anchor: str | None  # the uploaded entity's section on the report page


def detect_format(text: str, chosen: str) -> str:
    """The format of pasted text: the chosen one, else JSON-LD for a JSON document, RDF/XML for XML, else Turtle.

    >>> detect_format('  {"@id": "urn:x"}', "auto"), detect_format("<?xml version='1.0'?>", "auto")
    ('jsonld', 'rdfxml')
    >>> detect_format("@prefix x: <urn:x#> .", "auto"), detect_format("{", "turtle")
    ('turtle', 'turtle')
    """
    if chosen in RDF_FORMATS:
        return chosen
    head = text.lstrip()[:200]
    if head[:1] in "{[" and head:
        return "jsonld"
    if head.startswith("<?xml") or head.startswith("<rdf:RDF"):
        return "rdfxml"
    return "turtle"


def locate(text: str, iri: str) -> int | None:
    """The 1-based line that first names ``iri`` as a subject (prefixed, in <…> or as a JSON-LD @id), else the
    first line naming it at all.

    >>> locate("@prefix a: <urn:a#> .\\n\\na:x a a:C .\\na:y a:p a:x .", "urn:a#x")
    3
    """
    names = [f"<{iri}>", f'"{iri}"']
    for pfx, ns in _PREFIX.findall(text):
        if iri.startswith(ns) and re.fullmatch(r"[\w.-]+", iri[len(ns):] or "-"):
            names.append(f"{pfx}:{iri[len(ns):]}")
    lines = text.splitlines()
    for i, line in enumerate(lines, 1):
        s = line.lstrip()
        if any(s.startswith(n) and s[len(n):len(n) + 1] in ("", " ", "\t", ";", ",") for n in names):
            return i
        if f'"@id": "{iri}"' in s or f'"@id":"{iri}"' in s:
            return i
    pattern = re.compile("|".join(re.escape(n) + r"(?![\w.-])" for n in names))
    return next((i for i, line in enumerate(lines, 1) if pattern.search(line)), None)


@lru_cache(maxsize=64)
def _file_text(path: str, mtime: float) -> str:
    return Path(path).read_text(encoding="utf-8", errors="replace")


def graph_files(settings: Settings) -> dict[str, str]:
    """Named graph IRI → the repository file it was built from."""
    from ...store.build import input_files

    return {f.graph: f.relative for f in input_files(settings)}


def problems(report: Report, *, backend: Backend | None, settings: Settings, upload: tuple[str, str] | None,
             anchors: dict[str, str], limit: int) -> list[Problem]:
    """Rows of the problems table, in report order (at most ``limit``). ``upload``: (file name, text) of
    checked input; otherwise the store's files are looked up by the focus node's graph."""
    files = graph_files(settings) if upload is None else {}
    where: dict[str, tuple[str | None, int | None]] = {}

    def find(focus: str) -> tuple[str | None, int | None]:
        if focus in where:
            return where[focus]
        found: tuple[str | None, int | None] = (None, None)
        if upload is not None:
            line = locate(upload[1], focus)
            found = (upload[0], line) if line else (upload[0], None)
        elif backend is not None and focus.startswith(("http://", "https://", "urn:")):
            for (g,) in backend.query(Q_GRAPHS, bindings={"focus": URIRef(focus)}).rows:
                rel = files.get(str(g))
                if rel:
                    path = settings.root / rel
                    found = (rel, locate(_file_text(str(path), path.stat().st_mtime), focus))
                    break
        where[focus] = found
        return found

    out = []
    for n, f in enumerate(report.sorted()[:limit], 1):
        file, line = find(f.focus)
        out.append(Problem(n, f.severity, SEVERITY_ORDER.get(f.severity, 9), f.rule, f.focus, f.focusLabel or f.focus,
                           f.path, f.value, f.message, file, line, anchors.get(f.focus)))
    return out


def uploaded_entities(text: str, fmt: str, source: str, focuses: list[str],
                      limits: ParseLimits) -> dict[str, list[tuple[str, str]]]:
    """The triples each focus node has in the upload (parsed again through the parse gate), for the report."""
    wanted = list(dict.fromkeys(f for f in focuses if f))[:MAX_ENTITIES]
    if not wanted:
        return {}
    quads = parse_untrusted(text, RDF_FORMATS[fmt], source, limits=limits)
    out: dict[str, list[tuple[str, str]]] = {w: [] for w in wanted}
    for q in quads:
        s = q.subject.value if isinstance(q.subject, ox.NamedNode) else f"_:{q.subject.value}"
        rows = out.get(s)
        if rows is not None and len(rows) < PER_ENTITY:
            o = q.object
            rows.append((q.predicate.value, o.value if not isinstance(o, ox.Literal) else str(o.value)))
    return {k: v for k, v in out.items() if v}


def anchor_ids(entities: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    return {iri: f"u{i}" for i, iri in enumerate(entities, 1)}


def graph_iri(rel: str) -> str:
    return graph_iri_for(rel)
