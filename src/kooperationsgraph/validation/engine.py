"""The validation pipeline. Data and context are prepared once (:mod:`.inputs`), validated by pySHACL
(the reference engine, :mod:`.engines.pyshacl`) or by the compiled fast path (:mod:`.fast`, identical
results), and the raw SHACL results become :class:`~.report.Finding` objects (:mod:`.findings`), limited to
a focus node or a Land where asked (:mod:`.scope`).

>>> from rdflib import Graph
>>> validate(Graph()).conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Dataset, Graph

from ..config import Settings
from ..errors import KooperationsgraphError
from ..store.base import Backend
from ..store.scratch import scratch_copy
from ..untrusted import ParseLimits
from .engines.pyshacl import run_pyshacl
from .findings import to_finding
from .inputs import Prepared, as_rdflib_graph, prepare, rdf_files
from .messages import Labels
from .raw import ValidationError, rule_name
from .report import Report
from .rules import RuleBook, project_rulebook, rulebook_from_file
from .scope import area_iri, expand_iri, nodes_in_area

ENGINES = ("pyshacl", "fast", "auto")


@dataclass
class Options:
    rules: str | None = None
    focus: str | None = None
    land: str | None = None
    lang: str = "de"
    engine: str = "auto"
    shapes: Path | None = None
    norms: bool = True
    today: date | None = None


# ------------------------------------------------------------------------------------------ public API
def validate(
    data: Graph | Dataset,
    *,
    rules: str | None = None,
    focus: str | None = None,
    land: str | None = None,
    lang: str = "de",
    settings: Settings | None = None,
    engine: str = "auto",
    today: date | None = None,
) -> Report:
    """Validate an rdflib graph (with the project's context and derivations) against the project's rules."""
    settings = settings or Settings()
    opts = Options(rules=rules, focus=focus, land=land, lang=lang, engine=engine, today=today)
    prep = prepare(settings, data=data, land=bool(land), today=today)
    return run(prep, settings, opts)


def validate_files(paths: list[Path], settings: Settings, opts: Options, limits: ParseLimits | None = None) -> Report:
    """Validate RDF files and folders (parse errors raise RDFSyntaxError with file:line:column). The files are
    parsed by the parse gate (:mod:`..untrusted`) with ``limits`` (default: the limits for local files)."""
    files = rdf_files(paths)
    if not files:
        raise KooperationsgraphError("no RDF files found in " + ", ".join(map(str, paths)))
    pure = opts.shapes is not None
    prep = prepare(
        settings,
        files=files,
        limits=limits or ParseLimits.for_files(settings),
        context=not pure,
        norms=opts.norms,
        land=bool(opts.land),
        derive=not pure,
        stamp=not pure,
        today=opts.today,
        lexical=not pure,
    )
    return run(prep, settings, opts)


def validate_store(backend: Backend, settings: Settings, opts: Options, graph: str | None = None) -> Report:
    """Validate the store's data (all graphs, or one named graph with the project's context). The whole
    embedded store is copied into memory up to ``settings.validate_in_memory_max_mb`` of table files; a larger one
    is validated on a hard-linked scratch copy on disk (:mod:`..store.scratch`), not copied."""
    if graph:
        prep = prepare(settings, backend=backend, graph=graph, norms=opts.norms, land=bool(opts.land),
                       today=opts.today)
        return run(prep, settings, opts)
    with scratch_copy(backend, above_bytes=settings.validate_in_memory_max_mb * 1_000_000) as scratch:
        prep = prepare(settings, backend=backend, norms=opts.norms, land=bool(opts.land), today=opts.today,
                       scratch=scratch)
        try:
            return run(prep, settings, opts)
        finally:
            del prep


# ------------------------------------------------------------------------------------------ pipeline
def rulebook_for(settings: Settings, opts: Options) -> RuleBook:
    return rulebook_from_file(opts.shapes) if opts.shapes else project_rulebook(settings.root)


def run(prep: Prepared, settings: Settings, opts: Options) -> Report:
    book = rulebook_for(settings, opts)
    selected = book.select(opts.rules) if opts.rules else None
    focus = [expand_iri(opts.focus)] if opts.focus else None
    area = area_iri(opts.land) if opts.land else None
    engine = choose_engine(opts.engine, book, selected)
    where = ", ".join(prep.sources) or "<data>"
    if engine == "fast":
        from .fast import run_fast

        raw = run_fast(prep.store, book, selected, focus, where=where)
        labels = Labels.from_store(prep.store)
    else:
        graph = as_rdflib_graph(prep.store)
        raw = run_pyshacl(graph, book, selected, focus, where=where)
        labels = Labels.from_graph(graph)
    findings = []
    for r in raw:
        try:
            findings.append(to_finding(r, book, labels, opts.lang))
        except Exception as exc:  # noqa: BLE001 - a crash is an error (exit 2), never a report
            raise ValidationError(f"{where}: rule {rule_name(book, r.shape)}: could not word a result: {exc}") from None
    if area:
        inside = nodes_in_area(prep.store, area)
        findings = [f for f in findings if f.focus in inside]
    order = {iri: r.order for iri, r in book.regimes.items()}
    return Report(findings, lang=opts.lang, sources=prep.sources, regime_order=order, engine=engine)


def choose_engine(requested: str, book: RuleBook, selected: list[str] | None) -> str:
    if requested not in ENGINES:
        raise KooperationsgraphError(f"unknown engine {requested!r}; choose one of {', '.join(ENGINES)}")
    if requested == "pyshacl":
        return "pyshacl"
    from .fast import supports

    ok = supports(book, selected)
    if requested == "fast" and not ok:
        raise KooperationsgraphError(
            "the fast engine supports only named SHACL-SPARQL shapes with class, node or "
            "subjects-of targets; use --engine pyshacl for these shapes"
        )
    return "fast" if ok else "pyshacl"


__all__ = ["ENGINES", "Options", "choose_engine", "rulebook_for", "run", "validate", "validate_files", "validate_store"]
