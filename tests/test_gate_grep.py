"""Grep-level proof of the query gate: no f-string, ``%`` or ``.format`` under ``src/`` builds SPARQL text from a
runtime value. SPARQL-looking string templates may interpolate only module constants (``NAME_IN_CAPS``,
``KG.term``) or terms escaped by the one term writer (``term_text``/``_iri``); everything else is bound as a term
through the store seam."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "kooperationsgraph"
SPARQL = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|WHERE|GRAPH|VALUES|FILTER|PREFIX|BASE|MOVE|"
                    r"DROP|LOAD|SERVICE|OPTIONAL|UNION)\b|\?[a-z]\w*\s|<\{")
SAFE_CALLS = {"term_text", "_iri", "len", "int"}
#: Reviewed exceptions: (file, interpolated expression) → why it cannot carry a request value.
REVIEWED = {
    ("namespaces.py", "p"): "PREFIX lines from the PREFIXES constant",
    ("namespaces.py", "iri"): "PREFIX lines from the PREFIXES constant",
    ("sparql/screen.py", "_show(target)"): "an error message, not query text",
    ("sparql/prefixes.py", "p"): "PREFIX lines from the PREFIXES constant",
    ("sparql/prefixes.py", "PREFIXES[p]"): "PREFIX lines from the PREFIXES constant",
    ("sparql/terms.py", "names"): "the binding helper itself: checked variable names",
    ("sparql/terms.py", "values"): "the binding helper itself: terms escaped by term_text",
    ("stats.py", "where"): "module-constant patterns of the statistics",
    ("store/remote/virtuoso.py", "a"): "dialect rewrite of already screened text (variables found by the rewrite)",
    ("store/remote/virtuoso.py", "b"): "dialect rewrite of already screened text",
    ("store/remote/virtuoso.py", "x"): "dialect rewrite of already screened text",
    ("store/remote/virtuoso.py", "pred"): "dialect rewrite of already screened text",
    ("store/remote/virtuoso.py", "sparql[:sel.start()]"): "dialect rewrite of already screened text",
    ("store/remote/virtuoso.py", "inner"): "dialect rewrite of already screened text",
    ("store/remote/virtuoso.py", "sparql[cut:].strip()"): "dialect rewrite of already screened text",
    ("store/remote/backend.py", "' . '.join(triples)"): "version bookkeeping: constants, uuid and graph names via _iri",
    ("store/remote/backend.py", "text"): "an update already screened by the seam",
    ("store/remote/backend.py", "body"): "N-Triples lines written by pyoxigraph's term writer",
    ("store/remote/backend.py", "page"): "integers computed by the backend",
    ("store/remote/backend.py", "offset"): "integers computed by the backend",
    ("validation/fast.py", "c"): "IRIs of the shapes graph (pyoxigraph NamedNode values), compiled once",
    ("validation/fast.py", "p"): "IRIs of the shapes graph (pyoxigraph NamedNode values), compiled once",
    ("validation/fast.py", "ns"): "prefix declarations of the shapes graph",
    ("validation/fast.py", "values"): "focus nodes (IRIs) each escaped by term_text (VALUES of the incremental run)",
    ("validation/fast.py", "comp.targets"): "the shape's target pattern, compiled once from the shapes graph",
    ("web/service_description.py", "s.query_timeout"): "a description text, not query text",
    ("web/service_description.py", "s.max_query_length"): "a description text, not query text",
    ("web/service_description.py", "s.max_nesting"): "a description text, not query text",
}


def _safe(node: ast.AST) -> bool:
    """An interpolated expression that cannot carry a request value into query text."""
    if isinstance(node, ast.Name):
        return node.id.isupper() or node.id in {"meta", "s"}  # module constants; remote's escaped meta names
    if isinstance(node, ast.Attribute):
        return isinstance(node.value, ast.Name) and (node.value.id.isupper() or node.value.id in {"RDF", "RDFS"})
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in SAFE_CALLS
    if isinstance(node, ast.Constant):
        return True
    return False


def offenders() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
                if not SPARQL.search(text):
                    continue
                for v in node.values:
                    rel = path.relative_to(SRC).as_posix()
                    if isinstance(v, ast.FormattedValue) and not _safe(v.value) and \
                            (rel, ast.unparse(v.value)) not in REVIEWED:
                        found.append(f"{path.relative_to(SRC)}:{node.lineno}: f-string {ast.unparse(v.value)!r}")
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) \
                    and isinstance(node.left.value, str) and SPARQL.search(node.left.value):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: % formatting of SPARQL")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {
                    "format", "replace"} and isinstance(node.func.value, ast.Constant) and \
                    isinstance(node.func.value.value, str) and SPARQL.search(node.func.value.value):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: .{node.func.attr}() on SPARQL text")
    return found


def test_no_sparql_is_built_from_runtime_values() -> None:
    assert offenders() == []


def test_the_check_catches_pasting() -> None:
    """The scan itself must be able to fail: a pasted IRI is found."""
    sample = 'def f(iri):\n    return f"SELECT ?p WHERE {{ <{iri}> ?p ?o }}"\n'
    tree = ast.parse(sample)
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr))
    assert not all(_safe(v.value) for v in node.values if isinstance(v, ast.FormattedValue))
