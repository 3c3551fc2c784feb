"""Conversion between pyoxigraph and rdflib terms."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..sparql.terms import to_ox_term

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def to_rdflib(t: object) -> Node | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        # normalize=False: the lexical form stays as stored (rdflib would rewrite " true" to "false")
        return Literal(t.value) if dt == XSD_STRING else Literal(t.value, datatype=URIRef(dt), normalize=False)
    if isinstance(t, ox.DefaultGraph):
        return None
    raise TypeError(f"unsupported term {t!r}")


def to_ox(t: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term the store already parsed, as a pyoxigraph term (the one conversion, unchecked)."""
    return to_ox_term(t, checked=False)
