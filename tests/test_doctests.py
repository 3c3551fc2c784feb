"""The examples in the package's docstrings run: every module under src/ that holds a ``>>>`` example is
imported and its doctests executed, so an example that stops being true fails here."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
MODULES = sorted(
    ".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
    for p in (SRC / "kooperationsgraph").rglob("*.py") if ">>> " in p.read_text(encoding="utf-8"))


def test_modules_with_examples_are_found() -> None:
    assert "kooperationsgraph.sparql.lexer" in MODULES and len(MODULES) >= 8


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{name} has '>>> ' but doctest found no example"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} fail (see output above)"
