"""Validating the store: the embedded backend's graphs are copied quad by quad, without term conversion
(validation/inputs.py). The findings equal those of the generic path (rdflib terms, as for the remote backend)."""

from __future__ import annotations

from datetime import date

from kooperationsgraph.config import Settings
from kooperationsgraph.store.base import Backend
from kooperationsgraph.validation import Options, validate_store

DAY = date(2026, 11, 28)


class Generic:
    """The embedded backend seen through the Backend interface only (no Oxigraph store to copy from)."""

    def __init__(self, inner: Backend) -> None:
        self.inner, self.name = inner, inner.name

    def named_graphs(self) -> list[str]:
        return self.inner.named_graphs()

    def graph_triples(self, graph: str | None):
        return self.inner.graph_triples(graph)


def keys(report) -> list[tuple[str, ...]]:
    return sorted((f.rule, f.focus, f.path or "", f.value or "", f.message) for f in report.findings)


def test_direct_copy_gives_the_findings_of_the_generic_copy(backend, settings: Settings) -> None:
    assert hasattr(backend, "store")
    direct = validate_store(backend, settings, Options(today=DAY))
    generic = validate_store(Generic(backend), settings, Options(today=DAY))  # type: ignore[arg-type]
    assert direct.findings and keys(direct) == keys(generic)
