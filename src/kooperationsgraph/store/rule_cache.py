"""What each derivation rule reads (:func:`.derive.analyse`, rdflib's SPARQL parser: about a second for the
project's rules in every process) kept in a JSON file between processes, keyed by the SHA-256 of the rule's
text, so a changed rule is analysed again. A file that cannot be read or written is just not used."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from .derive import Rule, analyse, is_closed

FORMAT = "rule-reads-1"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _read(cache_file: Path) -> dict[str, list[list[str | None]] | None]:
    try:
        data = json.loads(cache_file.read_text())
    except (OSError, ValueError):
        return {}
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
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_name(f"{cache_file.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps({"format": FORMAT, "rules": known}))
            tmp.replace(cache_file)
        except OSError:
            pass
    return out

