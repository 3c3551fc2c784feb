"""Small class diagrams for the ontology page, one per class neighbourhood (the class, its super- and
subclasses and the object properties it is domain or range of) instead of one unreadable tangle. Mermaid
text; the page's script turns each drawn class box into a link to the class's section (#anchor)."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from ..namespaces import KG

#: Edges per neighbourhood drawn at most (a hub like kg:Akteur would otherwise tangle again).
MAX_EDGES = 24


def _local(iri: object) -> str | None:
    text = str(iri)
    return text[len(str(KG)):] if text.startswith(str(KG)) and text[len(str(KG)):].isidentifier() else None


def neighbourhood(g: Graph, cls: str) -> str:
    """Mermaid classDiagram text for the class ``cls`` (full IRI) and its direct neighbours."""
    c = URIRef(cls)
    me = _local(c)
    if me is None:
        return ""
    lines: list[str] = []
    for sup in sorted(g.objects(c, RDFS.subClassOf), key=str):
        if _local(sup):
            lines.append(f"  {_local(sup)} <|-- {me}")
    for sub in sorted(g.subjects(RDFS.subClassOf, c), key=str):
        if _local(sub):
            lines.append(f"  {me} <|-- {_local(sub)}")
    for p in sorted(g.subjects(RDF.type, OWL.ObjectProperty), key=str):
        name, dom, rng = _local(p), g.value(p, RDFS.domain), g.value(p, RDFS.range)
        if name is None or dom is None or rng is None or not (_local(dom) and _local(rng)):
            continue
        if c in (dom, rng):
            lines.append(f"  {_local(dom)} --> {_local(rng)} : {name}")
    lines = sorted(set(lines), key=lines.index)[:MAX_EDGES]
    if not lines:
        lines = [f"  class {me}"]
    return "\n".join(["classDiagram", "  direction LR", *lines]) + "\n"


def all_neighbourhoods(g: Graph, classes: list[str]) -> dict[str, str]:
    return {c: neighbourhood(g, c) for c in classes}
