"""What both engines return: one raw result per finding (terms, not words), the error type of validation,
and the rule name used in messages. The orchestrator (:mod:`.engine`) and the engines (:mod:`.fast`, pySHACL in
:mod:`.engine`) import it; it imports neither."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..errors import KooperationsgraphError
from ..output import compact
from .rules import RuleBook


class ValidationError(KooperationsgraphError):
    """The shapes or the data could not be validated (e.g. unsupported SPARQL in a shape)."""


@dataclass
class RawResult:
    """One result as the engine produced it (terms, not words)."""

    focus: Node
    path: Node | None
    value: Node | None
    shape: Node
    severity: Node
    messages: list[Literal]
    component: Node | None = None
    #: The variables the constraint's SELECT bound (None when the engine produced finished messages only);
    #: messages are then built from ``messages`` as templates in one pass (:func:`.messages.render`).
    bindings: dict[str, Node] | None = field(default=None)


def rule_name(book: RuleBook, shape: Node | str | None) -> str:
    rule = book.rule(str(shape)) if shape is not None else None
    if rule is not None and rule.rule_id:
        return f"{rule.rule_id} ({compact(URIRef(rule.shape))})"
    return compact(shape) if isinstance(shape, URIRef) else str(shape)
