"""Change sets as data: what a write proposes (added and removed quads), who proposed it, when and why, and
where it stands in review; and the answer of :func:`..submit`."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.term import Node

from ..namespaces import CHANGE_GRAPH_PREFIX, CHANGE_ID
from ..validation.report import Finding, Report

#: A quad as rdflib terms; graph None is the store's default graph.
Quad = tuple[Node, Node, Node, str | None]
STATUSES = ("pending", "accepted", "rejected")


@dataclass
class ChangeSet:
    id: str
    author: str
    reason: str
    created: str  # xsd:dateTime text (UTC)
    source: str = "api"  # import | graph-store | sparql-update | api
    status: str = "pending"
    added: list[Quad] = field(default_factory=list)
    removed: list[Quad] = field(default_factory=list)
    base_version: str = ""
    reviewer: str | None = None
    reviewed: str | None = None
    review_reason: str | None = None

    @property
    def iri(self) -> URIRef:
        return URIRef(CHANGE_ID + self.id)

    @property
    def staging(self) -> str:
        return CHANGE_GRAPH_PREFIX + self.id

    def touched(self) -> list[str]:
        """IRIs the change set adds or removes statements about (as subject), derived facts excluded."""
        from ..namespaces import DERIVED_GRAPH

        return sorted({str(q[0]) for q in self.added + self.removed
                       if isinstance(q[0], URIRef) and q[3] != DERIVED_GRAPH})

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "author": self.author, "reason": self.reason, "created": self.created,
                "source": self.source, "status": self.status, "added": len(self.added), "removed": len(self.removed),
                "baseVersion": self.base_version, "reviewer": self.reviewer, "reviewed": self.reviewed,
                "reviewReason": self.review_reason, "touches": self.touched()}


@dataclass
class SubmitResult:
    """The answer to a submitted change: refused (new findings that block), waiting for review, or applied
    (auto-accept). ``new_findings`` are the results the change introduces (German; :meth:`findings` for other
    languages); ``blocking`` those of them that refused it."""

    accepted_for_review: bool
    change_id: str | None
    new_findings: list[Finding]
    blocking: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    applied: bool = False
    strict: bool = False
    empty: bool = False
    change: ChangeSet | None = None
    by_lang: dict[str, tuple[list[Finding], list[Finding]]] = field(default_factory=dict, repr=False)

    @property
    def refused(self) -> bool:
        return not self.accepted_for_review and not self.empty

    def findings(self, lang: str = "de") -> list[Finding]:
        return self.by_lang.get(lang, (self.new_findings, self.blocking))[0]

    def report(self, lang: str = "de", *, blocking_only: bool = False) -> Report:
        new, block = self.by_lang.get(lang, (self.new_findings, self.blocking))
        return Report(list(block if blocking_only else new), lang=lang, sources=["change set"], engine="fast")

    def report_text(self, lang: str = "de") -> str:
        """The introduced results in the report's sentences, headed by what happened."""
        head = _HEADS[lang if lang in _HEADS else "de"]
        if self.empty:
            return head["empty"] + "\n"
        if self.refused:
            first = head["refused_strict" if self.strict else "refused"]
        elif self.applied:
            first = head["applied"].format(id=self.change_id)
        else:
            first = head["pending"].format(id=self.change_id)
        rep = self.report(lang)
        body = rep.to_text() if rep.findings else head["none"]
        return first + "\n\n" + body.rstrip() + "\n"

    def as_json(self, lang: str = "de") -> dict[str, object]:
        new, block = self.by_lang.get(lang, (self.new_findings, self.blocking))
        return {
            "acceptedForReview": self.accepted_for_review,
            "applied": self.applied,
            "refused": self.refused,
            "strict": self.strict,
            "changeId": self.change_id,
            "change": self.change.as_json() if self.change else None,
            "newFindings": [f.as_json() for f in new],
            "blocking": [f.as_json() for f in block],
            "message": self.report_text(lang),
        }


_HEADS = {
    "de": {
        "refused": "Änderung abgelehnt: sie führt neue Verstöße ein (bereits bestehende Befunde und Warnungen "
                   "blockieren nicht). Neu wären:",
        "refused_strict": "Änderung abgelehnt (strikt): sie führt neue Verstöße oder Warnungen ein. Neu wären:",
        "pending": "Änderung {id} wartet auf Prüfung. Neue Befunde, die sie einführt:",
        "applied": "Änderung {id} wurde übernommen. Neue Befunde, die sie einführt:",
        "none": "Keine neuen Befunde.",
        "empty": "Keine Änderung: alle Tripel waren schon so im Bestand.",
    },
    "en": {
        "refused": "Change refused: it introduces new violations (findings that existed before and warnings do "
                   "not block). New would be:",
        "refused_strict": "Change refused (strict): it introduces new violations or warnings. New would be:",
        "pending": "Change set {id} waits for review. New findings it introduces:",
        "applied": "Change set {id} was applied. New findings it introduces:",
        "none": "No new findings.",
        "empty": "No change: every triple was already in the store as given.",
    },
}
