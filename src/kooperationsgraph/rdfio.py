"""Reading and writing RDF: format tables, parsing with precise errors (file:line:column)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import QuerySyntaxError, RDFSyntaxError


@dataclass(frozen=True)
class RdfFormatInfo:
    name: str
    media_type: str
    extensions: tuple[str, ...]
    ox_format: ox.RdfFormat
    rdflib_name: str
    quads: bool = False


#: Registry of RDF formats by short name (rdflib-style plugin table: adding a format is one entry).
RDF_FORMATS: dict[str, RdfFormatInfo] = {
    "turtle": RdfFormatInfo("turtle", "text/turtle", (".ttl",), ox.RdfFormat.TURTLE, "turtle"),
    "ntriples": RdfFormatInfo("ntriples", "application/n-triples", (".nt",), ox.RdfFormat.N_TRIPLES, "nt"),
    "jsonld": RdfFormatInfo("jsonld", "application/ld+json", (".jsonld", ".json"), ox.RdfFormat.JSON_LD, "json-ld"),
    "rdfxml": RdfFormatInfo("rdfxml", "application/rdf+xml", (".rdf", ".owl", ".xml"), ox.RdfFormat.RDF_XML, "xml"),
    "trig": RdfFormatInfo("trig", "application/trig", (".trig",), ox.RdfFormat.TRIG, "trig", quads=True),
    "nquads": RdfFormatInfo("nquads", "application/n-quads", (".nq",), ox.RdfFormat.N_QUADS, "nquads", quads=True),
}
MEDIA_TYPES = {info.media_type: info for info in RDF_FORMATS.values()}
RDF_EXTENSIONS = {ext: info for info in RDF_FORMATS.values() for ext in info.extensions}
ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "json-ld": "jsonld", "xml": "rdfxml",
           "rdf/xml": "rdfxml", "nq": "nquads", "n-quads": "nquads"}


def rdf_format(name_or_media_type: str) -> RdfFormatInfo:
    key = name_or_media_type.strip().lower().split(";")[0].strip()
    key = ALIASES.get(key, key)
    if key in RDF_FORMATS:
        return RDF_FORMATS[key]
    if key in MEDIA_TYPES:
        return MEDIA_TYPES[key]
    raise ValueError(f"unknown RDF format {name_or_media_type!r}; known: {', '.join(RDF_FORMATS)}")


def format_for_path(path: Path | str) -> RdfFormatInfo | None:
    return RDF_EXTENSIONS.get(Path(path).suffix.lower())


_OX_POS = re.compile(r"line (\d+) column (\d+)")
_OX_QUERY_POS = re.compile(r"error at (\d+):(\d+)")


def rdf_syntax_error(source: str, exc: SyntaxError) -> RDFSyntaxError:
    """Turn a pyoxigraph parse error into an :class:`RDFSyntaxError` with 1-based line/column."""
    line, col = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    msg = getattr(exc, "msg", None) or str(exc)
    if line is None:
        m = _OX_POS.search(msg)
        if m:
            line, col = int(m.group(1)), int(m.group(2))
    return RDFSyntaxError(source, msg, line, col)


def query_syntax_error(exc: Exception) -> QuerySyntaxError:
    """pyoxigraph reports ``error at L:C: …``; keep the message, expose line and column."""
    msg = str(exc)
    m = _OX_QUERY_POS.search(msg)
    if m:
        rest = msg[m.end():].lstrip(": ")
        return QuerySyntaxError(rest or msg, int(m.group(1)), int(m.group(2)))
    return QuerySyntaxError(msg)


def parse_quads(data: bytes | str | None, fmt: RdfFormatInfo, source: str, *, path: Path | None = None,
                graph: str | None = None, base_iri: str | None = None) -> list[ox.Quad]:
    """Parse fully (so a syntax error leaves nothing behind) and return quads, triples put in ``graph``."""
    to_graph = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    try:
        items = list(ox.parse(data, fmt.ox_format, path=str(path) if path else None, base_iri=base_iri))
    except SyntaxError as exc:
        raise rdf_syntax_error(source, exc) from None
    except ValueError as exc:  # e.g. invalid IRI or encoding
        raise RDFSyntaxError(source, str(exc)) from None
    quads: list[ox.Quad] = []
    for item in items:
        if isinstance(item, ox.Quad):
            g = item.graph_name if fmt.quads and not isinstance(item.graph_name, ox.DefaultGraph) else to_graph
            quads.append(ox.Quad(item.subject, item.predicate, item.object, g))
        else:
            quads.append(ox.Quad(item.subject, item.predicate, item.object, to_graph))
    return quads


def export_graph(backend: object, graph: str, fmt: RdfFormatInfo) -> bytes:
    """One named graph serialized with pyoxigraph's writers (lexical forms kept); a quad format keeps the
    graph name."""
    g = ox.NamedNode(graph)
    store = ox.Store()
    from .sparql.terms import to_ox_term

    store.extend(ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o), g)  # type: ignore[arg-type]
                 for s, p, o in backend.graph_triples(graph))  # type: ignore[attr-defined]
    if fmt.quads:
        return store.dump(format=fmt.ox_format)  # type: ignore[return-value]
    return store.dump(format=fmt.ox_format, from_graph=g)  # type: ignore[return-value]
