"""Store statistics: what the graph holds (CLI ``stats``, start page, VoID)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .catalogue import app_query
from .store.base import Backend


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
    """The figures, from the constant queries ``queries/app/stats-*.rq`` (each count grouped on its own)."""
    triples = backend.query(app_query("stats-tripel"))
    c = backend.query(app_query("stats-zahlen")).dicts()[0]
    return Stats(
        triples=int(triples.rows[0][0]),
        graphs=len(backend.named_graphs()),
        cooperations=int(c["kooperationen"]),
        sourced_cooperations=int(c["kooperationenMitQuelle"]),
        actors=int(c["akteure"]),
        laender=int(c["laender"]),
        kreise=int(c["kreise"]),
        gemeinden=int(c["gemeinden"]),
        agreements=int(c["vereinbarungen"]),
        legal_norms=int(c["normen"]),
        classes=_table(backend, app_query("stats-klassen")),
        sectors=_table(backend, app_query("stats-sektoren")),
        laender_table=_table(backend, app_query("stats-laender")),
    )
