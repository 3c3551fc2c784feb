"""Fast path: each SHACL-SPARQL constraint compiled into one query over all its focus nodes and run on the
prepared Oxigraph store, instead of one rdflib query per focus node. Supported are named node shapes whose
only constraints are ``sh:sparql`` with class, node, subjects-of or objects-of targets — all project rules.

The compiled query joins the shape's targets as a DISTINCT sub-select in front of the constraint's WHERE
clause and turns ``$this`` into ``?this``. That equals SHACL's pre-binding because every group of the project
queries that uses ``$this`` starts with a triple pattern on it (see the convention in ontology/shapes/);
tests/test_validation.py proves identical results with pySHACL on every example and on the W3C SPARQL cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..sparql.lexer import mask
from ..sparql.terms import term_text
from ..store.terms import to_rdflib
from .raw import RawResult, ValidationError, rule_name
from .rules import RuleBook

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
#: Shape parameters the fast path understands; any other sh: parameter means "use pySHACL".
ALLOWED = {
    SH.sparql,
    SH.severity,
    SH.message,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    *TARGETS,
}
TARGET_HEAD = "{ SELECT DISTINCT ?this WHERE { "
THIS = ox.Variable("this")
_THIS = re.compile(r"\$this\b")
_UNSUPPORTED_VARS = re.compile(r"[?$](PATH|shapesGraph|currentShape|failure)\b")
_FORBIDDEN = re.compile(r"\b(MINUS|VALUES|SERVICE)\b|\{\s*SELECT\b|\bAS\s+[?$]this\b", re.I)


@dataclass
class Compiled:
    shape: URIRef
    severity: Node
    query: str
    messages: list[Literal]
    node_shape: bool = True
    targets: str = ""  # the target pattern (see _target_union), for queries cut to a few focus nodes


def _shapes(g: Graph) -> set[Node]:
    return (
        set(g.subjects(RDF.type, SH.NodeShape))
        | set(g.subjects(RDF.type, SH.PropertyShape))
        | {s for t in TARGETS for s in g.subjects(t, None)}
    )


def supports(book: RuleBook, selected: list[str] | None) -> bool:
    """True when every shape that would be validated can be compiled."""
    g = book.graph
    shapes = _shapes(g) if selected is None else {URIRef(s) for s in selected}
    for s in shapes:
        if not isinstance(s, URIRef) or (s, RDF.type, SH.PropertyShape) in g or g.value(s, SH.path) is not None:
            return False
        if (s, RDF.type, RDFS.Class) in g or (s, RDF.type, OWL.Class) in g:  # implicit class targets
            return False
        params = {p for p in g.predicates(s, None) if str(p).startswith(str(SH))}
        if not params <= ALLOWED:
            return False
        for c in g.objects(s, SH.sparql):
            select = g.value(c, SH.select)
            if select is None or _UNSUPPORTED_VARS.search(str(select)) or not prebinding_safe(str(select)):
                return False
    if any(g.subject_objects(SH.parameter)) or any(g.subjects(RDF.type, SH.ConstraintComponent)):
        return False  # custom constraint components: pySHACL evaluates those
    # shapes referenced only from other shapes (sh:node …) would need Core: refuse anything unexpected
    return all(isinstance(s, URIRef) for s in _shapes(g))


def prebinding_safe(select: str) -> bool:
    """Whether joining the targets in front of the WHERE clause means the same as pre-binding ``$this``.

    Conservative: no MINUS, VALUES, SERVICE or sub-SELECT, and every nested group (outside EXISTS, which
    sees the current solution anyway) mentions ``$this`` first in a triple pattern, not in FILTER or BIND.

    >>> prebinding_safe("SELECT $this WHERE { $this a ?t . { $this ?p ?o FILTER($this != ?o) } }")
    True
    >>> prebinding_safe("SELECT $this WHERE { { FILTER($this = <urn:x>) } }")
    False
    """
    text = mask(select)  # the one lexer: no keyword or brace inside a string, an IRI or a comment counts
    if _FORBIDDEN.search(text):
        return False
    start = text.find("{")
    return start >= 0 and _groups_safe(text, start, top=True)


def _close(text: str, i: int) -> int:
    depth = 0
    for j in range(i, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return j
    return len(text)


def _groups_safe(text: str, i: int, top: bool = False) -> bool:
    end = _close(text, i)
    inner = text[i + 1 : end]
    if not top and "$this" in inner:
        before = inner.split("$this", 1)[0]
        if re.search(r"\b(FILTER|BIND|OPTIONAL|EXISTS)\b|\{", before, re.I):
            return False
    j = i + 1
    while j < end:
        k = text.find("{", j, end)
        if k < 0:
            break
        if re.search(r"\bEXISTS\s*$", text[:k], re.I):
            j = _close(text, k) + 1
            continue
        if not _groups_safe(text, k):
            return False
        j = _close(text, k) + 1
    return True


def _prefixes(g: Graph, node: Node, seen: set[Node] | None = None) -> dict[str, str]:
    seen = seen or set()
    if node in seen:
        return {}
    seen.add(node)
    out: dict[str, str] = {}
    for decl in g.objects(node, SH.declare):
        prefix, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
        if prefix is not None and ns is not None:
            out[str(prefix)] = str(ns)
    for imported in g.objects(node, OWL.imports):
        out.update(_prefixes(g, imported, seen))
    return out


def _target_union(g: Graph, shape: URIRef) -> str:
    """The shape's targets as a group pattern binding ?this (one UNION branch per target declaration)."""
    parts = []
    for c in g.objects(shape, SH.targetClass):
        parts.append(f"{{ ?this <{RDF.type}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {term_text(c)} }}")
    for n in g.objects(shape, SH.targetNode):
        parts.append(f"{{ BIND({n.n3()} AS ?this) }}")
    for p in g.objects(shape, SH.targetSubjectsOf):
        parts.append(f"{{ ?this {term_text(p)} ?targetObject }}")
    for p in g.objects(shape, SH.targetObjectsOf):
        parts.append(f"{{ ?targetSubject {term_text(p)} ?this }}")
    return " UNION ".join(parts)


