"""Each CLI command works, including its errors (exit 2 with file:line:column for malformed input)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kooperationsgraph.cli import main

REPO = Path(__file__).resolve().parents[1]
needs_java = pytest.mark.usefixtures("java")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_help_lists_every_command(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for cmd in ("build", "serve", "query", "stats", "export", "reason"):
        assert cmd in out


def test_build_is_up_to_date_for_a_built_store(capsys, built_store_path: Path) -> None:
    code, out, _ = run(capsys, "--store", str(built_store_path), "build", "--no-reason")
    assert code == 0 and "up to date" in out


def test_stats_json(capsys, built_store_path: Path) -> None:
    code, out, _ = run(capsys, "--store", str(built_store_path), "stats", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["laender"] == 16 and data["triples"] > 0
    assert {"classes", "sectors", "laender_table"} <= set(data)


def test_stats_text(capsys, built_store_path: Path) -> None:
    code, out, _ = run(capsys, "--store", str(built_store_path), "stats")
    assert code == 0 and "Länder: 16" in out


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_text_in_every_format(capsys, built_store_path: Path, fmt: str) -> None:
    q = "SELECT ?ars WHERE { land:05 kg:ars ?ars }"
    code, out, _ = run(capsys, "--store", str(built_store_path), "query", q, "--format", fmt)
    assert code == 0 and "05" in out


def test_query_from_file_and_ask_and_construct(capsys, built_store_path: Path, tmp_path: Path) -> None:
    f = tmp_path / "q.rq"
    f.write_text("ASK { land:09 a kg:Bundesland }")
    code, out, _ = run(capsys, "--store", str(built_store_path), "query", str(f))
    assert code == 0 and out.strip() == "true"
    code, out, _ = run(capsys, "--store", str(built_store_path), "query",
                       "CONSTRUCT { land:09 rdfs:label ?l } WHERE { land:09 rdfs:label ?l }")
    assert code == 0 and "Bayern" in out


def test_malformed_sparql_exits_2_with_line_and_column(capsys, built_store_path: Path) -> None:
    code, _, err = run(capsys, "--store", str(built_store_path), "query", "SELECT * WHERE {\n ?s ?p }")
    assert code == 2
    assert "line 2, column" in err


def test_export_formats(capsys, built_store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "dump.nq"
    code, _, _ = run(capsys, "--store", str(built_store_path), "export", "--format", "nquads", "-o", str(out))
    assert code == 0 and out.stat().st_size > 1000
    g = "https://w3id.org/kooperationsgraph/graph/data/vokabular/ebenen"
    code, text, _ = run(capsys, "--store", str(built_store_path), "export", "--format", "turtle", "--graph", g)
    assert code == 0 and "Daseinsvorsorge" in text
    for fmt in ("trig", "nquads"):  # one graph in a quad format keeps its name (was 0 bytes, silently)
        out = tmp_path / f"graph.{fmt}"
        code, _, _ = run(capsys, "--store", str(built_store_path), "export", "--format", fmt, "--graph", g, "-o", str(out))
        assert code == 0 and g in out.read_text(encoding="utf-8") and "Daseinsvorsorge" in out.read_text(encoding="utf-8")
    code, _, err = run(capsys, "--store", str(built_store_path), "export", "--format", "trig", "--graph", "urn:nix")
    assert code == 2 and "no named graph" in err


def test_malformed_rdf_in_build_exits_2_with_file_line_column(capsys, tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "proj"
    shutil.copytree(REPO / "ontology", root / "ontology")
    (root / "data").mkdir()
    (root / "data" / "kaputt.ttl").write_text("@prefix ex: <http://e/> .\nex:a ex:b .\n", encoding="utf-8")
    monkeypatch.setenv("KG_ROOT", str(root))
    code, _, err = run(capsys, "build", "--no-reason")
    assert code == 2
    assert "data/kaputt.ttl:2:" in err


@needs_java
def test_reason_reports_inconsistency_with_exit_1(capsys) -> None:
    code, out, _ = run(capsys, "reason", str(REPO / "data" / "examples" / "inkonsistent.ttl"))
    assert code == 1 and "INCONSISTENT" in out and "disjointWith" in out


@needs_java
def test_reason_on_a_consistent_file(capsys) -> None:
    code, out, _ = run(capsys, "reason", str(REPO / "tests" / "fixtures" / "auftraggeber.ttl"))
    assert code == 0 and out.startswith("consistent")


def test_reason_on_malformed_file_exits_2(capsys, tmp_path: Path) -> None:
    f = tmp_path / "bad.ttl"
    f.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c\n")
    code, _, err = run(capsys, "reason", str(f))
    assert code == 2 and "bad.ttl:" in err
