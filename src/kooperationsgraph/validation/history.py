"""Report history: each saved report is a named graph ``…/graph/report/{timestamp}`` in the store (written
through the Backend interface, so embedded and remote stores both work); a diff says which results are new,
fixed or still open since the previous saved run. Results are matched by rule, focus node, path and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SH
from rdflib.term import Node

from ..namespaces import REPORTS_GRAPH_PREFIX
from ..store.base import Backend
from .render import report_graph
from .report import Finding, Report

Key = tuple[str, str, str, str]


@dataclass(frozen=True)
class SavedResult:
    rule: str
    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str

    def key(self) -> Key:
        return (self.rule, self.focus, self.path or "", self.value or "")

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class Diff:
    since: str | None
    new: list[Finding] = field(default_factory=list)
    fixed: list[SavedResult] = field(default_factory=list)
    still_open: list[Finding] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "since": self.since,
            "new": [f.as_json() for f in self.new],
            "fixed": [r.as_json() for r in self.fixed],
            "open": [f.as_json() for f in self.still_open],
        }


def report_iri(report: Report) -> str:
    return REPORTS_GRAPH_PREFIX + report.created.strftime("%Y%m%dT%H%M%S%fZ")


#: The saved report's scope (dcterms:coverage): "store", "regime:DS", "land:05", "entity:<IRI>", "input".
Q_SCOPE = """SELECT ?c ?src WHERE { GRAPH ?report { ?r a <http://www.w3.org/ns/shacl#ValidationReport> .
  OPTIONAL { ?r <http://purl.org/dc/terms/coverage> ?c } OPTIONAL { ?r <http://purl.org/dc/terms/source> ?src } } }"""


def save(backend: Backend, report: Report, scope: str | None = None) -> str:
    """Store the report (standard sh:ValidationReport triples plus provenance) as its own named graph;
    ``scope`` (dcterms:coverage) keeps the history of one scope apart from the others'."""
    iri = report_iri(report)
    g = report_graph(report)
    root = next(iter(g.subjects(RDF.type, SH.ValidationReport)))
    g.add((root, PROV.wasGeneratedBy, Literal(f"kooperationsgraph validate ({report.engine})")))
    for src in report.sources:
        g.add((root, DCTERMS.source, Literal(src)))
    if scope:
        g.add((root, DCTERMS.coverage, Literal(scope)))
    backend.replace_graph(iri, list(g.triples((None, None, None))))
    return iri


def list_reports(backend: Backend) -> list[str]:
    """IRIs of saved reports, oldest first (the timestamp sorts)."""
    return sorted(g for g in backend.named_graphs() if g.startswith(REPORTS_GRAPH_PREFIX))


def scope_of(backend: Backend, iri: str) -> str:
    """The saved report's scope; a report saved without one: "store" if it checked the store, else "input"."""
    rows = backend.query(Q_SCOPE, bindings={"report": URIRef(iri)}).rows
    for c, _src in rows:
        if c is not None:
            return str(c)
    return "store" if any(str(src).startswith("store") for _c, src in rows if src is not None) else "input"


def reports_in_scope(backend: Backend, scope: str) -> list[str]:
    """Saved reports of one scope, oldest first."""
    return [iri for iri in list_reports(backend) if scope_of(backend, iri) == scope]


def when(iri: str) -> datetime | None:
    """The time a saved report was made (from its graph IRI).

    >>> when(REPORTS_GRAPH_PREFIX + "20261201T173005123456Z").isoformat()
    '2026-12-01T17:30:05.123456+00:00'
    """
    try:
        return datetime.strptime(iri.rsplit("/", 1)[-1], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _text(t: Node | None) -> str | None:
    if t is None:
        return None
    return f"_:{t}" if isinstance(t, BNode) else str(t)


def load(backend: Backend, iri: str) -> list[SavedResult]:
    g = Graph()
    for t in backend.graph_triples(iri):
        g.add(t)
    out = []
    for r in g.subjects(RDF.type, SH.ValidationResult):
        sev = g.value(r, SH.resultSeverity)
        out.append(
            SavedResult(
                rule=str(g.value(r, DCTERMS.identifier) or ""),
                severity=str(sev).rsplit("#", 1)[-1] if isinstance(sev, URIRef) else "Violation",
                focus=_text(g.value(r, SH.focusNode)) or "",
                path=_text(g.value(r, SH.resultPath)),
                value=_text(g.value(r, SH.value)),
                message=str(g.value(r, SH.resultMessage) or ""),
            )
        )
    return out


def diff(backend: Backend, report: Report, *, before: str | None = None, scope: str | None = None) -> Diff:
    """Compare a report with a saved one (default: the latest saved before this report, of the same
    ``scope`` when given)."""
    if before is None:
        mine = report_iri(report)
        saved = reports_in_scope(backend, scope) if scope else list_reports(backend)
        earlier = [g for g in saved if g != mine]
        before = earlier[-1] if earlier else None
    old = load(backend, before) if before else []
    old_keys = {r.key() for r in old}
    new_keys = {f.key() for f in report.findings}
    d = Diff(before)
    for f in report.sorted():
        (d.still_open if f.key() in old_keys else d.new).append(f)
    d.fixed = sorted((r for r in old if r.key() not in new_keys), key=lambda r: r.key())
    return d


def render_diff_text(d: Diff, lang: str) -> str:
    de = lang == "de"
    head = "Veränderung seit dem letzten gespeicherten Bericht" if de else "Change since the last saved report"
    if d.since is None:
        return head + ": " + ("kein früherer Bericht gespeichert." if de else "no earlier report saved.") + "\n"
    stamp = d.since.rsplit("/", 1)[-1]
    lines = [
        f"{head} ({stamp}):",
        f"  {'neu' if de else 'new'}: {len(d.new)}, {'behoben' if de else 'fixed'}: {len(d.fixed)}, "
        f"{'weiterhin offen' if de else 'still open'}: {len(d.still_open)}",
    ]
    for f in d.new:
        lines.append(f"  + {f.rule} {f.focusLabel}: {f.message}")
    for r in d.fixed:
        lines.append(f"  - {r.rule} {r.focus}: {r.message}")
    return "\n".join(lines) + "\n"
