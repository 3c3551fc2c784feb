"""Store statistics: what the graph holds (CLI ``stats``, start page, VoID)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .namespaces import sparql_prologue
from .store.base import Backend

P = sparql_prologue()

Q_CLASSES = P + """
SELECT ?class (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?x) AS ?n) WHERE {
  ?x a ?class . FILTER(STRSTARTS(STR(?class), STR(kg:)))
  OPTIONAL { ?class rdfs:label ?l FILTER(LANG(?l) = "de") }
} GROUP BY ?class ORDER BY DESC(?n)"""

Q_SECTORS = P + """
SELECT ?sektor (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?k) AS ?kooperationen) (COUNT(DISTINCT ?a) AS ?akteure) WHERE {
  ?sektor skos:inScheme sektor:schema .
  OPTIONAL { ?sektor skos:prefLabel ?l FILTER(LANG(?l) = "de") }
  OPTIONAL { ?k a kg:Kooperation ; kg:sektor ?sektor . }
  OPTIONAL { ?a a kg:Akteur ; kg:sektor ?sektor . }
} GROUP BY ?sektor ORDER BY ?label"""

Q_LAENDER = P + """
SELECT ?land ?ars (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?a) AS ?akteure) (COUNT(DISTINCT ?k) AS ?kooperationen) WHERE {
  ?land a kg:Bundesland ; kg:ars ?ars ; rdfs:label ?l .
  OPTIONAL { ?a a kg:Akteur ; kg:sitz ?s . { ?s kg:liegtIn ?land } UNION { ?s a kg:Bundesland . BIND(?s AS ?land) } }
  OPTIONAL { ?k a kg:Kooperation . { ?k kg:abdeckung ?u } UNION { ?k kg:sitz ?u }
             { ?u kg:liegtIn ?land } UNION { ?u a kg:Bundesland . BIND(?u AS ?land) } }
} GROUP BY ?land ?ars ORDER BY ?ars"""

Q_COUNTS = P + """
SELECT
  (COUNT(DISTINCT ?koop) AS ?kooperationen)
  (COUNT(DISTINCT ?koopSrc) AS ?kooperationenMitQuelle)
WHERE {
  { ?koop a kg:Kooperation . OPTIONAL { ?koop dcterms:source ?src . BIND(?koop AS ?koopSrc) } }
}"""


@dataclass
class Stats:
    triples: int
    graphs: int
    cooperations: int
    sourced_cooperations: int
    actors: int
    laender: int
    kreise: int
    gemeinden: int
    agreements: int
    legal_norms: int
    classes: list[dict[str, object]] = field(default_factory=list)
    sectors: list[dict[str, object]] = field(default_factory=list)
    laender_table: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)



def _count(backend: Backend, where: str) -> int:
    res = backend.query(P + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}")
    return int(res.rows[0][0]) if res.rows else 0


def _table(backend: Backend, query: str) -> list[dict[str, object]]:
    res = backend.query(query)
    out = []
    for row in res.rows:
        d: dict[str, object] = {}
        for v, t in zip(res.variables, row, strict=False):
            if t is None:
                continue
            d[v] = t.toPython() if hasattr(t, "toPython") and not str(t).startswith("http") else str(t)
        out.append(d)
    return out


def collect(backend: Backend) -> Stats:
    triples = backend.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    counts = backend.query(Q_COUNTS).rows[0]
    return Stats(
        triples=int(triples.rows[0][0]),
        graphs=len(backend.named_graphs()),
        cooperations=int(counts[0]),
        sourced_cooperations=int(counts[1]),
        actors=_count(backend, "?x a kg:Akteur"),
        laender=_count(backend, "?x a kg:Bundesland"),
        kreise=_count(backend, "?x a kg:Kreis FILTER NOT EXISTS { ?x kg:aufgeloest ?d }"),
        gemeinden=_count(backend, "?x a kg:Gemeinde FILTER NOT EXISTS { ?x kg:aufgeloest ?d }"),
        agreements=_count(backend, "?x a kg:Vereinbarung"),
        legal_norms=_count(backend, "{ ?x a kg:Rechtsnorm } UNION { ?x a kg:Rechtsakt }"),
        classes=_table(backend, Q_CLASSES),
        sectors=_table(backend, Q_SECTORS),
        laender_table=_table(backend, Q_LAENDER),
    )
