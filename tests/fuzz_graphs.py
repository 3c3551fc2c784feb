"""Seeded mutations of the fictional examples for the differential engine test: odd lexical forms, mistyped
values, boundary amounts and dates, blank nodes, removed labels, unusual IRIs and values that look like
message-template syntax. Each mutant is written as N-Triples with every literal exactly as generated, so both
engines read the same text. ``python tests/fuzz_graphs.py N SEED OUTDIR`` writes N mutants for inspection."""

from __future__ import annotations

import logging
import random
import sys
import warnings
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # mutants are ill-formed on purpose
warnings.filterwarnings("ignore", message="Parsing weird boolean", category=UserWarning)

NUMBERS = ["216000", "215999.99", "216000.00", "+216000", "0216000", " 79.99", "79.99 ", "1e3", "NaN", "INF",
           "\u0663\u0661\u0660", "310000 EUR", "432000", "140000", "143000", "221000", "5404000", "750000",
           "15", "15.0", "20", "80", "80.0", "-1", "", "."]
NUMERIC_TYPES = [XSD.decimal, XSD.integer, XSD.double, XSD.string, XSD.float, None]
BOOLEANS = ["true", "false", "TRUE", "True", " true", "1", "0", "yes", ""]
DATES = ["2025-12-31", "2026-01-01", "2027-12-31", "2028-01-01", "2023-12-31", "2024-01-01", "2026-01-01Z",
         "2026-01-01+02:00", "2026-02-30", "2026-13-01", "26-01-01", "2026-01-01T00:00:00"]
DATE_TYPES = [XSD.date, XSD.dateTime, XSD.string, XSD.gYear, None]
ODD_TEXT = ["{$this}", "\\g<0>", "\\1", "\\n", "zeile\nzwei", "<a:{b}>", "<https://example.org/x>", "{?wert} €",
            "50 % (fiktiv)", "„Anführung“ \"quote\""]
ODD_IRIS = ["https://w3id.org/kooperationsgraph/example/%7Bb%7D", "urn:ex:ä-ö", "https://w3id.org/kooperationsgraph/example/x#y",
            "http://example.org/a:b"]


def _is_number(o: object) -> bool:
    return isinstance(o, Literal) and o.datatype in (XSD.decimal, XSD.integer, XSD.double, XSD.float)


def _is_date(o: object) -> bool:
    return isinstance(o, Literal) and o.datatype in (XSD.date, XSD.dateTime, XSD.gYear)


def _is_bool(o: object) -> bool:
    return isinstance(o, Literal) and o.datatype == XSD.boolean


def _lit(lex: str, dt: URIRef | None) -> Literal:
    return Literal(lex, datatype=dt, normalize=False) if dt is not None else Literal(lex)


def mutate(g: Graph, rng: random.Random) -> Graph:
    """One mutation step (in place), chosen at random among the kinds the module doc lists."""
    triples = sorted(g, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    kind = rng.choice(["number", "number", "bool", "date", "date", "bnode", "label", "iri", "text", "drop"])
    pick = {
        "number": [t for t in triples if _is_number(t[2])],
        "bool": [t for t in triples if _is_bool(t[2])],
        "date": [t for t in triples if _is_date(t[2])],
        "label": [t for t in triples if t[1] == RDFS.label],
        "text": [t for t in triples if t[1] == RDFS.label],
        "drop": [t for t in triples if isinstance(t[2], Literal)],
    }.get(kind, triples)
    if not pick:
        return g
    s, p, o = rng.choice(pick)
    if kind == "number":
        g.remove((s, p, o))
        g.add((s, p, _lit(rng.choice(NUMBERS), rng.choice(NUMERIC_TYPES))))
    elif kind == "bool":
        g.remove((s, p, o))
        g.add((s, p, _lit(rng.choice(BOOLEANS), rng.choice([XSD.boolean, XSD.boolean, XSD.string]))))
    elif kind == "date":
        g.remove((s, p, o))
        g.add((s, p, _lit(rng.choice(DATES), rng.choice(DATE_TYPES))))
    elif kind in ("bnode", "iri"):
        node = s if isinstance(s, URIRef) else o
        if not isinstance(node, URIRef) or not str(node).startswith("https://w3id.org/kooperationsgraph/example/"):
            return g
        new = BNode(f"fz{rng.randrange(10**9)}") if kind == "bnode" else URIRef(rng.choice(ODD_IRIS))
        for s2, p2, o2 in list(g):
            if node in (s2, o2):
                g.remove((s2, p2, o2))
                g.add((new if s2 == node else s2, p2, new if o2 == node else o2))
    elif kind == "label":
        g.remove((s, p, o))
    elif kind == "text":
        g.remove((s, p, o))
        g.add((s, p, Literal(rng.choice(ODD_TEXT) + " (fiktiv)", lang=rng.choice(["de", "en"]))))
    elif kind == "drop":
        g.remove((s, p, o))
    return g


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def ntriples(g: Graph) -> str:
    """N-Triples with literals exactly as generated (no normalisation)."""

    def term(t: object) -> str:
        if isinstance(t, URIRef):
            return f"<{t}>"
        if isinstance(t, BNode):
            return f"_:{t}"
        assert isinstance(t, Literal)
        if t.language:
            return f'"{_escape(str(t))}"@{t.language}'
        if t.datatype is not None and t.datatype != XSD.string:
            return f'"{_escape(str(t))}"^^<{t.datatype}>'
        return f'"{_escape(str(t))}"'

    return "".join(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in sorted(g, key=lambda t: tuple(map(str, t))))


def mutants(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` mutants as (name, N-Triples text), deterministic for the seed."""
    rng = random.Random(seed)
    sources = sorted(EXAMPLES.glob("*-*.ttl"))
    out = []
    for i in range(n):
        src = rng.choice(sources)
        g = Graph().parse(src)
        for _ in range(rng.randint(1, 3)):
            mutate(g, rng)
        out.append((f"fuzz-{seed}-{i:03d}-{src.stem}", ntriples(g)))
    return out


if __name__ == "__main__":
    count, seed, outdir = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    outdir.mkdir(parents=True, exist_ok=True)
    for name, text in mutants(count, seed):
        (outdir / f"{name}.nt").write_text(text, encoding="utf-8")
