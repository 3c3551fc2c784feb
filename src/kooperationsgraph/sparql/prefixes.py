"""The project's prefixes are predeclared for every query (as WDQS predeclares ``wd:``): ``kg:``, ``koop:``,
``akteur:`` … may be used without ``PREFIX`` lines. The embedded store passes them natively (pyoxigraph's
``prefixes``); for a remote server :func:`declare_missing` writes the ones a query does not declare itself.
A ``PREFIX`` line in the query always wins."""

from __future__ import annotations

from ..namespaces import PREFIXES
from .lexer import tokens


def declared(text: str) -> set[str]:
    """Prefix names the query declares itself."""
    toks = list(tokens(text))
    return {toks[i + 1].text[:-1] for i, t in enumerate(toks[:-1])
            if t.keyword == "PREFIX" and toks[i + 1].kind == "pname" and toks[i + 1].text.endswith(":")}


def declare_missing(text: str) -> str:
    """Prepend ``PREFIX`` lines for project prefixes used by the query and not declared in it (on line 1, so
    line numbers of errors stay the user's)."""
    mine = declared(text)
    used = {t.text.split(":", 1)[0] for t in tokens(text) if t.kind == "pname"}
    missing = [p for p in PREFIXES if p in used and p not in mine]
    if not missing:
        return text
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}> " for p in missing) + text
