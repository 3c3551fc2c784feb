"""The validation entry points. Data and context are prepared once (:mod:`.inputs`), validated by pySHACL
(the reference engine) or by the compiled fast path (:mod:`.fast`, identical results), and the raw SHACL
results become :class:`~.report.Finding` objects with labels, citations and hints.

>>> from rdflib import Graph
>>> validate(Graph()).conforms
True
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..config import Settings
from ..errors import KooperationsgraphError
from ..namespaces import ID, PREFIXES
from ..output import compact
from ..sparql.terms import bind_values, iri, is_iri
from ..store.base import Backend
from ..untrusted import ParseLimits
from .inputs import Prepared, as_rdflib_graph, prepare, rdf_files
from .messages import Labels, decode_term, encode_term, humanize, render
from .raw import RawResult, ValidationError, rule_name
from .report import Finding, NormRef, Report
from .rules import RuleBook, project_rulebook, rulebook_from_file

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
    """Validate the store's data (all graphs, or one named graph with the project's context)."""
    prep = prepare(settings, backend=backend, graph=graph, norms=opts.norms, land=bool(opts.land), today=opts.today)
    return run(prep, settings, opts)


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


#: Marks a message whose template and bindings were passed out of pySHACL unsubstituted.
_PAYLOAD = "\x1fkgsh-message:"


def _bindings_payload(msg: str, bound_vars: object) -> str:
    """Replacement for pySHACL's message formatting (one ``re.sub`` per variable, which interprets ``\\1`` or
    ``\\g<0>`` in values and re-substitutes ``{$this}`` inside them): hand template and bindings out as they
    are, so the project words the message in one pass for both engines."""
    fdict: dict[str, Node] = {}
    if isinstance(bound_vars, (tuple, list)):
        if len(bound_vars) == 4:
            fdict.update(bound_vars[3])
            bound_vars = bound_vars[:3]
        if len(bound_vars) == 3:
            for name, val in zip(("this", "path", "value"), bound_vars, strict=True):
                if val is not None:
                    fdict[name] = val
    elif isinstance(bound_vars, dict):
        fdict.update(bound_vars)
    else:
        return msg
    data = {str(k): encode_term(v) for k, v in fdict.items() if v is not None}
    return _PAYLOAD + json.dumps({"t": msg, "b": data}, ensure_ascii=False)


@contextmanager
def _project_messages() -> Iterator[None]:
    from pyshacl.constraints.constraint_component import ConstraintComponent

    original = ConstraintComponent._format_sparql_based_result_message
    ConstraintComponent._format_sparql_based_result_message = lambda self, msg, bound_vars: _bindings_payload(  # type: ignore[method-assign]
        msg, bound_vars
    )
    try:
        yield
    finally:
        ConstraintComponent._format_sparql_based_result_message = original  # type: ignore[method-assign]


def _pyshacl_once(graph: Graph, book: RuleBook, shapes: list[str] | None, focus: list[str] | None) -> Graph:
    import pyshacl

    with _project_messages():
        _conforms, results, _text = pyshacl.validate(
            graph,
            shacl_graph=book.graph,
            advanced=True,
            inference="none",
            inplace=True,
            allow_warnings=False,
            focus_nodes=focus,
            use_shapes=shapes,
        )
    if not isinstance(results, Graph):
        raise ValidationError(f"validation failed: {results!r}")
    return results


def _culprit(graph: Graph, book: RuleBook, selected: list[str] | None, focus: list[str] | None) -> str:
    """After a crash: run the shapes one by one to name the rule that fails."""
    shapes = selected or sorted(book.rules)
    for shape in shapes:
        try:
            _pyshacl_once(graph, book, [shape], focus)
        except Exception:  # noqa: BLE001
            return rule_name(book, URIRef(shape))
    return "unknown"


def run_pyshacl(
    graph: Graph, book: RuleBook, selected: list[str] | None, focus: list[str] | None, where: str = "<data>"
) -> list[RawResult]:
    """The reference engine: pySHACL, SHACL-SPARQL (advanced mode), no inference (derivations are data)."""
    from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError, ValidationFailure

    try:
        results = _pyshacl_once(graph, book, selected, focus)
    except (ValidationFailure, ReportableRuntimeError, ConstraintLoadError, ShapeLoadError) as exc:
        raise ValidationError(f"validation failed: {getattr(exc, 'message', None) or exc}") from None
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - e.g. rdflib's bare Exception for an unknown SPARQL prefix
        culprit = _culprit(graph, book, selected, focus) if book.rules else "unknown"
        raise ValidationError(f"{where}: rule {culprit}: validation failed in the shape's SPARQL: {exc}") from None
    out = []
    top_level = [r for rep in results.subjects(RDF.type, SH.ValidationReport) for r in results.objects(rep, SH.result)]
    for r in top_level:
        messages: list[Literal] = []
        bindings: dict[str, Node] | None = None
        for m in results.objects(r, SH.resultMessage):
            if not isinstance(m, Literal):
                continue
            text = str(m)
            if text.startswith(_PAYLOAD):
                data = json.loads(text[len(_PAYLOAD) :])
                messages.append(book.template_literal(data["t"]))
                bindings = {k: decode_term(v) for k, v in data["b"].items()}
            else:
                messages.append(m)
        out.append(
            RawResult(
                focus=results.value(r, SH.focusNode),
                path=results.value(r, SH.resultPath),
                value=results.value(r, SH.value),
                shape=results.value(r, SH.sourceShape),
                severity=results.value(r, SH.resultSeverity),
                messages=messages,
                component=results.value(r, SH.sourceConstraintComponent),
                bindings=bindings,
            )
        )
    return out


# ---------------------------------------------------------------------------------------- results → findings
def term_text(t: Node | None) -> str | None:
    if t is None:
        return None
    if isinstance(t, BNode):
        return f"_:{t}"
    return str(t)


def pick_message(raw: RawResult, book: RuleBook, lang: str) -> str:
    rule = book.rule(str(raw.shape))
    msgs = [str(m) for m in raw.messages]
    if raw.bindings is None and rule is not None and rule.templates:
        for m in msgs:
            if rule.template_language(m) == lang:
                return m
    for m in raw.messages:
        if m.language == lang:
            return str(m)
    return sorted(msgs)[0] if msgs else ""


def word_message(raw: RawResult, book: RuleBook, labels: Labels, lang: str) -> str:
    """The result's message in the language: built in one pass from template and bindings where the engine
    passed them (both engines do for SHACL-SPARQL results), else the engine's finished text, humanized."""
    text = pick_message(raw, book, lang)
    if raw.bindings is not None:
        return render(text, raw.bindings, labels, lang)
    return humanize(text, labels, lang)


