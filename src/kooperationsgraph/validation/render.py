"""Renderings of a :class:`~.report.Report`: a letter for compliance officers (text), a simple escaped HTML
page, and a standard ``sh:ValidationReport`` graph enriched with rule ids, regimes and norm links."""

from __future__ import annotations

import html
import textwrap
from typing import TYPE_CHECKING

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SH, XSD

from ..lang import DEFAULT, LANGS
from ..namespaces import SHAPES
from ..texts import messages

if TYPE_CHECKING:  # types only: report.py imports this module for its renderings
    from .report import Finding, Report, RuleGroup

#: Words of the report itself come from the project's one message catalogue (``i18n/*.json``, keys
#: ``report.*``); the rules' own texts come from the shapes graph.
SEVERITIES = ("Violation", "Warning", "Info")


DATE_FORMATS = {"de": "%d.%m.%Y %H:%M UTC", "en": "%Y-%m-%d %H:%M UTC"}


def ui(report: Report) -> dict[str, object]:
    """The report's words in its language: ``report.<key>`` entries, severities as (one, many) pairs."""
    m = messages(report.lang if report.lang in LANGS else DEFAULT)
    t: dict[str, object] = {k.removeprefix("report."): v for k, v in m.items() if k.startswith("report.")}
    for sev in SEVERITIES:
        t[sev] = (m[f"report.severity.{sev}"], m[f"report.severity.{sev}.many"])
    return t


def severity_word(report: Report, severity: str, n: int = 1) -> str:
    words = ui(report).get(severity)
    if not isinstance(words, tuple):
        return severity
    return words[0] if n == 1 else words[1]


def summary_line(report: Report) -> str:
    t = ui(report)
    counts = report.counts
    parts = [f"{counts.get(s, 0)} {severity_word(report, s, counts.get(s, 0))}" for s in ("Violation", "Warning", "Info")]
    n_rules = len({f.rule for f in report.findings})
    n_focus = len({f.focus for f in report.findings})
    if report.lang == "de":
        return (
            f"{t['summary']}: {', '.join(parts)} zu {n_rules} {'Regel' if n_rules == 1 else 'Regeln'} "
            f"bei {n_focus} {'Eintrag' if n_focus == 1 else 'Einträgen'}."
        )
    return (
        f"{t['summary']}: {', '.join(parts)} under {n_rules} {'rule' if n_rules == 1 else 'rules'} "
        f"for {n_focus} {'entry' if n_focus == 1 else 'entries'}."
    )


def _wrap(text: str, indent: str, following: str | None = None) -> list[str]:
    rest = indent if following is None else following
    return textwrap.wrap(text, width=100, initial_indent=indent, subsequent_indent=rest) or [indent]


def _norm_line(report: Report, group: RuleGroup) -> str | None:
    if group.norm is None:
        return None
    cite = group.norm.citation or group.norm.iri
    return f"{ui(report)['norm']}: {cite}" + (f" – {group.norm.url}" if group.norm.url else "")


def render_text(report: Report, *, verbose: bool = False) -> str:
    """A short letter: header, summary, regime → rule → entry with message, citation and hint, disclaimer."""
    t = ui(report)
    lines = [
        t["title"],
        "=" * len(t["title"]),
        f"{t['date']}: {report.created.strftime(DATE_FORMATS.get(report.lang, '%Y-%m-%d %H:%M UTC'))}",
    ]
    if report.sources:
        lines += _wrap(f"{t['checked']}: {', '.join(report.sources)}", "")
    lines += ["", summary_line(report)]
    if not report.findings:
        lines += ["", t["none"]]
    for regime in report.groups():
        heading = regime.label or t["other"]
        lines += ["", heading, "-" * len(heading)]
        for group in regime.rules:
            lines += ["", f"{group.rule} · {group.title} ({severity_word(report, group.severity)})"]
            norm = _norm_line(report, group)
            if norm:
                lines += _wrap(norm, "  ")
            for findings in group.by_focus.values():
                lines.append(f"  • {findings[0].focusLabel}")
                for f in findings:
                    lines += _wrap(f.message, "      ")
                    if verbose:
                        lines += _wrap(_technical(report, f), "      ")
            if group.hint:
                lines += _wrap(f"{t['todo']}: {group.hint}", "  → ", "    ")
    lines += ["", "—", *_wrap(t["disclaimer"], "")]
    return "\n".join(lines) + "\n"


