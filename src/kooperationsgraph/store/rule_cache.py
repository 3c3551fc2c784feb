"""What each derivation rule reads (:func:`.derive.analyse`, rdflib's SPARQL parser: about a second for the
project's rules in every process) kept in a JSON file between processes, keyed by the SHA-256 of the rule's
text, so a changed rule is analysed again. A file that cannot be read or written is just not used."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .. import cachefile
from .derive import Rule, analyse, is_closed

FORMAT = "rule-reads-1"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _read(cache_file: Path) -> dict[str, list[list[str | None]] | None]:
    data = cachefile.read_json(cache_file)
    return data.get("rules", {}) if isinstance(data, dict) and data.get("format") == FORMAT else {}


def load_rules_cached(paths: list[Path], cache_file: Path | None) -> list[Rule]:
    """Like :func:`.derive.load_rules`, with the analyses from (and new ones into) ``cache_file``."""
    known = _read(cache_file) if cache_file is not None else {}
    out: list[Rule] = []
    fresh = False
    for p in paths:
        text = p.read_text()
        digest = _digest(text)
        if digest in known:
            raw = known[digest]
            reads = None if raw is None else frozenset((str(k[0]), k[1]) for k in raw)
            out.append(Rule(p.name, text, reads, is_closed(text)))
            continue
        rule = analyse(p.name, text)
        order = sorted(rule.reads or (), key=lambda k: (k[0], k[1] or ""))
        known[digest] = None if rule.reads is None else [[k[0], k[1]] for k in order]
        fresh = True
        out.append(rule)
    if fresh and cache_file is not None:
        cachefile.write_json(cache_file, {"format": FORMAT, "rules": known})
    return out

