"""Turning SHACL result messages into sentences people read: the shapes put IRIs in ``<…>`` and raw numbers
and ISO dates in their templates; here IRIs become labels (citations for legal norms), amounts get thousands
separators and dates the local form. The labels come from the validated graph itself.

:func:`render` builds a message in one pass from a template and the result's bindings, for both engines: a
value is inserted once and never read again as a template, so values such as ``{$this}``, ``\\g<0>``, ``\\1``
or ``<a:{b}>`` appear literally. :func:`humanize` (kept for already substituted text) applies the same
formatting to a finished message."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from ..lang import pick
from ..namespaces import KG
from ..output import compact
from ..store.terms import to_rdflib

#: An IRI in angle brackets as the queries write them (no characters RFC 3987 forbids inside an IRI).
_IRI_CHARS = r"[a-z][a-z0-9+.-]*:[^<>\s\"{}|\\^`]+"
_IRI_IN_MESSAGE = re.compile(r"<(" + _IRI_CHARS + r")>")
_IRI_LIST = re.compile(r"<" + _IRI_CHARS + r">(?:, <" + _IRI_CHARS + r">)+")
_PLACEHOLDER = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")
XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {XSD + t for t in ("decimal", "integer", "double", "float", "int", "long", "nonNegativeInteger",
                               "positiveInteger", "short", "byte", "unsignedInt", "unsignedLong")}
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_MONEY_DE = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?) €")
_MONEY_EN = re.compile(r"EUR (\d+(?:\.\d+)?)(?![\w])")
_PERCENT = re.compile(r"(?<![\w.,])(\d+\.\d+) %")
_ISO_DATE = re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")


class Labels:
    """Label lookup in the validated data: citation for norms, then prefLabel/label in the language. Works on
    an rdflib graph (pySHACL path) or directly on the Oxigraph store (fast path)."""

    def __init__(self, objects: Callable[[URIRef, URIRef], Iterable[Node]]):
        self._objects = objects
        self._cache: dict[tuple[str, str], str | None] = {}
        self._values: dict[tuple[str, URIRef], Node | None] = {}
        #: per IRI: its citation, or the labels by language after prefLabel and after rdfs:label
        self._names: dict[str, tuple[str | None, list[dict[str, str]]]] = {}

    @classmethod
    def from_graph(cls, graph: Graph) -> Labels:
        return cls(lambda s, p: graph.objects(s, p))

    @classmethod
    def from_store(cls, store: ox.Store) -> Labels:
        def objects(s: URIRef, p: URIRef) -> Iterable[Node]:
            try:
                subject = ox.NamedNode(str(s))
            except ValueError:  # not an IRI Oxigraph accepts (e.g. text like <a:{b}> in a message): no label
                return
            for q in store.quads_for_pattern(subject, ox.NamedNode(str(p)), None, None):
                yield to_rdflib(q.object)  # type: ignore[misc]

        return cls(objects)

    def value(self, iri: str, prop: URIRef) -> Node | None:
        key = (iri, prop)
        if key not in self._values:
            self._values[key] = next(iter(self._objects(URIRef(iri), prop)), None)
        return self._values[key]

    def get(self, iri: str, lang: str) -> str | None:
        key = (iri, lang)
        if key not in self._cache:
            self._cache[key] = self._lookup(URIRef(iri), lang)
        return self._cache[key]

    def _lookup(self, node: URIRef, lang: str) -> str | None:
        citation, stages = self._names_of(node)
        if citation is not None:
            return citation
        for best in stages:  # prefLabel first, then rdfs:label, in the language; else the best other one
            if lang in best:
                return best[lang]
        return pick(stages[-1], lang)

    def _names_of(self, node: URIRef) -> tuple[str | None, list[dict[str, str]]]:
        """Read once per IRI for every language."""
        hit = self._names.get(str(node))
        if hit is None:
            citation = self.value(str(node), KG.zitierung)
            stages: list[dict[str, str]] = []
            if citation is None:
                best: dict[str, str] = {}
                for p in (SKOS.prefLabel, RDFS.label):
                    for o in sorted(self._objects(node, p)):
                        if isinstance(o, Literal):
                            best.setdefault(o.language or "", str(o))
                    stages.append(dict(best))
            hit = self._names[str(node)] = (None if citation is None else str(citation), stages)
        return hit

    def display(self, iri: str, lang: str) -> str:
        """Label, or the compact IRI when the data has none."""
        return self.get(iri, lang) or compact(URIRef(iri))

    def citation(self, iri: str) -> str | None:
        c = self.value(iri, KG.zitierung)
        return str(c) if c is not None else None

    def url(self, iri: str) -> str | None:
        u = self.value(iri, KG.amtlicheUrl)
        return str(u) if u is not None else None


def _is_vocabulary(iri: str) -> bool:
    return iri.startswith(str(KG))


def _iri_text(target: str, labels: Labels, lang: str) -> str:
    label = labels.get(target, lang)
    if label is None:
        return compact(URIRef(target))
    if _is_vocabulary(target):
        return label
    return f"„{label}“" if lang == "de" else f"“{label}”"


def render_value(value: Node | None, labels: Labels, lang: str) -> str:
    """One bound value as text: IRIs as labels, numbers and dates in the local form, other text as it is."""
    if value is None:
        return "–"
    if isinstance(value, URIRef):
        return _iri_text(str(value), labels, lang)
    if isinstance(value, BNode):
        return "[unbenannter Knoten]" if lang == "de" else "[blank node]"
    if isinstance(value, Literal):
        text = str(value)
        dt = str(value.datatype) if value.datatype else None
        if dt in _NUMERIC and _PLAIN_NUMBER.fullmatch(text):
            return format_amount(text, lang)
        if dt == XSD + "date" and lang == "de":
            m = _ISO_DATE.fullmatch(text)
            return f"{m.group(3)}.{m.group(2)}.{m.group(1)}" if m else text
        if dt in (None, XSD + "string") and not value.language:
            return humanize(text, labels, lang)  # texts the queries build may name IRIs and amounts
        return text
    return str(value)


def render(template: str, bindings: dict[str, Node], labels: Labels, lang: str) -> str:
    """The message of one result, built in one pass: each ``{?var}``/``{$var}`` is replaced by its rendered
    value (``<{?var}>`` by the label alone); unbound variables become "–"; values are never re-scanned."""
    out: list[str] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        start, end = m.start(), m.end()
        wrapped = start > pos and template[start - 1] == "<" and template[end : end + 1] == ">"
        out.append(template[pos : start - 1] if wrapped else template[pos:start])
        out.append(render_value(bindings.get(m.group(1)), labels, lang))
        pos = end + 1 if wrapped else end
    out.append(template[pos:])
    return "".join(out)


def encode_term(t: Node) -> list[str]:
    """A JSON-safe, lossless form of an rdflib term (for passing bindings out of pySHACL)."""
    if isinstance(t, URIRef):
        return ["u", str(t)]
    if isinstance(t, BNode):
        return ["b", str(t)]
    if isinstance(t, Literal):
        return ["l", str(t), str(t.datatype or ""), t.language or ""]
    return ["s", str(t)]


def decode_term(data: list[str]) -> Node:
    kind = data[0]
    if kind == "u":
        return URIRef(data[1])
    if kind == "b":
        return BNode(data[1])
    if kind == "l":
        _, lex, dt, lang = data
        if lang:
            return Literal(lex, lang=lang)
        return Literal(lex, datatype=URIRef(dt) if dt else None, normalize=False)
    return Literal(data[1])


def humanize(message: str, labels: Labels, lang: str) -> str:
    """Replace ``<iri>`` by „label“ (ontology terms unquoted) and format amounts, percentages and dates."""

    def iri(m: re.Match[str]) -> str:
        return _iri_text(m.group(1), labels, lang)

    # GROUP_CONCAT has no defined order: sort lists of IRIs so every engine words a result the same way
    text = _IRI_LIST.sub(lambda m: ", ".join(sorted(m.group(0).split(", "))), message)
    text = _IRI_IN_MESSAGE.sub(iri, text)
    if lang == "de":
        text = _MONEY_DE.sub(lambda m: format_amount(m.group(1), lang) + " €", text)
        text = _PERCENT.sub(lambda m: format_amount(m.group(1), lang) + " %", text)
        text = _ISO_DATE.sub(lambda m: f"{m.group(3)}.{m.group(2)}.{m.group(1)}", text)
    else:
        text = _MONEY_EN.sub(lambda m: "EUR " + format_amount(m.group(1), lang), text)
        text = _MONEY_DE.sub(lambda m: "EUR " + format_amount(m.group(1), lang), text)
    return text


def format_amount(raw: str, lang: str) -> str:
    """Thousands separators and decimal mark by language; trailing zero decimals dropped.

    >>> format_amount("310000.00", "de"), format_amount("17500000.5", "de"), format_amount("216000", "en")
    ('310.000', '17.500.000,5', '216,000')
    """
    try:
        d = Decimal(raw)
    except InvalidOperation:
        return raw
    if d == d.to_integral_value():
        text = f"{int(d):,}"
    else:
        text = f"{d.normalize():,f}"
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
