"""IRI scheme of the project: one base, ontology terms under ``ontology#``, instances under ``id/{kind}/``.

The scheme is fixed here once; the web app maps :data:`BASE` to its own host so the same data works on
localhost and on a public domain.
"""

from __future__ import annotations

from rdflib import Namespace

BASE = "https://w3id.org/kooperationsgraph/"
ONTOLOGY_IRI = BASE + "ontology"
KG = Namespace(BASE + "ontology#")
ID = BASE + "id/"
EXAMPLE = Namespace(BASE + "example/")
SHAPES = Namespace(BASE + "shapes#")
GRAPH = BASE + "graph/"

#: Named graphs that the build writes besides one graph per input file.
DERIVED_GRAPH = GRAPH + "derived"
INFERRED_GRAPH = GRAPH + "inferred"
META_GRAPH = GRAPH + "meta"
REPORTS_GRAPH_PREFIX = GRAPH + "report/"
#: Change sets (issue 13): the history graph of their metadata and one staging graph per change set.
CHANGES_GRAPH = GRAPH + "changes"
CHANGE_GRAPH_PREFIX = GRAPH + "changes/"
CHANGE_ID = ID + "aenderung/"

ORG = Namespace("http://www.w3.org/ns/org#")
DPV = Namespace("https://w3id.org/dpv#")
EU_GDPR = Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")

#: Prefixes preloaded in queries, the CLI and the query editor. Instance prefixes mirror data/ Turtle files.
PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "akteur": ID + "akteur/",
    "koop": ID + "kooperation/",
    "mitgl": ID + "mitgliedschaft/",
    "vereinb": ID + "vereinbarung/",
    "norm": ID + "norm/",
    "schwelle": ID + "schwellenwert/",
    "sektor": ID + "sektor/",
    "ebene": ID + "ebene/",
    "rolle": ID + "rolle/",
    "ziel": ID + "ziel/",
    "ergebnis": ID + "ergebnis/",
    "gut": ID + "gut/",
    "krise": ID + "krise/",
    "hurdle": ID + "huerde/",
    "empf": ID + "empfehlung/",
    "quelle": ID + "quelle/",
    "staat": ID + "staat/",
    "land": ID + "land/",
    "kreis": ID + "kreis/",
    "gemeinde": ID + "gemeinde/",
    "krankenhaus": ID + "krankenhaus/",
    "betreiber": ID + "betreiber/",
    "ex": str(EXAMPLE),
    "kgsh": str(SHAPES),
    "org": str(ORG),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "eli": str(ELI),
    "dpv": str(DPV),
    "eu-gdpr": str(EU_GDPR),
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def sparql_prologue(prefixes: dict[str, str] | None = None) -> str:
    """PREFIX lines for all project prefixes.

    >>> sparql_prologue({"kg": "https://x/#"})
    'PREFIX kg: <https://x/#>\\n'
    """
    items = (prefixes or PREFIXES).items()
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in items)


def graph_iri_for(relative_path: str) -> str:
    """Named-graph IRI for an input file, e.g. ``data/kooperationen/energie.ttl`` → ``…/graph/data/kooperationen/energie``.

    >>> graph_iri_for("data/recht/normen.ttl")
    'https://w3id.org/kooperationsgraph/graph/data/recht/normen'
    """
    stem = relative_path.rsplit(".", 1)[0] if "." in relative_path.rsplit("/", 1)[-1] else relative_path
    return GRAPH + stem.replace("\\", "/")
