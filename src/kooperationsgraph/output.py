"""Plain-text renderings for the CLI: aligned tables of query results."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.term import Node

from .namespaces import PREFIXES

_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def compact(t: Node | None) -> str:
    """Prefixed name for IRIs in project namespaces, the lexical form for literals."""
    if t is None:
        return ""
    if isinstance(t, URIRef):
        s = str(t)
        for prefix, ns in _BY_LENGTH:
            if s.startswith(ns) and "/" not in s[len(ns):] and "#" not in s[len(ns):]:
                return f"{prefix}:{s[len(ns):]}"
        return f"<{s}>"
    if isinstance(t, Literal):
        return str(t) + (f"@{t.language}" if t.language else "")
    return str(t)


def table(headers: list[str], rows: list[list[str]], max_width: int = 60) -> str:
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) for r in cells]
    return "\n".join([line, sep, *body])
