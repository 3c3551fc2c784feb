"""What an entity page shows, gathered from the store: outgoing and incoming relations grouped by
property, memberships, sources, open findings from the last saved validation report and the neighbours."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from ..config import Settings
from ..namespaces import KG, PREFIXES, sparql_prologue
from ..sparql.terms import is_iri
from ..store.base import Backend
from .entity_clean import alignment, hide_aligned, public_values

P = sparql_prologue()
#: The page's queries: constant text, the entity bound as ?this (never pasted into the text).
Q_OUT = "SELECT DISTINCT ?p ?o WHERE { ?this ?p ?o }"
Q_IN_COUNTS = "SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?this FILTER(isIRI(?s)) } GROUP BY ?p"
Q_IN_FIRST = "SELECT DISTINCT ?s WHERE { ?s ?p ?this FILTER(isIRI(?s)) } ORDER BY ?s LIMIT 50"
#: One property's incoming links in full, for the page of them the reader asked for (``?in=…&inpage=…``).
Q_IN_ALL = "SELECT DISTINCT ?s WHERE { ?s ?p ?this FILTER(isIRI(?s)) } ORDER BY ?s"
Q_IN_LINKS = "SELECT DISTINCT ?x ?p WHERE { ?x ?p ?this FILTER(isIRI(?x)) } LIMIT 2000"
Q_MEMBERSHIPS = P + """SELECT ?m ?member ?koop ?rolle ?seit ?bis WHERE {
  { ?m kg:mitglied ?this } UNION { ?m kg:kooperation ?this }
  ?m a kg:Mitgliedschaft .
  OPTIONAL { ?m kg:mitglied ?member } OPTIONAL { ?m kg:kooperation ?koop }
  OPTIONAL { ?m kg:rolle ?rolle } OPTIONAL { ?m kg:seit ?seit } OPTIONAL { ?m kg:bis ?bis }
} ORDER BY ?koop ?member"""
Q_REPORT_SOURCES = "SELECT ?src WHERE { GRAPH ?report { ?r <http://purl.org/dc/terms/source> ?src } }"
Q_NORM = P + """SELECT ?z ?u WHERE { OPTIONAL { ?norm kg:zitierung ?z }
  OPTIONAL { ?norm kg:amtlicheUrl ?u } } LIMIT 1"""
#: Incoming relations shown per property before the page says "n of m shown" (the LIMIT of Q_IN_FIRST).
INCOMING_PER_PROPERTY = 50
HEADER_PROPS = {RDF.type, RDFS.label, SKOS.prefLabel, DCTERMS.description, DCTERMS.source}


@dataclass
class Membership:
    node: URIRef
    member: Node | None
    cooperation: Node | None
    role: Node | None
    since: Node | None
    until: Node | None


@dataclass
class EntityView:
    iri: URIRef
    outgoing: dict[URIRef, list[Node]] = field(default_factory=dict)
    incoming: dict[URIRef, list[Node]] = field(default_factory=dict)
    incoming_total: dict[URIRef, int] = field(default_factory=dict)
    incoming_page: dict[URIRef, int] = field(default_factory=dict)
    memberships: list[Membership] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return bool(self.outgoing or self.incoming)

    def values(self, prop: URIRef) -> list[Node]:
        return self.outgoing.get(prop, [])

    def shown_properties(self) -> list[tuple[URIRef, list[Node]]]:
        return [(p, vs) for p, vs in self.outgoing.items() if p not in HEADER_PROPS]


def _sorted_nodes(nodes: set[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: (isinstance(n, Literal), str(n)))


def gather(backend: Backend, iri: str, paged: URIRef | None = None, page: int = 1) -> EntityView:
    """The page's data; ``paged``/``page``: which page of one property's incoming links to show (50 a page).
    Values an aligned general property repeats and editorial notes are left out (see :mod:`.entity_clean`)."""
    view = EntityView(URIRef(iri))
    out: dict[URIRef, set[Node]] = defaultdict(set)
    me = {"this": URIRef(iri)}
    for p, o in backend.query(Q_OUT, bindings=me).rows:
        out[p].add(o)  # type: ignore[index]
    aligned = alignment(backend)
    outgoing = {p: _sorted_nodes(vs) for p, vs in sorted(out.items(), key=lambda kv: str(kv[0]))}
    view.outgoing = public_values(hide_aligned(outgoing, aligned))
    counts = backend.query(Q_IN_COUNTS, bindings=me)
    for p, n in counts.rows:
        view.incoming_total[p] = int(n)  # type: ignore[index, arg-type]
    for p in list(view.incoming_total):
        subs = [URIRef(x) for x in aligned.get(str(p), ()) if URIRef(x) in view.incoming_total]
        if any(view.incoming_total[x] >= view.incoming_total[p] for x in subs):
            del view.incoming_total[p]  # a more specific aligned property lists the same links
    for p in view.incoming_total:
        if p == paged and page > 1:
            rows = backend.query(Q_IN_ALL, bindings={**me, "p": p}).rows
            start = (page - 1) * INCOMING_PER_PROPERTY
            rows = rows[start:start + INCOMING_PER_PROPERTY]
            view.incoming_page[p] = page
        else:
            rows = backend.query(Q_IN_FIRST, bindings={**me, "p": p}).rows  # type: ignore[dict-item]
            view.incoming_page[p] = 1
        view.incoming[p] = [r[0] for r in rows if r[0] is not None]  # type: ignore[index]
    view.memberships = memberships(backend, iri)
    return view


def memberships(backend: Backend, iri: str) -> list[Membership]:
    seen: dict[str, Membership] = {}
    for m, member, koop, rolle, seit, bis in backend.query(Q_MEMBERSHIPS, bindings={"this": URIRef(iri)}).rows:
        seen.setdefault(str(m), Membership(m, member, koop, rolle, seit, bis))  # type: ignore[arg-type]
    return list(seen.values())


def description_graph(backend: Backend, iri: str) -> Graph:
    """Outgoing triples plus incoming links (capped) — the RDF served by content negotiation."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    s = URIRef(iri)
    for p, o in backend.query(Q_OUT, bindings={"this": s}).rows:
        g.add((s, p, o))  # type: ignore[arg-type]
    rows = backend.query(Q_IN_LINKS, bindings={"this": s}).rows
    for x, p in rows:
        g.add((x, p, s))  # type: ignore[arg-type]
    return g


