"""README.md stays true: the two commands, .ci/run calling the test command, and the generated diagram."""

from __future__ import annotations

from pathlib import Path

from kooperationsgraph.diagram import mermaid

REPO = Path(__file__).resolve().parents[1]


def test_readme_names_the_two_commands_and_ci_runs_the_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head = readme[:3000]
    assert "make run" in head and "make test" in head
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in ci


def test_readme_diagram_is_generated_from_the_ontology() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert mermaid(REPO / "ontology" / "kooperationsgraph.ttl") in readme, (
        "regenerate the README diagram: python -c 'from kooperationsgraph.diagram import mermaid; "
        "print(mermaid(\"ontology/kooperationsgraph.ttl\"))'")
