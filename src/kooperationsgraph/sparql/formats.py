"""Result formats of the SPARQL endpoint: one table of names → media types and pyoxigraph serializers.

Adding a format is one entry here; the endpoint's content negotiation, the ``format`` parameter, the query
worker's native serialization and the service description all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str
    kinds: frozenset[str]  # query forms served: "select"/"ask" (solutions) or "graph" (CONSTRUCT/DESCRIBE)
    ox_format: ox.QueryResultsFormat | ox.RdfFormat
    aliases: tuple[str, ...] = ()  # other media types / parameter values that mean this format
    w3c_iri: str = ""  # http://www.w3.org/ns/formats/… for the service description


_SOLUTIONS = frozenset({"select", "ask"})
_GRAPH = frozenset({"graph"})
_F = "http://www.w3.org/ns/formats/"

RESULT_FORMATS: dict[str, ResultFormat] = {f.name: f for f in (
    ResultFormat("json", "application/sparql-results+json", _SOLUTIONS, ox.QueryResultsFormat.JSON,
                 ("application/json", "text/javascript", "application/javascript", "srj"), _F + "SPARQL_Results_JSON"),
    ResultFormat("xml", "application/sparql-results+xml", _SOLUTIONS, ox.QueryResultsFormat.XML,
                 ("application/xml", "text/xml", "srx"), _F + "SPARQL_Results_XML"),
    ResultFormat("csv", "text/csv", _SOLUTIONS, ox.QueryResultsFormat.CSV, (), _F + "SPARQL_Results_CSV"),
    ResultFormat("tsv", "text/tab-separated-values", _SOLUTIONS, ox.QueryResultsFormat.TSV, (),
                 _F + "SPARQL_Results_TSV"),
    ResultFormat("turtle", "text/turtle", _GRAPH, ox.RdfFormat.TURTLE,
                 ("application/turtle", "application/x-turtle", "ttl", "n3", "text/n3", "text/rdf+n3"), _F + "Turtle"),
    ResultFormat("nt", "application/n-triples", _GRAPH, ox.RdfFormat.N_TRIPLES,
                 ("ntriples", "n-triples", "text/plain"), _F + "N-Triples"),
    ResultFormat("jsonld", "application/ld+json", _GRAPH, ox.RdfFormat.JSON_LD,
                 ("json", "json-ld", "application/x-json+ld", "application/json"), _F + "JSON-LD"),
    ResultFormat("rdfxml", "application/rdf+xml", _GRAPH, ox.RdfFormat.RDF_XML,
                 ("rdf+xml", "xml", "application/xml", "text/xml"), _F + "RDF_XML"),
)}

#: Default format per kind (first entry wins when the client accepts anything).
DEFAULTS = {"select": "json", "ask": "json", "graph": "turtle"}


def kind_of(form: str) -> str:
    """Map a query form to a result kind: ``construct``/``describe`` → ``graph``."""
    return "graph" if form in {"construct", "describe", "graph"} else form


def formats_for(kind: str) -> list[ResultFormat]:
    """Formats serving ``kind``, default first."""
    default = RESULT_FORMATS[DEFAULTS[kind]]
    return [default] + [f for f in RESULT_FORMATS.values() if kind in f.kinds and f is not default]


def by_name_or_type(value: str, kind: str) -> ResultFormat | None:
    """Resolve a ``format`` parameter value (name, alias or media type) for a result kind.

    >>> by_name_or_type("json", "graph").name
    'jsonld'
    >>> by_name_or_type("text/tab-separated-values", "select").name
    'tsv'
    """
    key = value.strip().lower().split(";")[0].strip()
    for f in formats_for(kind):
        if key in {f.name, f.media_type, *f.aliases}:
            return f
    return None


def media_types_for(kind: str) -> dict[str, ResultFormat]:
    """All media types (canonical and aliases) that can serve ``kind``, for Accept matching."""
    table: dict[str, ResultFormat] = {}
    for f in formats_for(kind):
        table.setdefault(f.media_type, f)
    for f in formats_for(kind):
        for alias in f.aliases:
            if "/" in alias:
                table.setdefault(alias, f)
    return table


def serialize_native(result: object, fmt: ResultFormat) -> bytes:
    """Serialize a pyoxigraph query result with pyoxigraph's own writer (the fast path)."""
    data = result.serialize(format=fmt.ox_format)  # type: ignore[attr-defined]
    assert isinstance(data, bytes)
    return data
