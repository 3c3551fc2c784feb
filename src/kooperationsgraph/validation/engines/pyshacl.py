"""The reference engine: pySHACL over an rdflib graph, with the project's message templates passed out
unsubstituted (so both engines word results the same way) and a crash traced to the rule that caused it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..messages import decode_term, encode_term
from ..raw import RawResult, ValidationError, rule_name
from ..rules import RuleBook

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
