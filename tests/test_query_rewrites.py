# ruff: noqa: E501 - the earlier query texts are kept verbatim
"""Catalogue and app queries rewritten for speed at 1 M triples (issue 15) give the same rows as their earlier
text, kept here as the reference: the same multiset of rows and, where the query sorts, the same sequence of sort
keys (ties have no defined order). The rewrites were also compared on the generated 100 k and 1 M landscapes
(bench/RESULTS.md, 2026-12-02)."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import REPO

from kooperationsgraph.catalogue import app_query, parse_header

OLD = {
    "auftraege-ueber-schwellenwert": """PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?auftrag ?name ?wert ?schwelle ?verfahren ?ausnahme WHERE {
  ?auftrag a kg:OeffentlicherAuftrag ; rdfs:label ?name ; kg:geschaetzterAuftragswert ?wert ; kg:abschlussdatum ?datum ; kg:auftraggeber ?ag .
  FILTER(LANG(?name) = "de")
  OPTIONAL { ?auftrag kg:auftragsart ?erfassteArt }
  BIND(COALESCE(?erfassteArt, kg:LieferDienstleistungsauftrag) AS ?art)
  OPTIONAL { ?auftrag kg:auftraggeberKategorie ?erfassteKategorie }
  BIND(COALESCE(?erfassteKategorie,
       IF(EXISTS { ?ag kg:sektor ?s . ?s a kg:Sektorentaetigkeit }, kg:SektorenauftraggeberKategorie,
          IF(EXISTS { ?ag a kg:Bundesbehoerde }, kg:ZentraleRegierungsbehoerde, kg:SubzentralerAuftraggeber))) AS ?kategorie)
  ?sw a kg:Schwellenwert ; kg:auftraggeberKategorie ?kategorie ; kg:schwellenwertart kg:EUSchwellenwert ; kg:auftragsart ?art ; kg:betrag ?schwelle ; kg:gueltigVon ?von .
  OPTIONAL { ?sw kg:gueltigBis ?bis }
  FILTER(?von <= ?datum && (!BOUND(?bis) || ?datum <= ?bis) && ?wert >= ?schwelle)
  OPTIONAL { ?auftrag kg:vergabeverfahren/rdfs:label ?verfahren FILTER(LANG(?verfahren) = "de") }
  OPTIONAL { ?auftrag kg:ausnahme/rdfs:label ?ausnahme FILTER(LANG(?ausnahme) = "de") }
} ORDER BY ?name ?schwelle""",
    "personenbezogene-daten": """PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX dpv: <https://w3id.org/dpv#>
SELECT ?vereinbarung ?name ?besondereKategorien (GROUP_CONCAT(DISTINCT STRAFTER(STR(?basis), "#"); separator=", ") AS ?rechtsgrundlagen) WHERE {
  ?vereinbarung a kg:Vereinbarung ; kg:personenbezogeneDaten true ; rdfs:label ?name . FILTER(LANG(?name) = "de")
  OPTIONAL { ?vereinbarung kg:besondereKategorien ?besondereKategorien }
  OPTIONAL { ?vereinbarung dpv:hasLegalBasis ?basis }
} GROUP BY ?vereinbarung ?name ?besondereKategorien ORDER BY ?name""",
    "wettbewerber-kooperationen": """PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?vereinbarung ?name ?gegenstand ?marktanteil ?einkaufsmarkt ?verkaufsmarkt WHERE {
  ?vereinbarung a kg:Vereinbarung ; kg:zwischenWettbewerbern true ; rdfs:label ?name . FILTER(LANG(?name) = "de")
  OPTIONAL { ?vereinbarung kg:kooperationsgegenstand/rdfs:label ?gegenstand FILTER(LANG(?gegenstand) = "de") }
  OPTIONAL { ?vereinbarung kg:kombinierterMarktanteil ?marktanteil }
  OPTIONAL { ?vereinbarung kg:marktanteilEinkaufsmarkt ?einkaufsmarkt }
  OPTIONAL { ?vereinbarung kg:marktanteilVerkaufsmarkt ?verkaufsmarkt }
} ORDER BY ?name""",
    "labels-lage": """PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
SELECT ?s ?p WHERE { ?s kg:liegtIn ?p FILTER(isIRI(?s) && isIRI(?p) && ?s != ?p) }""",
}
#: The columns a query sorts by; a GROUP_CONCAT column compared as a set (its order within a row is undefined).
SORT_KEYS = {"auftraege-ueber-schwellenwert": ("name", "schwelle"), "personenbezogene-daten": ("name",),
             "wettbewerber-kooperationen": ("name",)}
CONCATENATED = {"personenbezogene-daten": "rechtsgrundlagen"}


def _new(name: str) -> str:
    path = REPO / "queries" / f"{name}.rq"
    return parse_header(path).text if path.exists() else app_query(name)


def _rows(backend, name: str, text: str) -> tuple[list[str], list[tuple]]:
    res = backend.query(text)
    cols = [str(v) for v in res.variables]
    joined = cols.index(CONCATENATED[name]) if name in CONCATENATED else None
    rows = [tuple(frozenset(str(x).split(", ")) if i == joined and x is not None else x for i, x in enumerate(r))
            for r in res.rows]
    return cols, rows


@pytest.mark.parametrize("name", sorted(OLD))
def test_the_rewrite_gives_the_same_rows(backend, name: str) -> None:
    assert _new(name) != OLD[name]
    cols, new = _rows(backend, name, _new(name))
    old_cols, old = _rows(backend, name, OLD[name])
    assert cols == old_cols and Counter(new) == Counter(old) and new
    keys = [cols.index(k) for k in SORT_KEYS.get(name, ())]
    assert [tuple(r[i] for i in keys) for r in new] == [tuple(r[i] for i in keys) for r in old]
