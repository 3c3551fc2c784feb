"""Resolve what the user names (an IRI, a prefixed name or a label) to an IRI of the supply data."""

from __future__ import annotations

import unicodedata

from ..errors import KooperationsgraphError
from ..namespaces import PREFIXES
from .model import SupplyData


class UnknownName(KooperationsgraphError):
    pass


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in t if not unicodedata.combining(c)).strip()


def expand(token: str) -> str:
    t = token.strip()
    if t.startswith("<") and t.endswith(">"):
        return t[1:-1]
    prefix, sep, local = t.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return t


def resolve_node(data: SupplyData, token: str) -> str:
    """An actor, cooperation, agreement or operator by IRI or (unique) German or English label."""
    iri = expand(token)
    if iri in data.nodes:
        return iri
    want = _fold(token)
    exact = sorted(n.iri for n in data.nodes.values() if want in {_fold(n.name), _fold(n.name_en)})
    if len(exact) == 1:
        return exact[0]
    operators = [i for i in exact if data.nodes[i].kind == "betreiber"]
    if len(operators) == 1 and all(i in operators or (i in data.sites and data.sites[i].operator == operators[0])
                                   for i in exact):
        return operators[0]  # an operator and the sites it runs share the name: its failure includes them
    found = exact or sorted(n.iri for n in data.nodes.values() if want and want in _fold(n.name))
    if len(found) == 1:
        return found[0]
    if not found:
        raise UnknownName(f"nothing named {token!r}: give an IRI (e.g. akteur:stadtwerke-luebeck-gmbh) or a label")
    shown = "; ".join(f"{data.name(i)} <{i}>" for i in found[:8])
    more = f" and {len(found) - 8} more" if len(found) > 8 else ""
    raise UnknownName(f"{token!r} is ambiguous ({len(found)} matches): {shown}{more}")


def resolve_good(data: SupplyData, token: str) -> str:
    """A supply good by IRI, prefixed name (gut:strom), local name (strom) or label."""
    iri = expand(token)
    if iri in data.goods:
        return iri
    local = PREFIXES["gut"] + token.strip()
    if local in data.goods:
        return local
    want = _fold(token)
    found = sorted(g for g, (de, en) in data.goods.items() if want in {_fold(de), _fold(en)})
    if len(found) == 1:
        return found[0]
    names = ", ".join(sorted(g.rsplit("/", 1)[-1] for g in data.goods))
    raise UnknownName(f"no supply good {token!r}; known: {names}")


def suggest(data: SupplyData, query: str, limit: int = 10) -> list[str]:
    """What can fail, for a search box: nodes whose German or English name contains every word of ``query``
    (case- and accent-insensitive); exact names first, then name starts, word starts, other matches."""
    words = _fold(query).split()
    if not words or limit <= 0:
        return []
    ranked: list[tuple[int, int, str, str]] = []
    for n in data.nodes.values():
        best = None
        for name in (n.name, n.name_en):
            f = _fold(name)
            if not f or not all(w in f for w in words):
                continue
            whole = " ".join(words)
            rank = 0 if f == whole else 1 if f.startswith(whole) else 2 if all(
                any(part.startswith(w) for part in f.replace("-", " ").split()) for w in words) else 3
            best = rank if best is None else min(best, rank)
        if best is not None:
            ranked.append((best, len(n.name), _fold(n.name), n.iri))
    ranked.sort()
    return [iri for *_, iri in ranked[:limit]]
