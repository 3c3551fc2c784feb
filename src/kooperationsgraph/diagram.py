"""Class diagram of the ontology, generated from the Turtle source (Mermaid for the README, the same
structure for the web UI's ontology page). The README's diagram is checked against this output by a test."""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from .namespaces import KG

#: The overview shows the backbone; the full class list is on the ontology page.
OVERVIEW_CLASSES = (
    "Akteur", "OeffentlicheStelle", "OeffentlichesUnternehmen", "Stadtwerk", "PrivatesUnternehmen",
    "Genossenschaft", "Verband", "Forschungseinrichtung", "Krankenhaus",
    "Kooperation", "Mitgliedschaft", "Rolle", "Koordinierungsstelle", "Einkaufsgemeinschaft",
    "Sektor", "FoederaleEbene", "Verwaltungseinheit", "Vereinbarung", "OeffentlicherAuftrag",
    "Krisenprotokoll", "Rechtsnorm", "Rechtsakt", "Schwellenwert", "Zielsetzung", "Ergebnis",
    "Huerde", "Empfehlung", "Versorgungsgut", "Versorgungskrise",
)


def local(iri: URIRef) -> str:
    return str(iri).split("#")[-1]


def mermaid(ontology: Path | Graph, classes: tuple[str, ...] = OVERVIEW_CLASSES) -> str:
    g = ontology if isinstance(ontology, Graph) else Graph().parse(ontology)
    keep = {KG[c] for c in classes}
    lines = ["classDiagram", "  direction LR"]
    for c in sorted(keep, key=str):
        for sup in sorted(g.objects(c, RDFS.subClassOf), key=str):
            if sup in keep:
                lines.append(f"  {local(sup)} <|-- {local(c)}")
    for p in sorted(g.subjects(RDF.type, OWL.ObjectProperty), key=str):
        if not str(p).startswith(str(KG)):
            continue
        dom, rng = g.value(p, RDFS.domain), g.value(p, RDFS.range)
        if rng not in keep:
            continue
        # properties without a domain (sektor, sitz, ebene) apply to actors and cooperations alike
        for d in ([dom] if dom is not None else [KG.Akteur, KG.Kooperation]):
            if d in keep:
                lines.append(f"  {local(d)} --> {local(rng)} : {local(p)}")
    return "\n".join(lines) + "\n"