def _technical(report: Report, f: Finding) -> str:
    t = ui(report)
    bits = [f"{t['shape']} <{f.shape}>", f"{t['focus']} <{f.focus}>"]
    if f.path:
        bits.append(f"{t['path']} <{f.path}>")
    if f.value:
        bits.append(f"{t['value']} {f.value}")
    if f.component:
        bits.append(f"sh:sourceConstraintComponent <{f.component}>")
    return "[" + "; ".join(bits) + "]"


def render_html(report: Report) -> str:
    """A self-contained, escaped HTML page with the same structure as the text report."""
    t = ui(report)
    e = html.escape
    out = [
        f'<!DOCTYPE html><html lang="{e(report.lang)}"><head><meta charset="utf-8">',
        f"<title>{e(t['title'])}</title></head><body>",
        f"<h1>{e(t['title'])}</h1>",
        f"<p>{e(summary_line(report))}</p>",
    ]
    if not report.findings:
        out.append(f"<p>{e(t['none'])}</p>")
    for regime in report.groups():
        out.append(f"<section><h2>{e(regime.label or t['other'])}</h2>")
        for group in regime.rules:
            out.append(
                f'<article class="{e(group.severity.lower())}"><h3>{e(group.rule)} · {e(group.title)} '
                f"({e(severity_word(report, group.severity))})</h3>"
            )
            if group.norm is not None:
                cite = e(group.norm.citation or group.norm.iri)
                link = f'<a href="{e(group.norm.url)}">{cite}</a>' if group.norm.url else cite
                out.append(f"<p>{e(t['norm'])}: {link}</p>")
            out.append("<ul>")
            for findings in group.by_focus.values():
                msgs = "".join(f"<li>{e(f.message)}</li>" for f in findings)
                first = findings[0]
                out.append(f'<li><a href="{e(first.focus)}">{e(first.focusLabel)}</a><ul>{msgs}</ul></li>')
            out.append("</ul>")
            if group.hint:
                out.append(f"<p><strong>{e(t['todo'])}:</strong> {e(group.hint)}</p>")
            out.append("</article>")
        out.append("</section>")
    out.append(f"<footer><p>{e(t['disclaimer'])}</p></footer></body></html>")
    return "\n".join(out) + "\n"


SEVERITY_IRIS = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}


def _node(text: str) -> URIRef | BNode:
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text)


def report_graph(report: Report) -> Graph:
    """The standard sh:ValidationReport, each result enriched with rule id, regime and norm node."""
    g = Graph()
    g.bind("sh", SH)
    g.bind("kgsh", SHAPES)
    g.bind("dcterms", DCTERMS)
    root = BNode()
    g.add((root, RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, Literal(report.conforms)))
    g.add((root, DCTERMS.created, Literal(report.created.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)))
    for f in report.sorted():
        r = BNode()
        g.add((root, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.focusNode, _node(f.focus)))
        g.add((r, SH.resultSeverity, SEVERITY_IRIS.get(f.severity, URIRef(f.severity))))
        g.add((r, SH.resultMessage, Literal(f.message, lang=report.lang)))
        if f.shape:
            g.add((r, SH.sourceShape, _node(f.shape)))
        if f.component:
            g.add((r, SH.sourceConstraintComponent, URIRef(f.component)))
        if f.path:
            g.add((r, SH.resultPath, _node(f.path)))
        if f.value is not None:
            g.add((r, SH.value, _value_node(f.value)))
        g.add((r, DCTERMS.identifier, Literal(f.rule)))
        if f.regime:
            g.add((r, SHAPES.regime, URIRef(f.regime)))
        if f.norm is not None:
            g.add((r, SHAPES.norm, URIRef(f.norm.iri)))
        if f.hint:
            g.add((r, SHAPES.hint, Literal(f.hint, lang=report.lang)))
    return g


def _value_node(value: str) -> URIRef | BNode | Literal:
    if value.startswith("_:"):
        return BNode(value[2:])
    if "://" in value.split(" ", 1)[0] or value.startswith("urn:"):
        return URIRef(value)
    return Literal(value)
