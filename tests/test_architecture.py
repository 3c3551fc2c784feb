"""The house rules as a test: the package's import graph (every ``import`` and ``from … import`` of its own
modules, at module level or inside functions; not the ``if TYPE_CHECKING:`` imports, which never run) has no
cycle, and no module imports from a room above its own:

    cli > web > changes > validation, resilience, stats, catalogue, sheets > store > shared utilities (sparql/, errors, …)
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "kooperationsgraph"
ROOMS = {"cli": 5, "web": 4, "changes": 3.5, "validation": 3, "resilience": 3, "stats": 3, "catalogue": 3, "sheets": 3,
         "store": 2}


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def room(module: str) -> int:
    parts = module.split(".")
    return ROOMS.get(parts[1], 1) if len(parts) > 1 else 1


def imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    modules = {module_name(p): p for p in PKG.rglob("*.py")}
    for name, path in modules.items():
        is_pkg = path.name == "__init__.py"
        package = name if is_pkg else name.rsplit(".", 1)[0]
        found: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and
                     isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
                     for stmt in block.body for n in ast.walk(stmt)}  # imports for annotations never run
        for node in ast.walk(tree):
            if id(node) in type_only:
                continue
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                candidates = [target] + [f"{target}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                candidates = [a.name for a in node.names]
            else:
                continue
            for c in candidates:
                if c in modules and c != name:
                    found.add(c)
        graph[name] = found
    return graph


def test_no_upward_import() -> None:
    bad = [f"{a} (room {room(a)}) imports {b} (room {room(b)})"
           for a, targets in imports().items() for b in targets if room(b) > room(a)]
    assert bad == []


def test_no_import_cycle() -> None:
    graph = imports()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(n: str, stack: list[str]) -> None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m, stack)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [])
    assert cycles == [], cycles


def test_the_checks_can_fail() -> None:
    assert room("kooperationsgraph.cli.query") > room("kooperationsgraph.store.base")
    assert room("kooperationsgraph.sparql.terms") < room("kooperationsgraph.store.base")


#: A room does one job: a module that grows past this many lines is a sign it does several (issue 10).
MAX_LINES = 400


def test_no_module_is_over_the_size_limit() -> None:
    big = {str(p.relative_to(PKG)): n for p in PKG.rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert big == {}, f"modules over {MAX_LINES} lines: split them by concern"
