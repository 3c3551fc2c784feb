"""Values from outside as RDF terms, never as query text.

* :func:`iri` checks a string from a URL path, a query string or a form and returns it as an IRI term, or
  raises :class:`~..errors.InvalidIRI` (pages answer 404, APIs 400) — an invalid IRI never reaches a query.
* :func:`term_text` writes a term in N-Triples syntax with pyoxigraph's own escaping (one writer).
* :func:`bind_values` is the binding helper of the remote backend: it puts a ``VALUES`` block with the escaped
  terms at the start of the query's outermost group, located with the one lexer. (The embedded backend binds
  natively: pyoxigraph's ``substitutions``, SEP-0007.) App queries bind only variables of their outermost
  group, where both ways mean the same.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import InvalidIRI
from .lexer import tokens

#: RFC 3987 shape of an absolute IRI as SPARQL's IRIREF allows it (no spaces, quotes, braces, backslash …).
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")
MAX_IRI_LENGTH = 4096
_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def iri(value: str) -> URIRef:
    """``value`` as an IRI term, or :class:`InvalidIRI`.

    >>> iri("https://w3id.org/kooperationsgraph/id/kooperation/trianel")
    rdflib.term.URIRef('https://w3id.org/kooperationsgraph/id/kooperation/trianel')
    >>> iri("https://x.org/a> } SERVICE <http://127.0.0.1/> {")
    Traceback (most recent call last):
    ...
    kooperationsgraph.errors.InvalidIRI: not a valid IRI: 'https://x.org/a> } SERVICE <http://127.0.0.1/> {'
    """
    if not isinstance(value, str) or len(value) > MAX_IRI_LENGTH or not _IRI.fullmatch(value):
        raise InvalidIRI(value if isinstance(value, str) else repr(value))
    try:
        ox.NamedNode(value)
    except ValueError:
        raise InvalidIRI(value) from None
    return URIRef(value)


def is_iri(value: str) -> bool:
    try:
        iri(value)
    except InvalidIRI:
        return False
    return True


def to_ox_term(node: Node, *, checked: bool = True) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term — the one conversion of the project. ``checked``: IRIs are checked
    again (an rdflib URIRef accepts anything); the store's own bulk copies of parsed terms skip that."""
    def named(value: str) -> ox.NamedNode:
        return ox.NamedNode(str(iri(value)) if checked else value)

    if isinstance(node, URIRef):
        return named(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=named(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"cannot bind {node!r}: not an RDF term")


def term_text(node: Node) -> str:
    """N-Triples syntax of a term, escaped by pyoxigraph's writer.

    >>> term_text(Literal('a "quote" } and \\n newline'))
    '"a \\\\"quote\\\\" } and \\\\n newline"'
    """
    if isinstance(node, BNode):
        raise TypeError("blank nodes cannot be bound in query text")
    return str(to_ox_term(node))


def check_bindings(bindings: Mapping[str, Node] | None) -> dict[str, Node]:
    """Variable names are identifiers; values are RDF terms."""
    out: dict[str, Node] = {}
    for name, value in (bindings or {}).items():
        if not _VAR.fullmatch(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
        if not isinstance(value, URIRef | Literal):
            raise TypeError(f"binding ?{name} must be an IRI or a literal, not {type(value).__name__}")
        to_ox_term(value)
        out[name] = value
    return out


def bind_values(text: str, bindings: Mapping[str, Node]) -> str:
    """Insert ``VALUES (?a ?b) { (<…> "…") }`` after the ``{`` that opens the outermost group pattern.

    >>> bind_values("SELECT ?p WHERE { ?s ?p ?o }", {"s": URIRef("urn:x")})
    'SELECT ?p WHERE { VALUES (?s) { (<urn:x>) } ?s ?p ?o }'
    >>> bind_values("CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }", {"t": URIRef("urn:T")})
    'CONSTRUCT { ?s a ?t } WHERE { VALUES (?t) { (<urn:T>) } ?s a ?t }'
    >>> bind_values("ASK { ?s ?p '{' }", {"s": URIRef("urn:x")})
    "ASK { VALUES (?s) { (<urn:x>) } ?s ?p '{' }"
    """
    bindings = check_bindings(bindings)
    if not bindings:
        return text
    names = " ".join("?" + n for n in bindings)
    values = " ".join(term_text(v) for v in bindings.values())
    block = f" VALUES ({names}) {{ ({values}) }}"
    toks = list(tokens(text))
    seen_form, i = False, 0
    while i < len(toks):
        tok, kw = toks[i], toks[i].keyword
        if kw == "CONSTRUCT" and i + 1 < len(toks) and toks[i + 1].text == "{":
            depth, i = 0, i + 1  # skip the template: the group pattern follows WHERE
            while i < len(toks):
                depth += {"{": 1, "}": -1}.get(toks[i].text, 0) if toks[i].kind in {"open", "close"} else 0
                if depth == 0:
                    break
                i += 1
            seen_form = True
        elif kw in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE"}:
            seen_form = True
        elif tok.kind == "open" and tok.text == "{" and seen_form:
            at = tok.start + 1
            return text[:at] + block + text[at:]
        i += 1
    raise ValueError("the query has no group pattern to bind values in")


def fill(text: str, terms: Mapping[str, Node]) -> str:
    """Replace the variables ``?name`` of a constant template by escaped terms (for updates, which pyoxigraph
    cannot bind natively, and for graph names of protocol operations). Only variable tokens found by the one
    lexer are replaced, so a term can never change the structure of the text.

    >>> fill("MOVE SILENT GRAPH ?a TO GRAPH ?b", {"a": URIRef("urn:x"), "b": URIRef("urn:y")})
    'MOVE SILENT GRAPH <urn:x> TO GRAPH <urn:y>'
    """
    terms = check_bindings(terms)
    out, pos = [], 0
    for tok in tokens(text):
        if tok.kind == "var" and tok.text[1:] in terms:
            out.append(text[pos:tok.start])
            out.append(term_text(terms[tok.text[1:]]))
            pos = tok.start + len(tok.text)
    out.append(text[pos:])
    return "".join(out)
