"""Seeded re-derivation (store/seeded.py) against deleting a rule's output and re-running it: after random
changes to the triples the competitor rules read (parties, markets, recorded flags, asserted copies of derived
triples), the derived graph must be the same, triple for triple — on the fictional examples and a synthetic
landscape. Plus the conditions under which a rule may be seeded at all."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kooperationsgraph.config import Settings
from kooperationsgraph.namespaces import DERIVED_GRAPH
from kooperationsgraph.store.build import apply_rules, rule_files
from kooperationsgraph.store.derive import analyse as analyse_rule
from kooperationsgraph.store.derive import run_rule
from kooperationsgraph.store.seeded import constructed, eligible, nodes_of, seeded_rule, update
from kooperationsgraph.validation.depends import rule_io
from kooperationsgraph.validation.inputs import context_files, parse_file

REPO = Path(__file__).resolve().parents[1]
SETTINGS = Settings(root=REPO)
KG = "https://w3id.org/kooperationsgraph/ontology#"
G = ox.NamedNode(DERIVED_GRAPH)
DATA = ox.NamedNode("https://w3id.org/kooperationsgraph/graph/test/seeded")
RULES = rule_files(SETTINGS)
IO = rule_io(RULES)
SEEDED = eligible([(str(r), r.read_text()) for r in RULES], IO)
WRITES = {name: writes or set() for name, _reads, writes in IO}


def _store(extra: list[ox.Quad]) -> ox.Store:
    store = ox.Store()
    for f in context_files(SETTINGS):
        store.extend(parse_file(f, ox.NamedNode("urn:ctx:" + f.name).value))
    store.extend(extra)
    apply_rules(store, RULES)
    return store


def _examples() -> list[ox.Quad]:
    out: list[ox.Quad] = []
    for f in sorted((REPO / "data" / "examples").glob("kr-*.ttl")):
        out += parse_file(f, "urn:ex:" + f.name)
    return out


def _landscape() -> list[ox.Quad]:
    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate  # type: ignore[import-not-found]

    text, _ = generate(20_000, 5)
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.TURTLE, to_graph=DATA)
    return list(store)


def rerun(store: ox.Store, path: Path) -> set[ox.Quad]:
    """The rule's derived triples after deleting them and running the rule again (what seeding replaces)."""
    copy = ox.Store()
    copy.extend(store)
    writes = WRITES[str(path)]
    for p in writes:
        for q in list(copy.quads_for_pattern(None, ox.NamedNode(p), None, G)):
            copy.remove(q)
    run_rule(copy, analyse_rule(path.name, path.read_text()), G)
    return {q for p in writes for q in copy.quads_for_pattern(None, ox.NamedNode(p), None, G)}


def random_change(store: ox.Store, rng: random.Random) -> tuple[list[ox.Quad], list[ox.Quad]]:
    def all_of(p: str) -> list[ox.Quad]:
        return sorted((q for q in store.quads_for_pattern(None, ox.NamedNode(KG + p), None, None)
                       if q.graph_name != G), key=str)

    party, market = all_of("partei"), all_of("taetigAufMarkt")
    flags, derived = all_of("zwischenWettbewerbern"), sorted(store.quads_for_pattern(None, None, None, G), key=str)
    agreements = sorted({q.subject for q in party}, key=str)
    actors = sorted({q.object for q in party + market}, key=str)
    markets = sorted({q.object for q in market}, key=str)
    added: list[ox.Quad] = []
    removed: list[ox.Quad] = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["party+", "party-", "market+", "market-", "flag+", "flag-", "copy", "uncopy"])
        if kind == "party+" and agreements and actors:
            added.append(ox.Quad(rng.choice(agreements), ox.NamedNode(KG + "partei"), rng.choice(actors), DATA))
        elif kind == "party-" and party:
            removed.append(rng.choice(party))
        elif kind == "market+" and actors and markets:
            added.append(ox.Quad(rng.choice(actors), ox.NamedNode(KG + "taetigAufMarkt"), rng.choice(markets), DATA))
        elif kind == "market-" and market:
            removed.append(rng.choice(market))
        elif kind == "flag+" and agreements:
            added.append(ox.Quad(rng.choice(agreements), ox.NamedNode(KG + "zwischenWettbewerbern"),
                                 ox.Literal(rng.choice(["true", "false"]), datatype=ox.NamedNode(
                                     "http://www.w3.org/2001/XMLSchema#boolean")), DATA))
        elif kind == "flag-" and flags:
            removed.append(rng.choice(flags))
        elif kind == "copy" and derived:  # the data asserts what the rules derived
            q = rng.choice(derived)
            added.append(ox.Quad(q.subject, q.predicate, q.object, DATA))
        elif kind == "uncopy" and flags + market:
            removed.append(rng.choice(flags + market))
    return added, removed