def severity_name(sev: Node | None) -> str:
    if sev is None:
        return "Violation"
    text = str(sev)
    return text.rsplit("#", 1)[-1] if text.startswith(str(SH)) else text


def to_finding(raw: RawResult, book: RuleBook, labels: Labels, lang: str) -> Finding:
    shape = str(raw.shape) if raw.shape is not None else ""
    rule = book.rule(shape)
    focus = term_text(raw.focus) or ""
    norm = None
    if rule is not None and rule.norm:
        norm = NormRef(rule.norm, labels.citation(rule.norm), labels.url(rule.norm))
    regime = rule.regime if rule else None
    regime_label = book.regimes[regime].label(lang) if regime in book.regimes else ""
    message = word_message(raw, book, labels, lang)
    focus_label = labels.display(focus, lang) if isinstance(raw.focus, URIRef) else focus
    rule_id = (rule.rule_id if rule and rule.rule_id else None) or (
        compact(raw.shape) if isinstance(raw.shape, URIRef) else shape
    )
    return Finding(
        rule=rule_id,
        severity=severity_name(raw.severity),
        focus=focus,
        focusLabel=focus_label,
        path=term_text(raw.path) if not isinstance(raw.path, BNode) else compact(raw.path),
        value=term_text(raw.value),
        message=message,
        norm=norm,
        hint=(rule.hint(lang) or None) if rule else None,
        regime=regime,
        shape=shape,
        title=rule.title(lang) if rule else "",
        regimeLabel=regime_label,
        component=term_text(raw.component),
    )


# ------------------------------------------------------------------------------------------ focus and Land
def expand_iri(text: str) -> str:
    """Full IRI from ``<…>``, a full IRI or a project prefixed name (``akteur:stawag``)."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, _, local = text.partition(":")
    if prefix in PREFIXES and local and "://" not in text:
        text = PREFIXES[prefix] + local
    if ("://" in text or text.startswith("urn:")) and is_iri(text):
        return text
    raise KooperationsgraphError(f"--focus: {text!r} is neither an IRI nor a known prefixed name")


def area_iri(ars: str) -> str:
    """IRI of the administrative unit for an ARS (2 digits Land, 5 Kreis, 12 Gemeinde) or an IRI."""
    ars = ars.strip()
    kinds = {2: "land/", 5: "kreis/", 12: "gemeinde/"}
    if ars.isdigit() and len(ars) in kinds:
        return ID + kinds[len(ars)] + ars
    if ":" in ars:
        return expand_iri(ars)
    raise KooperationsgraphError(f"--land: {ars!r} is not an ARS (2, 5 or 12 digits) or IRI, e.g. --land 05")


AREA_QUERY = """
PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>
SELECT DISTINCT ?x WHERE {
  { ?x kg:sitz|kg:abdeckung ?u . ?u kg:liegtIn* ?area }
  UNION { ?x kg:liegtIn* ?area }
  UNION { ?x kg:partei|kg:auftraggeber|kg:auftragnehmer|kg:regelt|kg:verantwortlicher
             |kg:gemeinsamVerantwortlicher|kg:auftragsverarbeiter ?y .
          ?y kg:sitz|kg:abdeckung ?u2 . ?u2 kg:liegtIn* ?area }
  UNION { ?x kg:kooperation|kg:mitglied ?y2 . ?y2 kg:sitz|kg:abdeckung ?u3 . ?u3 kg:liegtIn* ?area }
}"""


def nodes_in_area(store: ox.Store, area: str) -> set[str]:
    """Nodes seated in or covering the area, units inside it, and agreements/memberships of such nodes."""
    sols = store.query(bind_values(AREA_QUERY, {"area": iri(area)}), use_default_graph_as_union=True)
    return {s["x"].value for s in sols if isinstance(s["x"], ox.NamedNode)}  # type: ignore[union-attr,index]
