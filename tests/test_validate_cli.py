"""``kooperationsgraph validate`` end to end: exit codes (0 no Violation, 1 Violations or --strict Warnings,
2 usage and parse errors with file:line:column), output formats, folders, --graph, --save and --diff."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from rdflib import RDF, Graph
from rdflib.namespace import SH

from kooperationsgraph.cli import main

EXAMPLES = REPO / "data" / "examples"
DAY = ["--stichtag", "2026-11-28"]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    rc = main(["validate", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def test_exit_0_when_compliant(capsys) -> None:
    rc, out, _ = cli(capsys, str(EXAMPLES / "vg-1-konform.ttl"), *DAY)
    assert rc == 0 and "Keine Befunde" in out


def test_exit_1_on_violations(capsys) -> None:
    rc, out, _ = cli(capsys, str(EXAMPLES / "vg-1-verstoss.ttl"), *DAY)
    assert rc == 1 and "VG-1" in out and "§ 106 GWB" in out


def test_warnings_fail_only_with_strict(capsys) -> None:
    f = str(EXAMPLES / "kr-1-verstoss.ttl")
    assert cli(capsys, f, *DAY)[0] == 0
    assert cli(capsys, f, *DAY, "--strict")[0] == 1


def test_exit_2_with_file_line_and_column_on_parse_errors(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "kaputt.ttl"
    bad.write_text("@prefix ex: <https://w3id.org/kooperationsgraph/example/> .\nex:a ex:b ex:c ;\n  ex:d .\n")
    rc, _, err = cli(capsys, str(bad))
    assert rc == 2
    assert f"{bad}:3:" in err


@pytest.mark.parametrize(
    "args",
    [
        ["--rules", "XY"],
        ["--focus", "kein iri"],
        ["--land", "7"],
        ["--stichtag", "gestern"],
        ["/nonexistent/file.ttl"],
    ],
)
def test_exit_2_on_usage_errors(capsys, args: list[str]) -> None:
    files = [] if args[0].startswith("/") else [str(EXAMPLES / "ds-1-verstoss.ttl")]
    try:
        rc = main(["validate", *files, *args])
    except SystemExit as exc:  # argparse rejects malformed values itself, also with exit code 2
        rc = int(exc.code or 0)
    capsys.readouterr()
    assert rc == 2


def test_json_output_on_a_folder(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "fall"
    folder.mkdir()
    for name in ("ds-4-verstoss.ttl", "kr-5-verstoss.ttl"):
        (folder / name).write_text((EXAMPLES / name).read_text(encoding="utf-8"), encoding="utf-8")
    rc, out, _ = cli(capsys, str(folder), "--format", "json", *DAY)
    obj = json.loads(out)
    assert rc == 1
    assert {r["rule"] for r in obj["results"]} == {"DS-4", "KR-5"}
    assert obj["counts"]["Violation"] == 2


def test_turtle_and_html_formats(capsys) -> None:
    f = str(EXAMPLES / "ds-7-verstoss.ttl")
    _, out, _ = cli(capsys, f, "--format", "turtle", *DAY)
    g = Graph().parse(data=out, format="turtle")
    assert len(list(g.subjects(RDF.type, SH.ValidationReport))) == 1
    _, out, _ = cli(capsys, f, "--format", "html", "--lang", "en", *DAY)
    assert out.startswith("<!DOCTYPE html>") and "Transfers to third countries" in out


def test_validates_the_store_and_one_graph(capsys, settings) -> None:
    main(["--store", str(settings.store_dir), "validate", "--format", "json", *DAY])
    obj = json.loads(capsys.readouterr().out)
    assert "results" in obj
    main(
        [
            "--store",
            str(settings.store_dir),
            "validate",
            "--graph",
            "data/kooperationen/energie",
            "--rules",
            "ST",
            "--format",
            "json",
            *DAY,
        ]
    )
    one = json.loads(capsys.readouterr().out)
    assert len(one["results"]) <= len(obj["results"])
    assert main(["--store", str(settings.store_dir), "validate", "--graph", "data/gibt-es-nicht"]) == 2


def test_save_and_diff_through_the_cli(capsys, tmp_path: Path) -> None:
    from kooperationsgraph.config import Settings
    from kooperationsgraph.store.build import build

    store = tmp_path / "store"
    build(Settings(root=REPO, store_path=store), reason=False)
    base = ["--store", str(store), "validate"]
    main([*base, str(EXAMPLES / "ds-1-verstoss.ttl"), "--save", *DAY])
    assert "Gespeichert als" in capsys.readouterr().out
    rc = main([*base, str(EXAMPLES / "ds-1-konform.ttl"), "--diff", "--format", "json", *DAY])
    obj = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert [r["rule"] for r in obj["diff"]["fixed"]] == ["DS-1"] and obj["diff"]["new"] == []


def test_runs_as_a_program() -> None:
    program = Path(sys.executable).parent / "kooperationsgraph"
    proc = subprocess.run(
        [
            str(program),
            "validate",
            str(EXAMPLES / "ds-3-verstoss.ttl"),
            "--format",
            "json",
            *DAY,
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["results"][0]["rule"] == "DS-3"