@pytest.mark.parametrize("source", ["examples", "landscape"])
def test_seeded_update_equals_rerunning_the_rule(source: str) -> None:
    assert {Path(n).name for n in SEEDED} == {"wettbewerber.rq", "wettbewerber-vereinbarung.rq"}
    store = _store(_examples() if source == "examples" else _landscape())
    rng = random.Random(7)
    checked = changed = 0
    for _ in range(25 if source == "examples" else 12):
        added, removed = random_change(store, rng)
        nodes = nodes_of(added + removed)
        assert nodes is not None
        rules = list(SEEDED.values())
        olds = [constructed(store, r, nodes) for r in rules]
        before = set(store.quads_for_pattern(None, None, None, G))
        for q in removed:
            store.remove(q)
        store.extend(q for q in added if q not in store)
        for r, old in zip(rules, olds, strict=True):
            update(store, r, old, nodes)
        for path in RULES:
            if str(path) in SEEDED:
                writes = WRITES[str(path)]
                got = {q for q in store.quads_for_pattern(None, None, None, G) if q.predicate.value in writes}
                assert got == rerun(store, path), (path.name, added, removed)
                checked += 1
        changed += before != set(store.quads_for_pattern(None, None, None, G))
    assert checked and changed >= 3  # the changes did move derived triples


def test_a_rule_is_seeded_only_under_the_marks_conditions() -> None:
    kg = "PREFIX kg: <https://w3id.org/kooperationsgraph/ontology#>\n"
    ok = "# derive: seeded by ?a ?b\n" + kg + "CONSTRUCT { ?a kg:x ?b } WHERE { ?a kg:y ?b }"
    assert seeded_rule("ok", ok) is not None
    assert seeded_rule("none", ok.split("\n", 1)[1]) is None  # no mark
    loose = "# derive: seeded by ?a\n" + kg + "CONSTRUCT { ?a kg:x ?b } WHERE { ?a kg:y ?b }"
    assert seeded_rule("loose", loose) is None  # a template variable that is no seed
    assert seeded_rule("typo", ok.replace("?a ?b\n", "?a ?b ?c\n", 1)) is None  # a seed the query lacks
    fed = "# derive: seeded by ?a ?b\n" + kg + "CONSTRUCT { ?a kg:z ?b } WHERE { ?a kg:x ?b }"
    io = [("ok", {KG + "y"}, {KG + "x"}), ("fed", {KG + "x"}, {KG + "z"})]
    assert set(eligible([("ok", ok), ("fed", fed)], io)) == {"ok"}  # "fed" reads what "ok" derives
    twice = [("ok", {KG + "y"}, {KG + "x"}), ("other", {KG + "q"}, {KG + "x"})]
    assert set(eligible([("ok", ok), ("other", kg + "CONSTRUCT { ?a kg:x ?b } WHERE { ?a kg:q ?b }")], twice)) == set()


def test_a_flag_another_pair_of_competitors_still_gives_is_kept() -> None:
    """v has parties a, b (competitors on m1) and c, d (competitors on m2). Once a leaves m1 the flag on v still
    follows from c and d, whose solution the change did not touch: the flag must stay."""
    ex = "https://example.org/kooperationsgraph-beispiel/seeded/"
    n = {k: ox.NamedNode(ex + k) for k in ["v", "a", "b", "c", "d", "m1", "m2"]}
    party, market = ox.NamedNode(KG + "partei"), ox.NamedNode(KG + "taetigAufMarkt")
    data = [ox.Quad(n["v"], party, n[k], DATA) for k in "abcd"]
    data += [ox.Quad(n[k], market, n["m1" if k in "ab" else "m2"], DATA) for k in "abcd"]
    store = _store(data)
    flag = ox.Quad(n["v"], ox.NamedNode(KG + "zwischenWettbewerbern"),
                   ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")), G)
    assert flag in store
    change = ox.Quad(n["a"], market, n["m1"], DATA)
    nodes = nodes_of([change])
    rules = list(SEEDED.values())
    olds = [constructed(store, r, nodes) for r in rules]  # type: ignore[arg-type]
    assert any((flag.subject, flag.predicate, flag.object) in o for o in olds)
    store.remove(change)
    for r, old in zip(rules, olds, strict=True):
        update(store, r, old, nodes)  # type: ignore[arg-type]
    assert flag in store
    assert ox.Quad(n["a"], ox.NamedNode(KG + "wettbewerberVon"), n["b"], G) not in store
    assert ox.Quad(n["c"], ox.NamedNode(KG + "wettbewerberVon"), n["d"], G) in store
