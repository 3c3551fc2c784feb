"""The parse gate's direct load (untrusted.load_untrusted, used when validating files) gives the store that
parse_untrusted's quads give (store.extend: the store writes some literals canonically, both ways), graphs
included; only blank node ids differ (each document gets its own)."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from kooperationsgraph.rdfio import RDF_FORMATS
from kooperationsgraph.untrusted import load_untrusted, parse_untrusted

CASES = {
    "turtle": '@prefix : <urn:x#> .\n:a :b [ :c "01"^^<http://www.w3.org/2001/XMLSchema#integer> ] ; :d _:n , "x"@de .\n'
              '_:n :e :f .\n',
    "nquads": '<urn:a> <urn:b> "x"@de .\n<urn:a> <urn:b> _:n1 <urn:gg> .\n_:n1 <urn:b> <urn:c> <urn:gg> .\n',
    "trig": '@prefix : <urn:x#> .\n:a :b :c .\n<urn:G> { :a :b [ :e 1.0 ] . }\n',
}


def shape(quads) -> list[str]:
    return sorted(re.sub(r"_:\w+", "_:B", str(q)) for q in quads)


@pytest.mark.parametrize("fmt", sorted(CASES))
@pytest.mark.parametrize("graph", ["urn:target", None])
def test_load_gives_the_parsed_quads(fmt: str, graph: str | None) -> None:
    info = RDF_FORMATS[fmt]
    parsed = ox.Store()
    parsed.extend(parse_untrusted(CASES[fmt], info, "case", graph=graph))
    store = ox.Store()
    load_untrusted(store, CASES[fmt], info, "case", graph=graph)
    assert shape(store) == shape(parsed) and len(store) == len(parsed) > 0
    blanks = {t for q in store for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}
    assert len(blanks) == len({t for q in parsed for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)})
