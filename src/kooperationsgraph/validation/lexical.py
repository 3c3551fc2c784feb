"""Ill-formed and mistyped values, set aside before any rule runs. A value whose lexical form is not valid for
its XSD datatype (``"310000 EUR"^^xsd:decimal``, ``"NaN"^^xsd:decimal``, ``" true"^^xsd:boolean``,
``"2026-13-01"^^xsd:date``), or whose datatype is not the one the property expects (a string, ``xsd:dateTime``
or a language-tagged text where an amount, a date or a yes/no is expected), is removed from the data the rules
read and recorded instead as ``s kgsh:ungueltigeAngabe [ kgsh:eigenschaft p ; kgsh:lexikalischeForm "…" ;
kgsh:datentyp dt ; kgsh:erwarteterDatentyp expected ]``. Rule ST-12 reports each such record as a Violation
naming the value and the expected type; the legal rules then see the fact as missing (and their
missing-fact Warnings say so) instead of comparing values that Oxigraph and rdflib treat differently.

What a property expects: ``rdfs:range`` of the ontology's datatype properties (xsd:decimal, xsd:integer,
xsd:boolean, xsd:string) and, for the date properties that carry no range, ``kgsh:erwarteterDatentyp`` in
``ontology/shapes/structure.ttl``. Accepted forms are strict: ASCII digits, no surrounding whitespace, booleans
``true``/``false`` only, dates without time zone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
KGSH = "https://w3id.org/kooperationsgraph/shapes#"
RDFS_RANGE = "http://www.w3.org/2000/01/rdf-schema#range"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL_DATATYPE_PROPERTY = "http://www.w3.org/2002/07/owl#DatatypeProperty"
FINDINGS_GRAPH = "https://w3id.org/kooperationsgraph/graph/validation/lexical"

_INTEGER = r"[+-]?[0-9]+"
_DECIMAL = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
_DOUBLE = r"(" + _DECIMAL + r"([eE][+-]?[0-9]+)?|INF|-INF|\+INF|NaN)"
_TZ = r"(Z|[+-][0-9]{2}:[0-9]{2})?"
#: Lexical spaces (XSD 1.1, without whitespace collapsing) of the datatypes the rules compare.
LEXICAL: dict[str, re.Pattern[str]] = {
    XSD + "decimal": re.compile(_DECIMAL),
    XSD + "integer": re.compile(_INTEGER),
    XSD + "int": re.compile(_INTEGER),
    XSD + "long": re.compile(_INTEGER),
    XSD + "nonNegativeInteger": re.compile(r"\+?[0-9]+|-0+"),
    XSD + "positiveInteger": re.compile(r"\+?0*[1-9][0-9]*"),
    XSD + "double": re.compile(_DOUBLE),
    XSD + "float": re.compile(_DOUBLE),
    XSD + "boolean": re.compile(r"true|false|1|0"),
    XSD + "date": re.compile(r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}" + _TZ),
    XSD + "dateTime": re.compile(r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?" + _TZ),
    XSD + "gYear": re.compile(r"-?[0-9]{4,}" + _TZ),
    XSD + "gYearMonth": re.compile(r"-?[0-9]{4,}-(0[1-9]|1[0-2])" + _TZ),
}
#: Datatypes accepted where the ontology's range is the key (integers are decimals).
ACCEPTED: dict[str, set[str]] = {
    XSD + "decimal": {XSD + "decimal", XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger",
                      XSD + "positiveInteger"},
    XSD + "integer": {XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger", XSD + "positiveInteger"},
    XSD + "boolean": {XSD + "boolean"},
    XSD + "string": {XSD + "string"},
    XSD + "date": {XSD + "date"},
    XSD + "gYear": {XSD + "gYear"},
}
#: Forms valid in XSD that the rules still cannot use as written (a rule matches ``true``, not ``1``; a
#: time zone on a date is dropped by rdflib but kept by Oxigraph).
_STRICT: dict[str, re.Pattern[str]] = {
    XSD + "boolean": re.compile(r"true|false"),
    XSD + "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    XSD + "gYear": re.compile(r"[0-9]{4}"),
}


def well_formed(lexical: str, datatype: str) -> bool:
    """Whether the lexical form is valid for the datatype (unknown datatypes count as valid).

    >>> well_formed("310000", XSD + "decimal"), well_formed("310000 EUR", XSD + "decimal")
    (True, False)
    >>> well_formed("2026-02-30", XSD + "date"), well_formed("٣١٠", XSD + "integer")
    (False, False)
    """
    pattern = LEXICAL.get(datatype)
    if pattern is None:
        return True
    if not pattern.fullmatch(lexical):
        return False
    if datatype in (XSD + "date", XSD + "dateTime"):
        y, m, d = lexical.lstrip("-")[:10].split("-")[:3]
        try:
            date(int(y) if 0 < int(y) < 10000 else 2000, int(m), int(d))
        except ValueError:
            return False
    if datatype == XSD + "decimal" and lexical.strip("+-") in ("", "."):
        return False
    return True


def usable(lexical: str, datatype: str, expected: set[str]) -> bool:
    """Whether a value of a property expecting one of ``expected`` (range datatypes) can be used as written."""
    if not well_formed(lexical, datatype):
        return False
    if not expected:
        return True
    for e in expected:
        if datatype in ACCEPTED.get(e, {e}):
            strict = _STRICT.get(datatype)
            return strict is None or bool(strict.fullmatch(lexical))
    return False


def expectations(store: ox.Store) -> dict[str, set[str]]:
    """Property IRI → expected datatypes: ontology ranges of datatype properties and the date table."""
    out: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(OWL_DATATYPE_PROPERTY), None):
        prop = q.subject
        for r in store.quads_for_pattern(prop, ox.NamedNode(RDFS_RANGE), None, None):  # type: ignore[arg-type]
            if isinstance(r.object, ox.NamedNode) and r.object.value in ACCEPTED:
                out.setdefault(prop.value, set()).add(r.object.value)  # type: ignore[union-attr]
    return out


def table_from_shapes(triples: Iterable[tuple[str, str, str]]) -> dict[str, set[str]]:
    """``(property, kgsh:erwarteterDatentyp, datatype)`` statements of the shapes graph as a table."""
    out: dict[str, set[str]] = {}
    for s, p, o in triples:
        if p == KGSH + "erwarteterDatentyp":
            out.setdefault(s, set()).add(o)
    return out


def set_aside(store: ox.Store, graphs: list[str], table: dict[str, set[str]]) -> int:
    """Move unusable literals of the data graphs out of the rules' sight into records (see module doc)."""
    expected = expectations(store)
    for prop, types in table.items():
        expected.setdefault(prop, set()).update(types)
    bad: list[ox.Quad] = []
    for g in graphs:
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g)):
            o = q.object
            if not isinstance(o, ox.Literal):
                continue
            dt = RDF_LANGSTRING if o.language else o.datatype.value
            want = expected.get(q.predicate.value, set())
            if want and o.language:
                bad.append(q)
            elif not usable(o.value, dt, want):
                bad.append(q)
    target = ox.NamedNode(FINDINGS_GRAPH)
    for q in bad:
        store.remove(q)
        o = q.object
        record = ox.BlankNode()
        dt = RDF_LANGSTRING if o.language else o.datatype.value  # type: ignore[union-attr]
        want = sorted(expected.get(q.predicate.value, set())) or [dt]
        facts = [
            (q.subject, ox.NamedNode(KGSH + "ungueltigeAngabe"), record),
            (record, ox.NamedNode(KGSH + "eigenschaft"), q.predicate),
            (record, ox.NamedNode(KGSH + "lexikalischeForm"), ox.Literal(o.value)),  # type: ignore[union-attr]
            (record, ox.NamedNode(KGSH + "datentyp"), ox.NamedNode(dt)),
            (record, ox.NamedNode(KGSH + "erwarteterDatentyp"), ox.Literal(" oder ".join(_short(w) for w in want))),
        ]
        store.extend([ox.Quad(s, p, obj, target) for s, p, obj in facts])  # type: ignore[arg-type]
    return len(bad)


def _short(datatype: str) -> str:
    if datatype.startswith(XSD):
        return "xsd:" + datatype[len(XSD) :]
    if datatype == RDF_LANGSTRING:
        return "rdf:langString"
    return datatype
