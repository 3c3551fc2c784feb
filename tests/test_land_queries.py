"""The Länder table (stats-laender) and the lists of a Land (land-akteure, land-kooperationen) share one
definition, written as the same sub-selects in all three (hash joins in Oxigraph: issue 15), and give the same
results as the earlier single-pattern formulation kept here as the reference."""

from __future__ import annotations

from collections import Counter

from rdflib import URIRef

from kooperationsgraph.catalogue import app_query

OLD_LAENDER = """PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?land ?ars ?label (COALESCE(?a0, 0) AS ?akteure) (COALESCE(?k0, 0) AS ?kooperationen) WHERE {
  { SELECT ?land ?ars (SAMPLE(?l) AS ?label) WHERE { ?land a kg:Bundesland ; kg:ars ?ars ; rdfs:label ?l }
    GROUP BY ?land ?ars }
  OPTIONAL { SELECT ?land (COUNT(DISTINCT ?a) AS ?a0) WHERE {
      ?a a kg:Akteur ; kg:sitz ?s . { ?s kg:liegtIn ?land } UNION { ?s a kg:Bundesland . BIND(?s AS ?land) } }
    GROUP BY ?land }
  OPTIONAL { SELECT ?land (COUNT(DISTINCT ?k) AS ?k0) WHERE {
      ?k a kg:Kooperation . { ?k kg:abdeckung ?u } UNION { ?k kg:sitz ?u }
      { ?u kg:liegtIn ?land } UNION { ?u a kg:Bundesland . BIND(?u AS ?land) } } GROUP BY ?land }
} ORDER BY ?ars"""
OLD_ACTORS = """PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
SELECT DISTINCT ?a WHERE {
  ?a a kg:Akteur ; kg:sitz ?s . { ?s kg:liegtIn ?land } UNION { ?s a kg:Bundesland . BIND(?s AS ?land) }
}"""
OLD_COOPS = """PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
SELECT DISTINCT ?k WHERE {
  ?k a kg:Kooperation . { ?k kg:abdeckung ?u } UNION { ?k kg:sitz ?u }
  { ?u kg:liegtIn ?land } UNION { ?u a kg:Bundesland . BIND(?u AS ?land) }
}"""


def _where(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("{ SELECT ?")]


def test_the_lists_use_the_sub_selects_of_the_table() -> None:
    table = _where(app_query("stats-laender"))
    for name in ("land-akteure", "land-kooperationen"):
        parts = _where(app_query(name))
        assert len(parts) == 3 and all(p in table for p in parts), name


def test_the_table_is_the_same_as_before_and_matches_the_lists(backend) -> None:
    new = backend.query(app_query("stats-laender"))
    assert new.rows == backend.query(OLD_LAENDER).rows and len(new.rows) == 16
    col = {v: i for i, v in enumerate(new.variables)}
    checked = Counter()
    for row in new.rows:
        land = row[col["land"]]
        assert isinstance(land, URIRef)
        for name, old, count in (("land-akteure", OLD_ACTORS, "akteure"),
                                 ("land-kooperationen", OLD_COOPS, "kooperationen")):
            got = sorted(r[0] for r in backend.query(app_query(name), bindings={"land": land}).rows)
            assert got == sorted(r[0] for r in backend.query(old, bindings={"land": land}).rows)
            assert len(got) == int(row[col[count]])
            checked[count] += len(got)
    assert checked["akteure"] > 0 and checked["kooperationen"] > 0


OLD_EBENEN = """PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
SELECT ?e (COALESCE(?k0, 0) AS ?koop) (COALESCE(?a0, 0) AS ?akt) WHERE {
  ?e a kg:FoederaleEbene .
  OPTIONAL { SELECT ?e (COUNT(DISTINCT ?k) AS ?k0) WHERE { ?k a kg:Kooperation ; kg:ebene ?e } GROUP BY ?e }
  OPTIONAL { SELECT ?e (COUNT(DISTINCT ?a) AS ?a0) WHERE { ?a a kg:Akteur ; kg:ebene ?e } GROUP BY ?e }
} ORDER BY ?e"""


def test_the_levels_table_is_the_same_as_before(backend) -> None:
    new = backend.query(app_query("liste-ebenen")).rows
    assert new == backend.query(OLD_EBENEN).rows and len(new) == 3 and all(int(r[1]) > 0 for r in new)


OLD_KLASSEN = """PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class ?label ?n WHERE {
  { SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class . FILTER(STRSTARTS(STR(?class), STR(kg:))) }
    GROUP BY ?class }
  OPTIONAL { SELECT ?class (SAMPLE(?l) AS ?label) WHERE { ?class rdfs:label ?l FILTER(LANG(?l) = "de") } GROUP BY ?class }
} ORDER BY DESC(?n) ?class"""


def test_the_classes_table_filters_after_grouping_with_the_same_rows(backend) -> None:
    """The class filter runs on the grouped classes, not on every rdf:type triple (STR per row): same table."""
    new = backend.query(app_query("stats-klassen")).rows
    assert new == backend.query(OLD_KLASSEN).rows and len(new) > 20
