"""What Virtuoso (7.2, the tested server) needs different from the embedded store: query rewrites that keep
the same solutions, and result terms normalised to what the embedded store returns. Each function is pure text or
term work over the one lexer's mask (:func:`..sparql.lexer.mask`), so a keyword inside a literal or an IRI is
never rewritten."""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ...sparql.lexer import mask
from ..terms import to_rdflib

XSD = "http://www.w3.org/2001/XMLSchema#"
_FROM = re.compile(r"\bFROM\s+(NAMED\s+)?(<|[A-Za-z_][\w.-]*:)", re.IGNORECASE)
_OPEN_PLUS_PATH = re.compile(
    r"(\?\w+)\s+(<[^<>\s]*>|[A-Za-z][\w.-]*:[\w-]*)\+\s+(\?\w+)(?=\s*(?:\.|\}|FILTER|OPTIONAL|BIND|\?|<|\{|$))",
    re.IGNORECASE)


def bind_path_starts(sparql: str) -> str:
    """Rewrite ``?a p+ ?b`` (both ends open) as ``{ SELECT DISTINCT ?a ?b { ?a p ?x . ?x p* ?b } }`` — the
    same solutions; Virtuoso refuses a transitive path without a bound start ("transitive start not given").

    >>> bind_path_starts("SELECT * { ?c rdfs:subClassOf+ ?s }")
    'SELECT * { { SELECT DISTINCT ?c ?s WHERE { ?c rdfs:subClassOf ?_kgp0 . ?_kgp0 rdfs:subClassOf* ?s } } }'
    """
    counter = iter(range(1_000_000))

    def repl(m: re.Match[str]) -> str:
        a, pred, b = m.groups()
        x = f"?_kgp{next(counter)}"
        return f"{{ SELECT DISTINCT {a} {b} WHERE {{ {a} {pred} {x} . {x} {pred}* {b} }} }}"

    return _OPEN_PLUS_PATH.sub(repl, sparql)




def declares_dataset(sparql: str) -> bool:
    """Whether the query text has its own FROM / FROM NAMED (then the protocol dataset is not added).

    >>> declares_dataset('SELECT * FROM <http://g> WHERE { ?s ?p "FROM <x>" }'), declares_dataset("ASK {}")
    (True, False)
    """
    return bool(_FROM.search(mask(sparql)))


_TRANSITIVE = re.compile(r"(?:<x*>|[A-Za-z][\w.-]*:[\w-]*|:[\w-]+|\))[*+]")


def has_transitive_path(sparql: str) -> bool:
    """Whether the query uses a ``*`` or ``+`` property path (false positives are harmless: such a query runs
    on the server's default graph, which holds the project's graphs too).

    >>> has_transitive_path("SELECT (COUNT(*) AS ?n) { ?a skos:broader* ?b }"), has_transitive_path("SELECT * {}")
    (True, False)
    >>> has_transitive_path("SELECT * { ?a <http://x/p>+ ?b }"), has_transitive_path('SELECT * { ?a ?p "x+" }')
    (True, False)
    """
    return bool(_TRANSITIVE.search(mask(sparql)))


_VAR = re.compile(r"[?$]\w+")


def order_outside(sparql: str) -> str:
    """Move a SELECT query's ORDER BY (and LIMIT/OFFSET) out of the query into a wrapping query. Virtuoso 7.2
    returns too few rows for transitive paths combined with ORDER BY; as a subquery they come out right.

    >>> order_outside("PREFIX a: <x:> SELECT DISTINCT ?k WHERE { ?k a:p* a:o } ORDER BY ?k LIMIT 5")
    'PREFIX a: <x:> SELECT * WHERE { { SELECT DISTINCT ?k WHERE { ?k a:p* a:o } } } ORDER BY ?k LIMIT 5'
    """
    m = mask(sparql)
    sel = re.search(r"\bSELECT\b", m, re.IGNORECASE)
    end = m.rfind("}")
    order = re.search(r"\bORDER\s+BY\b", m[end + 1:], re.IGNORECASE) if end >= 0 else None
    if sel is None or order is None:
        return sparql
    cut = end + 1 + order.start()
    where = re.search(r"\bWHERE\b|\{", m[sel.end():])
    projection = m[sel.end(): sel.end() + where.start()] if where else ""
    if "*" not in projection and not set(_VAR.findall(m[cut:])) <= set(_VAR.findall(projection)):
        return sparql  # ordering by a variable the query does not return: leave it alone
    inner = sparql[sel.start():cut].rstrip()
    return f"{sparql[:sel.start()]}SELECT * WHERE {{ {{ {inner} }} }} {sparql[cut:].strip()}"


_DROP = re.compile(r"\bDROP\s+(?!SILENT\b)", re.IGNORECASE)


def silent_drops(update: str) -> str:
    """``DROP GRAPH`` → ``DROP SILENT GRAPH``: Virtuoso refuses to drop a graph that was filled by INSERT but
    never ``CREATE``d ("has not been explicitly created"), which is every graph here.

    >>> silent_drops('DROP GRAPH <g> ; INSERT DATA { <s> <p> "DROP x" }')
    'DROP SILENT GRAPH <g> ; INSERT DATA { <s> <p> "DROP x" }'
    """
    m = mask(update)
    out, last = [], 0
    for hit in _DROP.finditer(m):
        out.append(update[last:hit.end()] + "SILENT ")
        last = hit.end()
    return "".join(out) + update[last:]


# ------------------------------------------------------------------------------------------------ terms
def json_term(d: dict[str, str]) -> Node:
    """A SPARQL-JSON term as the rdflib term the embedded store would give."""
    kind, value = d["type"], d["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value.removeprefix("nodeID://").removeprefix("_:"))
    lang = d.get("xml:lang")
    if lang:
        return Literal(value, lang=lang)
    dt = d.get("datatype")
    if not dt or dt == XSD + "string":
        return Literal(value)
    if dt == XSD + "boolean":
        return Literal("true" if value in {"1", "true"} else "false", datatype=URIRef(dt))
    return Literal(value, datatype=URIRef(dt), normalize=False)


def normalise_json_term(d: dict[str, str]) -> dict[str, str]:
    """The same normalisation on SPARQL-JSON, for the pass-through path (SPARQL 1.1 ``literal`` type)."""
    if d.get("type") == "typed-literal":
        d["type"] = "literal"
    if d.get("type") == "bnode":
        d["value"] = d["value"].removeprefix("nodeID://")
    dt = d.get("datatype")
    if dt == XSD + "string":
        del d["datatype"]
    elif dt == XSD + "boolean":
        d["value"] = "true" if d["value"] in {"1", "true"} else "false"
    return d


def ox_graph_term(t: Any) -> Node:
    """Graph results come back as N-Triples; the same normalisation as :func:`json_term`."""
    if isinstance(t, ox.Literal) and not t.language:
        dt = t.datatype.value
        if dt == XSD + "boolean":
            return Literal("true" if t.value in {"1", "true"} else "false", datatype=URIRef(dt))
    return to_rdflib(t)  # type: ignore[return-value]

