"""Seeded differential fuzz: small graphs mutated from data/examples/ (tests/fuzz_graphs.py) give the same
results on both engines — rule, severity, entry, path, value and message — or the same error (exit code 2,
naming the file), never a crash of one engine only. KG_FUZZ_N sets the number of graphs (default 24; CI may
run more), KG_FUZZ_SEED the seed. What the fuzz once found is kept as regression files in
data/examples/edge/ (run by tests/test_compliance_cases.py)."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO
from fuzz_graphs import mutants

from kooperationsgraph.config import Settings
from kooperationsgraph.errors import KooperationsgraphError
from kooperationsgraph.validation import Options, Report, validate_files

N = int(os.environ.get("KG_FUZZ_N", "24"))
SEED = int(os.environ.get("KG_FUZZ_SEED", "20261201"))
DAY = date(2026, 11, 28)
SETTINGS = Settings(root=REPO)
_BNODE = re.compile(r"_:[A-Za-z0-9]+")


def outcome(path: Path, engine: str) -> tuple[str, object]:
    try:
        report: Report = validate_files([path], SETTINGS, Options(today=DAY, engine=engine))
    except KooperationsgraphError as exc:
        assert str(path) in str(exc), exc  # errors name the file
        return ("error", type(exc).__name__)
    keys = sorted(
        tuple(_BNODE.sub("_:*", x) for x in (f.rule, f.severity, f.focus, f.path or "", f.value or "", f.message))
        for f in report.findings
    )
    return ("report", keys)


@pytest.mark.parametrize(("name", "text"), mutants(N, SEED), ids=lambda v: v if v.startswith("fuzz-") else "")
def test_engines_agree_on_a_mutated_example(name: str, text: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.nt"
    path.write_text(text, encoding="utf-8")
    assert outcome(path, "pyshacl") == outcome(path, "fast"), text


def test_mutants_are_deterministic() -> None:
    assert mutants(3, SEED) == mutants(3, SEED)
    assert mutants(3, SEED) != mutants(3, SEED + 1)
