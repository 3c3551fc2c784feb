"""Checks a SPARQL text in Python before any native parser sees it: size, bracket nesting, and the
operations that would make the server fetch a URL or read a file (SERVICE, LOAD, FROM of unknown IRIs)."""

from __future__ import annotations

import re

from .errors import QueryRefused, QuerySyntaxError

_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*|[{}()\[\]]|[A-Za-z_][A-Za-z0-9_]*|\s+|.", re.S)


def screen(text: str, *, max_length: int, max_nesting: int, allow: tuple[str, ...] = (),
           known_graphs: set[str] | None = None) -> None:
    """Raise QuerySyntaxError (400) or QueryRefused (403) for input the server will not hand on."""
    if len(text) > max_length:
        raise QuerySyntaxError(f"query is {len(text)} characters long; the limit is {max_length}")
    depth = 0
    prev_kw = ""
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if tok in "{([":
            depth += 1
            if depth > max_nesting:
                line = text.count("\n", 0, m.start()) + 1
                raise QuerySyntaxError(f"brackets nested deeper than {max_nesting} levels", line,
                                       m.start() - text.rfind("\n", 0, m.start()))
        elif tok in "})]":
            depth -= 1
        elif tok[0].isalpha() or tok[0] == "_":
            kw = tok.upper()
            if kw == "LOAD":
                raise QueryRefused("LOAD is not allowed on this server (no outbound requests)")
            prev_kw = kw if kw in {"SERVICE", "FROM", "NAMED", "SILENT"} else ""
            continue
        elif tok.startswith("<") and prev_kw in {"SERVICE", "SILENT"} and "SERVICE" in text.upper():
            iri = tok[1:-1]
            if not any(iri.startswith(a) for a in allow):
                raise QueryRefused(f"SERVICE <{iri}> is not on this server's allow-list (no outbound requests)")
        elif tok.startswith("<") and prev_kw in {"FROM", "NAMED"} and known_graphs is not None:
            iri = tok[1:-1]
            if iri not in known_graphs:
                raise QueryRefused(f"FROM <{iri}> names no graph of this dataset; the server does not fetch URLs")
        if not tok.isspace():
            prev_kw = "" if not tok.startswith("#") else prev_kw
    # SERVICE with a variable or prefixed name: refuse unless allowed by prefix (cannot be checked)
    if re.search(r"\bSERVICE\s+(SILENT\s+)?[?$A-Za-z]", _strip(text), re.I) and not allow:
        raise QueryRefused("SERVICE is not allowed on this server (no outbound requests)")


def _strip(text: str) -> str:
    """Text with strings, IRIs and comments blanked, to search keywords safely."""
    return "".join(" " if (t.startswith(("\"", "'", "#"))) else t for t in (m.group(0) for m in _TOKEN.finditer(text)))
