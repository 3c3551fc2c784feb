"""Validation results as data: :class:`Finding` (one result, in words) and :class:`Report` (all results,
grouped by regime → rule → focus). ``to_json`` is the stable machine format documented in
docs/compliance.md; text, HTML and Turtle renderings live in :mod:`.render`."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class NormRef:
    """The legal provision a rule rests on: its node, official citation and URL (from data/recht/)."""

    iri: str
    citation: str | None = None
    url: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {"citation": self.citation, "url": self.url}


@dataclass
class Finding:
    """One validation result, ready for people and tools."""

    rule: str
    severity: str
    focus: str
    focusLabel: str  # noqa: N815 - the JSON field name
    path: str | None
    value: str | None
    message: str
    norm: NormRef | None
    hint: str | None
    regime: str | None
    shape: str = ""
    title: str = ""
    regimeLabel: str = ""  # noqa: N815
    component: str | None = None

    def key(self) -> tuple[str, str, str, str]:
        """Identity across runs (for history diffs): rule, focus node, path and value."""
        return (self.rule, self.focus, self.path or "", self.value or "")

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "focus": self.focus,
            "focusLabel": self.focusLabel,
            "path": self.path,
            "value": self.value,
            "message": self.message,
            "norm": self.norm.as_json() if self.norm else None,
            "hint": self.hint,
        }


def _natural(rule: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", rule))


@dataclass
class RuleGroup:
    """Findings of one shape (a rule, or one severity variant of it), by entry."""

    shape: str
    rule: str
    title: str
    severity: str
    norm: NormRef | None
    hint: str | None
    by_focus: dict[str, list[Finding]]


@dataclass
class RegimeGroup:
    regime: str | None
    label: str
    rules: list[RuleGroup]


@dataclass
class Report:
    findings: list[Finding]
    lang: str = "de"
    sources: list[str] = field(default_factory=list)
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    regime_order: dict[str, int] = field(default_factory=dict)
    engine: str = "pyshacl"

    # -- summary -----------------------------------------------------------------------------------
    @property
    def conforms(self) -> bool:
        """SHACL conformance: no result of any severity (use :attr:`has_violations` for exit codes)."""
        return not self.findings

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.findings)
        out = {s: c.get(s, 0) for s in SEVERITY_ORDER}
        out.update({s: n for s, n in c.items() if s not in out})
        return out

    @property
    def has_violations(self) -> bool:
        return any(f.severity == "Violation" for f in self.findings)

    def fails(self, strict: bool = False) -> bool:
        """Exit-code semantics: Violations fail; with ``strict`` Warnings fail too."""
        return self.has_violations or (strict and any(f.severity == "Warning" for f in self.findings))

    def sorted(self) -> list[Finding]:
        return sorted(
            self.findings,
            key=lambda f: (
                self.regime_order.get(f.regime or "", 99),
                _natural(f.rule),
                SEVERITY_ORDER.get(f.severity, 9),
                f.shape,
                f.focusLabel,
                f.focus,
                f.path or "",
                f.value or "",
                f.message,
            ),
        )

    def groups(self) -> list[RegimeGroup]:
        """Regime → rule → focus node, in report order."""
        regimes: dict[str | None, RegimeGroup] = {}
        for f in self.sorted():
            rg = regimes.get(f.regime)
            if rg is None:
                rg = regimes[f.regime] = RegimeGroup(f.regime, f.regimeLabel, [])
            if not rg.rules or rg.rules[-1].shape != f.shape:
                rg.rules.append(RuleGroup(f.shape, f.rule, f.title, f.severity, f.norm, f.hint, {}))
            rg.rules[-1].by_focus.setdefault(f.focus, []).append(f)
        return list(regimes.values())

    # -- renderings ----------------------------------------------------------------------------------
    def as_json(self) -> dict[str, object]:
        return {
            "conforms": self.conforms,
            "counts": self.counts,
            "results": [f.as_json() for f in self.sorted()],
        }

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, indent=indent)

    def to_text(self, *, verbose: bool = False) -> str:
        from .render import render_text

        return render_text(self, verbose=verbose)

    def to_html(self) -> str:
        from .render import render_html

        return render_html(self)

    def to_turtle(self) -> str:
        from .render import report_graph

        return report_graph(self).serialize(format="turtle")
