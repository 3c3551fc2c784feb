"""Guard mode: a change is measured by what it introduces. The incremental assessment
(:mod:`..validation.incremental`) gives the results of the affected focus nodes before and after the change;
only results that are new block it — Violations, and with ``strict`` Warnings too. Results that existed before
and (without ``strict``) Warnings never block."""

from __future__ import annotations

from dataclasses import dataclass

from ..validation.findings import to_finding
from ..validation.incremental import Assessment, Mirror
from ..validation.messages import Labels
from ..validation.raw import RawResult
from ..validation.report import Finding

LANGS = ("de", "en")


def blocks(raw: RawResult, strict: bool) -> bool:
    sev = str(raw.severity).rsplit("#", 1)[-1]
    return sev == "Violation" or (strict and sev == "Warning")


@dataclass
class Verdict:
    assessment: Assessment
    introduced: list[RawResult]
    blocking: list[RawResult]
    by_lang: dict[str, tuple[list[Finding], list[Finding]]]

    @property
    def refused(self) -> bool:
        return bool(self.blocking)


def judge(mirror: Mirror, assessment: Assessment, strict: bool) -> Verdict:
    introduced = assessment.introduced()
    blocking = [r for r in introduced if blocks(r, strict)]
    labels = Labels.from_store(mirror.store)
    by_lang = {lang: ([to_finding(r, mirror.book, labels, lang) for r in introduced],
                      [to_finding(r, mirror.book, labels, lang) for r in blocking]) for lang in LANGS}
    return Verdict(assessment, introduced, blocking, by_lang)
