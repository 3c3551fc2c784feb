"""The rule catalogue: the shapes graph (``ontology/shapes/*.ttl``) and what each named shape says about
itself — rule id, severity, regime, norm, title, fix hint and message templates. Everything here is read
from the Turtle files; no Python table repeats a rule's text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SH

from ..errors import KooperationsgraphError
from ..namespaces import SHAPES

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


class UnknownRuleError(KooperationsgraphError):
    """A ``--rules`` entry matches no rule id or regime prefix."""


@dataclass(frozen=True)
class Regime:
    iri: str
    labels: dict[str, str]
    order: int

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("de") or self.iri


@dataclass
class Rule:
    """One named shape: a rule (or one severity variant of a rule — several shapes may share an id)."""

    shape: str
    rule_id: str | None
    severity: str
    regime: str | None
    norm: str | None
    titles: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    templates: dict[str, list[str]] = field(default_factory=dict)

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles.get("de") or ""

    def hint(self, lang: str) -> str:
        return self.hints.get(lang) or self.hints.get("de") or ""

    def template_language(self, message: str) -> str | None:
        """Which language's template produced this (already substituted) message."""
        for lang, templates in self.templates.items():
            if any(_template_regex(t).fullmatch(message) for t in templates):
                return lang
        return None


@lru_cache(maxsize=512)
def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[?$][A-Za-z_][A-Za-z0-9_]*\}", template)
    return re.compile("(?s)" + ".*?".join(re.escape(p) for p in parts))


@dataclass
class RuleBook:
    """The shapes graph plus an index of its rules and regimes."""

    graph: Graph
    rules: dict[str, Rule]
    regimes: dict[str, Regime]

    def select(self, spec: str | None) -> list[str]:
        """Shape IRIs for ``--rules DS,VG-1`` (regime prefixes or rule ids); all rules when empty."""
        if not spec:
            return sorted(self.rules)
        chosen: set[str] = set()
        for raw in (s.strip() for s in spec.split(",")):
            if not raw:
                continue
            token = raw.upper()
            hits = {
                s
                for s, r in self.rules.items()
                if r.rule_id and (r.rule_id.upper() == token or r.rule_id.upper().startswith(token + "-"))
            }
            if not hits:
                known = sorted({r.rule_id.split("-")[0] for r in self.rules.values() if r.rule_id})
                raise UnknownRuleError(
                    f"--rules: {raw!r} matches no rule; use a regime prefix ({', '.join(known)}) or a rule id such as DS-4"
                )
            chosen |= hits
        return sorted(chosen)

    def rule(self, shape: str) -> Rule | None:
        return self.rules.get(shape)

    def template_literal(self, text: str) -> Literal:
        """The sh:message literal (with its language) whose text is ``text``; a plain literal if none is."""
        langs = self.__dict__.get("_template_langs")
        if langs is None:
            langs = {}
            for m in self.graph.objects(None, SH.message):
                if isinstance(m, Literal):
                    langs.setdefault(str(m), m.language)
            self.__dict__["_template_langs"] = langs
        lang = langs.get(text)
        return Literal(text, lang=lang) if lang else Literal(text)


def shapes_dir(root: Path) -> Path:
    return root / "ontology" / "shapes"


def load_shapes_graph(paths: list[Path]) -> Graph:
    g = Graph()
    for p in paths:
        g.parse(p, format="turtle")
    return g


def _lang_map(g: Graph, s: URIRef, p: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for o in g.objects(s, p):
        if isinstance(o, Literal):
            out.setdefault(o.language or "", str(o))
    return out


def index_rules(g: Graph) -> RuleBook:
    """Read every shape that has an sh:severity or a rule id (named shapes only)."""
    rules: dict[str, Rule] = {}
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    for s in shapes:
        if not isinstance(s, URIRef):
            continue
        sev = g.value(s, SH.severity)
        rid = g.value(s, DCTERMS.identifier)
        templates: dict[str, list[str]] = {}
        for c in g.objects(s, SH.sparql):
            for m in g.objects(c, SH.message):
                if isinstance(m, Literal):
                    templates.setdefault(m.language or "", []).append(str(m))
        norm = g.value(s, SHAPES.norm)
        regime = g.value(s, SHAPES.regime)
        rules[str(s)] = Rule(
            shape=str(s),
            rule_id=str(rid) if rid is not None else None,
            severity=SEVERITIES.get(sev, "Violation") if isinstance(sev, URIRef) else "Violation",
            regime=str(regime) if regime is not None else None,
            norm=str(norm) if norm is not None else None,
            titles=_lang_map(g, s, RDFS.label),
            hints=_lang_map(g, s, SHAPES.hint),
            templates=templates,
        )
    regimes: dict[str, Regime] = {}
    for r in g.subjects(RDF.type, SHAPES.Regime):
        order = g.value(r, SHAPES.order)
        regimes[str(r)] = Regime(str(r), _lang_map(g, r, RDFS.label), int(order) if order is not None else 99)
    return RuleBook(g, rules, regimes)


@lru_cache(maxsize=4)
def _project_rulebook(directory: str, stamp: tuple[tuple[str, float], ...]) -> RuleBook:
    paths = [Path(p) for p, _ in stamp]
    return index_rules(load_shapes_graph(paths))


def project_rulebook(root: Path) -> RuleBook:
    """The project's rules, cached per process until a shapes file changes."""
    d = shapes_dir(root)
    files = sorted(d.glob("*.ttl"))
    if not files:
        raise KooperationsgraphError(f"no shapes in {d}")
    return _project_rulebook(str(d), tuple((str(f), f.stat().st_mtime) for f in files))


def rulebook_from_file(path: Path) -> RuleBook:
    """Shapes from a user-supplied file (``--shapes``), e.g. a W3C test case. Parsed strictly first (errors
    with file:line:column), then with rdflib so the file's prefix bindings stay available to SPARQL."""
    from ..rdfio import format_for_path, parse_quads

    fmt = format_for_path(path)
    if fmt is None or not path.is_file():
        raise KooperationsgraphError(f"{path}: not a readable RDF file for --shapes")
    parse_quads(None, fmt, str(path), path=path, base_iri=path.resolve().as_uri())
    g = Graph()
    g.parse(path, format=fmt.rdflib_name, publicID=path.resolve().as_uri())
    return index_rules(g)
