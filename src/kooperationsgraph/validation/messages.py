"""Turning SHACL result messages into sentences people read: the shapes put IRIs in ``<…>`` and raw numbers
and ISO dates in their templates; here IRIs become labels (citations for legal norms), amounts get thousands
separators and dates the local form. The labels come from the validated graph itself."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from ..namespaces import KG
from ..output import compact
from ..store.terms import to_rdflib

_IRI_IN_MESSAGE = re.compile(r"<([a-z][a-z0-9+.-]*:[^<>\s]+)>")
_IRI_LIST = re.compile(r"<[a-z][a-z0-9+.-]*:[^<>\s]+>(?:, <[a-z][a-z0-9+.-]*:[^<>\s]+>)+")
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

    @classmethod
    def from_graph(cls, graph: Graph) -> Labels:
        return cls(lambda s, p: graph.objects(s, p))

    @classmethod
    def from_store(cls, store: ox.Store) -> Labels:
        def objects(s: URIRef, p: URIRef) -> Iterable[Node]:
            for q in store.quads_for_pattern(ox.NamedNode(str(s)), ox.NamedNode(str(p)), None, None):
                yield to_rdflib(q.object)  # type: ignore[misc]

        return cls(objects)

    def value(self, iri: str, prop: URIRef) -> Node | None:
        return next(iter(self._objects(URIRef(iri), prop)), None)

    def get(self, iri: str, lang: str) -> str | None:
        key = (iri, lang)
        if key not in self._cache:
            self._cache[key] = self._lookup(URIRef(iri), lang)
        return self._cache[key]

    def _lookup(self, node: URIRef, lang: str) -> str | None:
        citation = self.value(str(node), KG.zitierung)
        if citation is not None:
            return str(citation)
        best: dict[str, str] = {}
        for p in (SKOS.prefLabel, RDFS.label):
            for o in sorted(self._objects(node, p)):
                if isinstance(o, Literal):
                    best.setdefault(o.language or "", str(o))
            if lang in best:
                return best[lang]
        for fallback in ("de", "en", ""):
            if fallback in best:
                return best[fallback]
        return next(iter(best.values()), None)

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


def humanize(message: str, labels: Labels, lang: str) -> str:
    """Replace ``<iri>`` by „label“ (ontology terms unquoted) and format amounts, percentages and dates."""

    def iri(m: re.Match[str]) -> str:
        target = m.group(1)
        label = labels.get(target, lang)
        if label is None:
            return compact(URIRef(target))
        if _is_vocabulary(target):
            return label
        return f"„{label}“" if lang == "de" else f"“{label}”"

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
