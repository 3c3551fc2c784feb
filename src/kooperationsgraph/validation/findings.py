"""Raw SHACL results → :class:`~.report.Finding`: the message in the report's language (template plus
bindings, or the engine's text humanized), severity, labels, the rule's citation and fix hint."""

from __future__ import annotations

from rdflib import BNode, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..output import compact
from .messages import Labels, humanize, render
from .raw import RawResult
from .report import Finding, NormRef
from .rules import RuleBook


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
