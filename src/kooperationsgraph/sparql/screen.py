"""Screening of SPARQL text in Python, before any native parser sees it.

Native parsers are not trusted with unbounded input (pyoxigraph's recursive-descent parser overflows the
stack on a few thousand nested brackets) and pyoxigraph would fetch ``SERVICE`` and ``LOAD`` targets over
HTTP. So every query and update passes :func:`screen` first, which checks, on a real token stream (strings,
comments and IRIs are skipped, so ``"SERVICE"`` in a literal or ``<…/service>`` is harmless):

* the length (``Settings.max_query_length``) → :class:`~.errors.QueryTooLarge`;
* the bracket nesting ``{ ( [`` (``Settings.max_nesting``) → :class:`~.errors.QueryTooComplex`;
* ``SERVICE`` and ``LOAD`` targets, which must be on ``Settings.service_allowlist``;
* ``FROM`` / ``FROM NAMED`` IRIs, which must name a graph of the store (or be allow-listed)
  → :class:`~.errors.QueryRefused`.

The text is screened as written and once more with ``\\uXXXX`` escapes decoded (SPARQL allows codepoint
escapes anywhere), so an escaped keyword cannot slip through.

>>> screen("SELECT * WHERE { ?s ?p 'SERVICE <x>' }").form
'select'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..errors import QueryRefused, QueryTooComplex, QueryTooLarge
from .lexer import Token, decode_escapes, tokens

DEFAULT_MAX_LENGTH = 100_000
DEFAULT_MAX_NESTING = 200

_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "describe"}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


@dataclass
class Screened:
    """What the screener learnt about a request: its form and the graphs and services it names."""

    form: str  # select | ask | construct | describe | update | unknown
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)
    dataset_clauses: list[str] = field(default_factory=list)  # update: USING / USING NAMED / WITH seen
    where_positions: list[int] = field(default_factory=list)  # update: offsets of top-level WHERE keywords
    depth: int = 0
    deepest_at: int = 0  # offset of the bracket that reached ``depth``

    @property
    def is_graph_form(self) -> bool:
        return self.form in {"construct", "describe"}


def screen(text: str, *, max_length: int = DEFAULT_MAX_LENGTH, max_nesting: int = DEFAULT_MAX_NESTING,
           allowlist: Collection[str] = (), known_graphs: Callable[[], Collection[str]] | None = None,
           update: bool = False, base_iri: str = "") -> Screened:
    """Check a query (or update with ``update=True``) and describe it; raise if it must not run."""
    if len(text) > max_length:
        raise QueryTooLarge(f"the {'update' if update else 'query'} is {len(text)} characters long; "
                            f"this server accepts at most {max_length}")
    result = _analyse(text, update, base_iri)
    decoded = decode_escapes(text)
    if decoded != text:
        other = _analyse(decoded, update, base_iri)
        if other.depth > result.depth:
            result.depth, result.deepest_at = other.depth, min(other.deepest_at, len(text) - 1)
        result.services += other.services
        result.loads += other.loads
        result.from_graphs += [g for g in other.from_graphs if g not in result.from_graphs]
        result.from_named += [g for g in other.from_named if g not in result.from_named]
    if result.depth > max_nesting:
        line = text.count("\n", 0, result.deepest_at) + 1
        column = result.deepest_at - text.rfind("\n", 0, result.deepest_at)
        raise QueryTooComplex(f"line {line}, column {column}: brackets are nested {result.depth} levels deep; "
                              f"this server accepts at most {max_nesting} (flatten the query: fewer nested "
                              "groups or parentheses)")
    for target in result.services:
        if not allowed(target, allowlist):
            raise QueryRefused(f"SERVICE {_show(target)} is not allowed: this server makes no outbound requests "
                               "except to endpoints on its allow-list (KG_SERVICE_ALLOWLIST)")
    for target in result.loads:
        if not allowed(target, allowlist):
            raise QueryRefused(f"LOAD {_show(target)} is not allowed: this server loads no remote or local "
                               "documents except from its allow-list (KG_SERVICE_ALLOWLIST)")
    dataset = result.from_graphs + result.from_named
    if dataset:
        graphs = set(known_graphs()) if known_graphs else set()
        for g in dataset:
            if g not in graphs and not allowed(g, allowlist):
                raise QueryRefused(f"FROM {_show(g)} is not a named graph of this store; FROM and FROM NAMED "
                                   "only select graphs of the store (see /.well-known/void), nothing is fetched")
    return result


def allowed(target: str, allowlist: Collection[str]) -> bool:
    """An IRI is allowed when it equals an entry, or starts with an entry ending in ``/`` or ``#``.

    >>> allowed("https://query.wikidata.org/sparql", ["https://query.wikidata.org/"])
    True
    >>> allowed("https://query.wikidata.org.evil/", ["https://query.wikidata.org"])
    False
    """
    if not target:
        return False
    return any(target == a or (a.endswith(("/", "#")) and target.startswith(a)) for a in allowlist)


def _show(target: str) -> str:
    return f"<{target}>" if target and not target.startswith("?") else (target or "(no target)")


def _analyse(text: str, update: bool, base_iri: str = "") -> Screened:
    toks = list(tokens(text))
    res = Screened(form="update" if update else "unknown")
    prefixes: dict[str, str] = {}
    base = base_iri  # relative IRIs resolve against BASE, else against the request's base
    depth = 0
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        kw = t.keyword
        if t.kind == "open":
            depth += 1
            if depth > res.depth:
                res.depth, res.deepest_at = depth, t.start
        elif t.kind == "close":
            depth = max(0, depth - 1)
        elif kw == "PREFIX" and i + 2 < n and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
            prefixes[toks[i + 1].text.rstrip(":")] = _resolve(toks[i + 2].text[1:-1], base)
            i += 3
            continue
        elif kw == "BASE" and i + 1 < n and toks[i + 1].kind == "iri":
            base = _resolve(toks[i + 1].text[1:-1], base)
            i += 2
            continue
        elif kw in _FORMS and res.form == "unknown" and depth == 0:
            res.form = _FORMS[kw]
        elif kw == "SERVICE":
            j = i + 1
            if j < n and toks[j].keyword == "SILENT":
                j += 1
            res.services.append(_target(toks, j, prefixes, base))
        elif kw == "LOAD":
            j = i + 1
            if j < n and toks[j].keyword == "SILENT":
                j += 1
            res.loads.append(_target(toks, j, prefixes, base))
        elif kw == "FROM":
            j = i + 1
            named = j < n and toks[j].keyword == "NAMED"
            target = _target(toks, j + 1 if named else j, prefixes, base)
            (res.from_named if named else res.from_graphs).append(target)
        elif update and kw in {"USING", "WITH"}:
            res.dataset_clauses.append(kw)
        elif update and kw == "WHERE" and depth == 0:
            res.where_positions.append(t.start)
        i += 1
    if not update and res.form == "unknown" and any(t.keyword in _UPDATE_WORDS for t in toks[:50]):
        res.form = "update"
    return res


def _target(toks: list[Token], j: int, prefixes: dict[str, str], base: str) -> str:
    """The IRI a SERVICE/LOAD/FROM names; '' when it is a variable or missing (never allowed)."""
    if j >= len(toks):
        return ""
    t = toks[j]
    if t.kind == "iri":
        return _resolve(t.text[1:-1], base)
    if t.kind == "pname":
        prefix, _, local = t.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        return t.text
    return t.text if t.kind == "var" else ""


def _resolve(iri: str, base: str) -> str:
    return urljoin(base, iri) if base and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri) else iri
