"""Search through the word index (web/word_index.py) ranks exactly as the earlier scan of every entry, kept here
as the reference: the same hits, the same order, the same matched entry and rank, on the built project store."""

from __future__ import annotations

import random

import pytest

from kooperationsgraph.web import labels as lab
from kooperationsgraph.web.word_index import WordIndex


def scan_search(idx: lab.LabelIndex, query: str, limit: int = 50) -> list[tuple[lab.Entry, int]]:
    """LabelIndex.search before the word index: match_rank over every entry."""
    q = lab.normalise(" ".join(query.split()))
    qwords = lab.words(q)
    if not qwords:
        return []
    seen: dict[str, tuple[lab.Entry, int]] = {}
    for e in idx.entries:
        ranks = [r for r in (lab.match_rank(q, qwords, k) for k in (e.key, e.alt) if k) if r is not None]
        if not ranks:
            continue
        rank = min(ranks)
        old = seen.get(e.iri)
        if old is None or (rank, len(e.key)) < (old[1], len(old[0].key)):
            seen[e.iri] = (e, rank)
    order = {f: i for i, f in enumerate(lab.FAMILIES)}
    hits = sorted(seen.values(), key=lambda h: (h[1], order.get(idx.family(h[0].iri) or "", 99),
                                                len(h[0].key), h[0].key))
    return hits[:limit] if limit else hits


def _queries(idx: lab.LabelIndex) -> list[str]:
    """Fixed queries (umlauts, transliteration, legal forms, punctuation) and a seeded sample drawn from the
    labels themselves: whole labels, word prefixes, inner substrings, two words in swapped order."""
    rng = random.Random(15)
    out = ["stadtwerke", "Stadtwerke München", "muenchen", "München", "sudwest", "trianel gmbh", "Trianel",
           "bad", "werk", "stadt werke", "e.V.", "(", "kreis", "Nordrhein-Westfalen", "xyzzyq", "  ", "ae"]
    sample = rng.sample(idx.entries, min(12, len(idx.entries)))
    for e in sample:
        ws = [w for w in lab.words(e.key) if len(w) > 2]
        out.append(e.text)
        if ws:
            w = rng.choice(ws)
            out += [w[:3], w[1:-1]]
        if len(ws) > 1:
            out.append(f"{ws[1]} {ws[0][:4]}")
    return out


@pytest.fixture(scope="module")
def index(backend) -> lab.LabelIndex:
    return lab.build_index(backend)


def test_search_ranks_as_the_scan_of_every_entry(index: lab.LabelIndex) -> None:
    assert len(index.entries) > 1000
    found = 0
    for q in _queries(index):
        old = [(e.iri, e.key, e.lang, r) for e, r in scan_search(index, q, limit=0)]
        for limit in (0, 10):
            assert [(e.iri, e.key, e.lang, r) for e, r in index.search(q, limit=limit)] == old[:limit or None], q
        found += len(old)
    assert found > 500  # the sample does find things


def test_candidates_are_a_superset_of_the_matches() -> None:
    keys = [("stadtwerke munchen gmbh", "stadtwerke muenchen gmbh"), ("edeka-verbund (nord)", ""),
            ("a_b c", ""), ("", ""), ("sudwest strasse 1", "")]
    wi = WordIndex(keys)
    assert wi.candidates(("werk",)) == [0]
    assert wi.candidates(("muen", "stadt")) == [0]  # one word from the alternative key, one from both
    assert wi.candidates(("nord", "verb")) == [1]
    assert wi.candidates(("a", "c")) == [0, 2]  # "stadtwerke munchen" contains both, too
    assert wi.candidates(("a_b",)) == [] and wi.candidates(("b",)) == [0, 1, 2]  # "_" separates words
    assert wi.candidates(("1",)) == [4]
    assert wi.candidates(("ab",)) == [] and wi.candidates(()) == []
