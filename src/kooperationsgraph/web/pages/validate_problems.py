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


class LineIndex:
    """Where a text names its subjects: the first token of each line (once per text, so looking up many focus
    nodes in a large file stays cheap).

    >>> LineIndex("@prefix a: <urn:a#> .\\n\\na:x a a:C .\\na:y a:p a:x .").line("urn:a#x")
    3
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.prefixes = _PREFIX.findall(text)
        self.first: dict[str, int] = {}
        for i, line in enumerate(text.splitlines(), 1):
            s = line.strip()
            token = re.split(r"[\s;,]", s, maxsplit=1)[0] if s else ""
            if token:
                self.first.setdefault(token, i)
            m = re.search(r'"@id"\s*:\s*"([^"]+)"', s)
            if m:
                self.first.setdefault(f"<{m.group(1)}>", i)

    def names(self, iri: str) -> list[str]:
        out = [f"<{iri}>"]
        for pfx, ns in self.prefixes:
            if iri.startswith(ns) and re.fullmatch(r"[\w.-]+", iri[len(ns):] or "-"):
                out.append(f"{pfx}:{iri[len(ns):]}")
        return out

    def line(self, iri: str) -> int | None:
        """The 1-based line that first names ``iri`` as a subject (prefixed, in <…> or as a JSON-LD @id),
        else the first line naming it at all."""
        names = self.names(iri)
        hits = [self.first[n] for n in names if n in self.first]
        if hits:
            return min(hits)
        pattern = re.compile("|".join(re.escape(n) + r"(?![\w.-])" for n in names + [f'"{iri}"']))
        return next((i for i, line in enumerate(self.text.splitlines(), 1) if pattern.search(line)), None)


def locate(text: str, iri: str) -> int | None:
    """:meth:`LineIndex.line` for one look-up.

    >>> locate('[{"@id": "urn:x:a", "urn:x:p": 1}]', "urn:x:a")
    1
    """
    return LineIndex(text).line(iri)


@lru_cache(maxsize=64)
def _file_index(path: str, mtime: float) -> LineIndex:
    return LineIndex(Path(path).read_text(encoding="utf-8", errors="replace"))


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
    upload_index = LineIndex(upload[1]) if upload is not None else None

    def find(focus: str) -> tuple[str | None, int | None]:
        if focus in where:
            return where[focus]
        found: tuple[str | None, int | None] = (None, None)
        if upload is not None:
            line = upload_index.line(focus) if upload_index else None
            found = (upload[0], line) if line else (upload[0], None)
        elif backend is not None and focus.startswith(("http://", "https://", "urn:")):
            for (g,) in backend.query(Q_GRAPHS, bindings={"focus": URIRef(focus)}).rows:
                rel = files.get(str(g))
                if rel:
                    path = settings.root / rel
                    found = (rel, _file_index(str(path), path.stat().st_mtime).line(focus))
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