_COMPILED: dict[tuple[int, URIRef], tuple[Graph, list[Compiled]]] = {}


def compile_shape(g: Graph, shape: URIRef) -> list[Compiled]:
    """One query per sh:sparql constraint of the shape (none for deactivated shapes or constraints); cached per
    shapes graph object (the rule book's graph is loaded once and never changed)."""
    hit = _COMPILED.get((id(g), shape))
    if hit is not None and hit[0] is g:
        return hit[1]
    out = _compile_shape(g, shape)
    _COMPILED[(id(g), shape)] = (g, out)
    return out


def _compile_shape(g: Graph, shape: URIRef) -> list[Compiled]:
    if g.value(shape, SH.deactivated) == Literal(True) or not any(g.objects(shape, t) for t in TARGETS):
        return []
    severity = g.value(shape, SH.severity) or SH.Violation
    shape_messages = [m for m in g.objects(shape, SH.message) if isinstance(m, Literal)]
    out = []
    for c in g.objects(shape, SH.sparql):
        if g.value(c, SH.deactivated) == Literal(True):
            continue
        prefixes: dict[str, str] = {}
        for pnode in g.objects(c, SH.prefixes):
            prefixes.update(_prefixes(g, pnode))
        body = _THIS.sub("?this", str(g.value(c, SH.select)))
        brace = _where_brace(body)
        targets = _target_union(g, shape)
        query = body[: brace + 1] + " " + TARGET_HEAD + targets + " } } " + body[brace + 1 :]
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
        messages = shape_messages + [m for m in g.objects(c, SH.message) if isinstance(m, Literal)]
        out.append(Compiled(shape, severity, prologue + query, messages, targets=targets))
    return out


def _where_brace(query: str) -> int:
    """Position of the opening brace of the top-level WHERE clause."""
    m = re.search(r"\bWHERE\s*\{", query, flags=re.I)
    if m:
        return m.end() - 1
    return query.index("{")


def run_fast(
    store: ox.Store, book: RuleBook, selected: list[str] | None, focus: list[str] | None, where: str = "<data>"
):
    """Validate on the Oxigraph store; returns the same RawResult list as the pySHACL path. A query that fails
    raises ValidationError naming the data and the rule (exit code 2), never a partial report."""

    g = book.graph
    shapes = sorted(s for s in _shapes(g) if isinstance(s, URIRef)) if selected is None else [URIRef(s) for s in selected]
    wanted = set(focus) if focus else None
    results: list[RawResult] = []
    seen: set[tuple] = set()
    for shape in shapes:
        run_shape(store, book, shape, wanted, results, seen, where)
    return results


def focused(store: ox.Store, comp: Compiled, nodes: list[Node]) -> str | None:
    """The compiled query for those of ``nodes`` that are targets of the shape: the target sub-select replaced
    by a VALUES block of them (None: none is a target). The same algebra as the targets cut to those nodes
    (the group's first element yields exactly them), but Oxigraph starts its joins from the inline data, so a query for a
    few nodes is index lookups instead of a pass over the targets (also faster than ``substitutions``)."""
    values = " ".join(term_text(n) for n in nodes)
    check = f"SELECT DISTINCT ?this WHERE {{ VALUES ?this {{ {values} }} {comp.targets} }}"
    found = [to_rdflib(sol["this"]) for sol in store.query(check, use_default_graph_as_union=True)]  # type: ignore[union-attr,index]
    if not found:
        return None
    head = TARGET_HEAD + comp.targets + " } }"
    assert head in comp.query, comp.shape
    return comp.query.replace(head, "VALUES ?this { " + " ".join(term_text(n) for n in found) + " }", 1)


def run_shape(store: ox.Store, book: RuleBook, shape: URIRef, wanted: set[str] | None, results: list[RawResult],
              seen: set[tuple], where: str = "<data>", nodes: list[Node] | None = None) -> None:
    """Results of one shape (all its targets, or only ``nodes`` when given) appended to ``results``."""
    g = book.graph
    for comp in compile_shape(g, shape):
        try:
            text = comp.query if nodes is None else focused(store, comp, nodes)
            if text is None:
                continue
            sols = store.query(text, use_default_graph_as_union=True)
            names = [v.value for v in sols.variables]  # type: ignore[union-attr]
            rows = [{n: to_rdflib(sol[n]) for n in names if sol[n] is not None} for sol in sols]  # type: ignore[union-attr]
        except Exception as exc:  # noqa: BLE001 - any engine failure is an error, not a finding
            raise ValidationError(f"{where}: rule {rule_name(book, shape)}: query failed: {exc}") from None
        for row in rows:
            this = row.get("this")
            if this is None or (wanted is not None and str(this) not in wanted):
                continue
            key = (shape, tuple(sorted((k, v) for k, v in row.items())))
            if key in seen:
                continue
            seen.add(key)
            value = row.get("value", this)
            bindings = {**row, "value": value}
            results.append(
                RawResult(
                    focus=this,
                    path=row.get("path"),
                    value=value,
                    shape=shape,
                    severity=comp.severity,
                    messages=list(comp.messages),
                    component=SH.SPARQLConstraintComponent,
                    bindings=bindings,
                )
            )