def neighbours(view: EntityView, limit: int = 40) -> list[tuple[str, str, str, str]]:
    """(source, property, target, direction) for the small network picture: IRIs of the data, no classes."""
    edges: list[tuple[str, str, str, str]] = []
    me = str(view.iri)
    skip = {RDF.type, DCTERMS.source}
    for p, vs in view.outgoing.items():
        if p in skip:
            continue
        for o in vs:
            if isinstance(o, URIRef) and "/id/" in str(o) and "/id/quelle/" not in str(o):
                edges.append((me, str(p), str(o), "out"))
    for m in view.memberships:
        other = m.member if m.cooperation == view.iri else m.cooperation
        if isinstance(other, URIRef):
            edges.append((me, str(KG.mitglied), str(other), "member"))
    for p, vs in view.incoming.items():
        if p in {KG.mitglied, KG.kooperation}:
            continue
        for s in vs:
            edges.append((str(s), str(p), me, "in"))
    return edges[:limit]


# ------------------------------------------------------------------------------------------ findings
@dataclass
class OpenFinding:
    rule: str
    severity: str
    message: str
    citation: str | None
    url: str | None
    hint: str | None


def last_report_findings(backend: Backend, settings: Settings) -> tuple[str | None, dict[str, list]]:
    """Findings of the last saved report, by focus IRI (cached per app and store version)."""
    from .extensions import versioned

    return versioned("findings", _load_findings, backend)


def _load_findings(backend: Backend) -> tuple[str | None, dict[str, list]]:
    from ..validation import history

    by_focus: dict[str, list] = defaultdict(list)
    iri = latest_store_report(backend, history.list_reports(backend))
    if iri:
        for r in history.load(backend, iri):
            by_focus[r.focus].append(r)
    return iri, by_focus


def latest_store_report(backend: Backend, reports: list[str]) -> str | None:
    """The newest saved report about the store's data (reports of uploaded files are skipped: their
    findings concern the upload, not the entities of the graph); else the newest report."""
    for iri in reversed(reports):
        rows = backend.query(Q_REPORT_SOURCES, bindings={"report": URIRef(iri)}).rows
        if any(str(r[0]).startswith("store") for r in rows):
            return iri
    return reports[-1] if reports else None


def open_findings(
    backend: Backend, settings: Settings, iri: str, lang: str
) -> tuple[str | None, list[OpenFinding]]:
    report, by_focus = last_report_findings(backend, settings)
    saved = by_focus.get(iri, [])
    if not saved:
        return report, []
    rules = rules_by_id(settings)
    out = []
    for r in saved:
        rule = rules.get(r.rule)
        citation = url = None
        if rule is not None and rule.norm:
            citation, url = norm_citation(backend, rule.norm)
        hint = rule.hint(lang) if rule else None
        out.append(OpenFinding(r.rule, r.severity, r.message, citation, url, hint))
    return report, out


def rules_by_id(settings: Settings) -> dict[str, object]:
    try:
        from ..validation.rules import project_rulebook

        book = project_rulebook(settings.root)
    except Exception:  # noqa: BLE001 - no shapes: findings are shown without citations
        return {}
    return {r.rule_id: r for r in book.rules.values() if r.rule_id}


def norm_citation(backend: Backend, norm: str) -> tuple[str | None, str | None]:
    if not is_iri(norm):
        return None, None
    rows = backend.query(Q_NORM, bindings={"norm": URIRef(norm)}).rows
    if not rows:
        return None, None
    z, u = rows[0]
    return (str(z) if z is not None else None), (str(u) if u is not None else None)
