"""Seeded synthetic cooperation landscape for benchmarks, shaped like the real data (actors with seat, sector
and market; cooperations with membership nodes; agreements of every kind the rules look at) in its own
namespace ``https://w3id.org/kooperationsgraph/bench/`` — never loaded with the real data.

Every agreement carries one rule scenario; a known share of them violates that rule (default 10 %). The
expected number of findings per rule is printed as JSON to stderr (or written with ``--expect FILE``).

    python bench/generate.py --triples 100000 --seed 1 -o var/bench/100k.ttl

With ``--supply`` the landscape also gets population figures and supply networks for three goods (electricity
and drinking water per Gemeinde, hospital care per Kreis) with a planted set of single points of failure: every
Gemeinde (Kreis) has two suppliers, each fed by two producers, except the planted clusters that hang on one hub
(some of them on one sole producer too). The planted nodes are exactly the single points of failure; they are
written with ``--expect`` under the key ``"spof"`` (good → sorted IRIs).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

PREFIXES = """@prefix kg: <https://w3id.org/kooperationsgraph/ontology#> .
@prefix b: <https://w3id.org/kooperationsgraph/bench/> .
@prefix norm: <https://w3id.org/kooperationsgraph/id/norm/> .
@prefix sektor: <https://w3id.org/kooperationsgraph/id/sektor/> .
@prefix ziel: <https://w3id.org/kooperationsgraph/id/ziel/> .
@prefix rolle: <https://w3id.org/kooperationsgraph/id/rolle/> .
@prefix dpv: <https://w3id.org/dpv#> .
@prefix eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix gut: <https://w3id.org/kooperationsgraph/id/gut/> .
"""

BENCH = "https://w3id.org/kooperationsgraph/bench/"
#: Goods of the synthetic supply networks and the level they are supplied at.
SUPPLY_GOODS = {"gut:strom": "gemeinde", "gut:trinkwasser": "gemeinde", "gut:krankenhausversorgung": "kreis"}

PUBLIC = ["kg:Kommunalverwaltung", "kg:Kreisverwaltung", "kg:Landesbehoerde"]
PRIVATE = [
    "kg:Logistikunternehmen",
    "kg:Handelsunternehmen",
    "kg:Pharmaunternehmen",
    "kg:ITUnternehmen",
    "kg:Energieunternehmen",
]
SECTORS = [
    "sektor:energie",
    "sektor:gesundheit",
    "sektor:lebensmittel",
    "sektor:logistik",
    "sektor:it",
    "sektor:wasser",
    "sektor:verwaltung",
]


class Writer:
    """Accumulates Turtle statements and counts triples (one per predicate-object pair)."""

    def __init__(self) -> None:
        self.lines: list[str] = [PREFIXES]
        self.triples = 0

    def node(self, subject: str, pairs: list[tuple[str, str]]) -> None:
        self.triples += len(pairs)
        body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
        self.lines.append(f"{subject} {body} .\n")


def lit(text: str, lang: str = "de") -> str:
    return '"' + text.replace('"', "'") + f'"@{lang}'


def date(year: int, month: int = 3, day: int = 2) -> str:
    return f'"{year:04d}-{month:02d}-{day:02d}"^^xsd:date'


class Landscape:
    def __init__(self, seed: int, share: float):
        self.rnd = random.Random(seed)
        self.share = share
        self.w = Writer()
        self.expected: Counter[str] = Counter()
        self.public: list[str] = []
        self.private: list[str] = []
        self.units: list[str] = []
        self.kreise: list[str] = []
        self.kreis_units: dict[str, list[str]] = {}
        self.planted: dict[str, list[str]] = {}
        self.n = 0

    def new(self, kind: str) -> str:
        self.n += 1
        return f"b:{kind}-{self.n}"

    def violates(self) -> bool:
        return self.rnd.random() < self.share

    # -- administrative units and actors -------------------------------------------------------------
    def units_for(self, laender: int, kreise: int, gemeinden: int) -> None:
        for li in range(1, laender + 1):
            land = f"b:land-{li:02d}"
            self.w.node(
                land,
                [("a", "kg:Bundesland"), ("rdfs:label", lit(f"Bench-Land {li}")), ("kg:ars", f'"{li:02d}"')],
            )
            for ki in range(1, kreise + 1):
                kreis_ars = f"{li:02d}{ki:03d}"
                kreis = f"b:kreis-{kreis_ars}"
                self.w.node(
                    kreis,
                    [
                        ("a", "kg:Kreis"),
                        ("rdfs:label", lit(f"Bench-Kreis {kreis_ars}")),
                        ("kg:ars", f'"{kreis_ars}"'),
                        ("kg:teilVon", land),
                    ],
                )
                self.kreise.append(kreis)
                self.kreis_units[kreis] = []
                for gi in range(1, gemeinden + 1):
                    ars = f"{kreis_ars}{gi:07d}"
                    g = f"b:gemeinde-{ars}"
                    self.w.node(
                        g,
                        [
                            ("a", "kg:Gemeinde"),
                            ("rdfs:label", lit(f"Bench-Gemeinde {ars}")),
                            ("kg:ars", f'"{ars}"'),
                            ("kg:teilVon", kreis),
                        ],
                    )
                    self.units.append(g)
                    self.kreis_units[kreis].append(g)

    def actor(self, public: bool) -> str:
        a = self.new("akteur")
        cls = self.rnd.choice(PUBLIC) if public else self.rnd.choice(PRIVATE) + " , kg:PrivatesUnternehmen"
        pairs = [
            ("a", cls),
            ("rdfs:label", lit(f"Bench-Akteur {self.n}")),
            ("rdfs:label", lit(f"Bench actor {self.n}", "en")),
            ("kg:sektor", self.rnd.choice(SECTORS)),
            ("kg:sitz", self.rnd.choice(self.units)),
            ("dcterms:source", "<https://example.org/bench>"),
        ]
        pairs.append(("kg:hatDatenschutzbeauftragten", "true"))
        if not public:  # consecutive companies share a market, so competitors are derived in pairs
            pairs.append(("kg:taetigAufMarkt", f"b:markt-{len(self.private) // 2}"))
        if self.violates():
            pairs = [p for p in pairs if p[0] != "kg:sitz"]
            self.expected["ST-3"] += 1
        self.w.node(a, pairs)
        (self.public if public else self.private).append(a)
        return a

    def cooperation(self) -> None:
        k = self.new("kooperation")
        members = self.rnd.sample(self.public + self.private, 3)
        pairs = [
            ("a", "kg:Netzwerk"),
            ("rdfs:label", lit(f"Bench-Kooperation {self.n}")),
            ("kg:gruendungsjahr", '"2020"^^xsd:gYear'),
            ("kg:ziel", "ziel:versorgungssicherheit"),
            ("kg:sektor", self.rnd.choice(SECTORS)),
            ("dcterms:source", "<https://example.org/bench>"),
        ]
        if self.violates():
            pairs = [p for p in pairs if p[0] != "kg:ziel"]
            self.expected["ST-5"] += 1
        self.w.node(k, pairs)
        for i, m in enumerate(members):
            self.w.node(
                f"{k}-m{i}",
                [
                    ("a", "kg:Mitgliedschaft"),
                    ("kg:mitglied", m),
                    ("kg:kooperation", k),
                    ("kg:rolle", "rolle:mitglied"),
                    ("dcterms:source", "<https://example.org/bench>"),
                ],
            )

    # -- agreements: one scenario each ------------------------------------------------------------------
    def agreement(self, cls: str, parties: list[str], extra: list[tuple[str, str]], year: int = 2026) -> str:
        v = self.new("vereinbarung")
        self.w.node(
            v,
            [
                ("a", cls),
                ("rdfs:label", lit(f"Bench-Vereinbarung {self.n}")),
                *[("kg:partei", p) for p in parties],
                ("kg:abschlussdatum", date(year)),
                *extra,
            ],
        )
        return v

    def ds(self, rule: str) -> None:
        pub, priv = self.rnd.choice(self.public), self.rnd.choice(self.private)
        bad = self.violates()
        base = [("kg:personenbezogeneDaten", "true")]
        basis = ("dpv:hasLegalBasis", "eu-gdpr:A6-1-e")
        scen: dict[str, list[tuple[str, str]]] = {
            "DS-1": base + ([] if bad else [basis]),
            "DS-2": base
            + [
                ("kg:verantwortlicher", pub),
                ("dpv:hasLegalBasis", "eu-gdpr:A6-1-f" if bad else "eu-gdpr:A6-1-e"),
            ],
            "DS-3": base
            + [basis, ("kg:besondereKategorien", "true"), ("kg:grosserUmfang", "false")]
            + ([] if bad else [("dpv:hasLegalBasis", "eu-gdpr:A9-2-i")]),
            "DS-6": base
            + [
                basis,
                ("dpv:hasLegalBasis", "eu-gdpr:A9-2-h"),
                ("kg:besondereKategorien", "true"),
                ("kg:grosserUmfang", "true"),
                ("kg:dsfaDurchgefuehrt", "false" if bad else "true"),
            ],
            "DS-7": base
            + [basis, ("kg:drittlandEmpfaenger", '"US"')]
            + ([] if bad else [("kg:uebermittlungsgrundlage", "eu-gdpr:A46-2-c")]),
        }
        self.agreement("kg:Kooperationsvertrag", [pub, priv], scen[rule])
        self.expected[rule] += bad

    def ds4(self) -> None:
        ctrl, proc = self.rnd.choice(self.public), self.actor(public=False)  # a fresh processor per scenario
        self.agreement(
            "kg:Kooperationsvertrag",
            [ctrl, proc],
            [
                ("kg:personenbezogeneDaten", "true"),
                ("dpv:hasLegalBasis", "eu-gdpr:A6-1-b"),
                ("kg:verantwortlicher", ctrl),
                ("kg:auftragsverarbeiter", proc),
            ],
        )
        if self.violates():
            self.expected["DS-4"] += 1
        else:
            self.agreement("kg:Auftragsverarbeitungsvertrag", [ctrl, proc], [])

    def vg(self, rule: str) -> None:
        ag, an = self.rnd.choice(self.public), self.rnd.choice(self.private)
        bad = self.violates()
        common = [
            ("kg:auftraggeber", ag),
            ("kg:auftragnehmer", an),
            ("kg:auftragsart", "kg:LieferDienstleistungsauftrag"),
        ]
        scen: dict[str, list[tuple[str, str]]] = {
            "VG-1": [("kg:geschaetzterAuftragswert", "900000.0")]
            + ([] if bad else [("kg:vergabeverfahren", "kg:OffenesVerfahren")]),
            "VG-2": [
                ("kg:geschaetzterAuftragswert", "900000.0"),
                ("kg:vergabeverfahren", "kg:VerhandlungsverfahrenOhneTeilnahmewettbewerb"),
            ]
            + ([] if bad else [("kg:verhandlungsgrund", "norm:vgv-14-abs-4-nr-2")]),
            "VG-6": [("kg:geschaetzterAuftragswert", "50000.0")]
            + ([] if bad else [("kg:nationalesVergaberegime", "norm:uvgo")]),
        }
        v = self.new("vereinbarung")
        self.w.node(
            v,
            [
                ("a", "kg:OeffentlicherAuftrag"),
                ("rdfs:label", lit(f"Bench-Auftrag {self.n}")),
                ("kg:abschlussdatum", date(2026)),
                *common,
                *scen[rule],
            ],
        )
        self.expected[rule] += bad

    def kr(self, rule: str) -> None:
        parties = self.rnd.sample(self.private, 2)
        bad = self.violates()
        scen: dict[str, list[tuple[str, str]]] = {
            "KR-1": [
                ("kg:zwischenWettbewerbern", "true"),
                ("kg:kartellrechtlicheSelbstbewertung", "false" if bad else "true"),
            ],
            "KR-4": [
                ("kg:kooperationsgegenstand", "kg:Spezialisierung"),
                ("kg:zwischenWettbewerbern", "false"),
                ("kg:kombinierterMarktanteil", "24.0" if bad else "12.0"),
            ],
            "KR-6": [
                ("kg:zwischenWettbewerbern", "true"),
                ("kg:kartellrechtlicheSelbstbewertung", "true"),
                ("kg:entscheidungNach32cBeantragt", "true"),
                ("kg:austauschSensiblerInformationen", "true" if bad else "false"),
            ],
        }
        self.agreement("kg:Kooperationsvertrag", parties, scen[rule])
        self.expected[rule] += bad

    # -- supply networks with planted single points of failure ------------------------------------------
    def population(self) -> None:
        for g in self.units:
            ars = g.rsplit("-", 1)[1]
            self.w.node(f"b:stat-{ars}", [("a", "kg:Bevoelkerungsstand"), ("kg:gebiet", g),
                                          ("kg:einwohner", str(self.rnd.randint(500, 60_000))),
                                          ("kg:stichtag", date(2021, 12, 31)),
                                          ("dcterms:source", "<https://example.org/bench>")])

    def supplier(self, good: str, role: str) -> str:
        a = self.new(f"{good.split(':')[1]}-{role}")
        self.w.node(a, [("a", "kg:Energieunternehmen , kg:PrivatesUnternehmen"),
                        ("rdfs:label", lit(f"Bench-Versorger {self.n}")), ("kg:sektor", "sektor:energie"),
                        ("kg:sitz", self.rnd.choice(self.units)),
                        ("dcterms:source", "<https://example.org/bench>")])
        return a

    def relation(self, supplier: str, good: str, target: str, area: bool) -> None:
        self.w.node(self.new("vb"), [("a", "kg:Versorgungsbeziehung"), ("kg:versorger", supplier),
                                     ("kg:liefertGut", good),
                                     ("kg:versorgtGebiet" if area else "kg:versorgtAkteur", target),
                                     ("dcterms:source", "<https://example.org/bench>")])

    def supply_network(self, good: str, level: str) -> None:
        """Two suppliers per area, two producers per supplier; planted clusters hang on one hub."""
        areas = list(self.units if level == "gemeinde" else self.kreise)
        self.rnd.shuffle(areas)
        n_planted = min(len(areas) // 2, max(9, len(areas) // 50))
        planted_areas, normal = areas[:n_planted], areas[n_planted:]
        producers = [self.supplier(good, "erzeuger") for _ in range(max(4, len(areas) // 40))]
        distributors = [self.supplier(good, "verteiler") for _ in range(max(4, len(normal) // 2))]
        for d in distributors:
            for p in self.rnd.sample(producers, 2):
                self.relation(p, good, d, area=False)
        for a in normal:
            for d in self.rnd.sample(distributors, 2):
                self.relation(d, good, a, area=True)
        spofs: list[str] = []
        for i in range(0, len(planted_areas), 3):  # clusters of up to three areas on one hub
            hub = self.supplier(good, "knoten")
            spofs.append(hub)
            if (i // 3) % 2:  # every second hub has one sole producer, itself a single point of failure
                sole = self.supplier(good, "alleinerzeuger")
                spofs.append(sole)
                self.relation(sole, good, hub, area=False)
            else:
                for p in self.rnd.sample(producers, 2):
                    self.relation(p, good, hub, area=False)
            for a in planted_areas[i:i + 3]:
                self.relation(hub, good, a, area=True)
        self.planted[good.replace("gut:", "https://w3id.org/kooperationsgraph/id/gut/")] = sorted(
            s.replace("b:", BENCH, 1) for s in spofs)

    def supply(self) -> None:
        self.population()
        for good, level in SUPPLY_GOODS.items():
            self.supply_network(good, level)

    def scenarios(self) -> list[Callable[[], None]]:
        return (
            [lambda r=r: self.ds(r) for r in ("DS-1", "DS-2", "DS-3", "DS-6", "DS-7")]
            + [self.ds4]
            + [lambda r=r: self.vg(r) for r in ("VG-1", "VG-2", "VG-6")]
            + [lambda r=r: self.kr(r) for r in ("KR-1", "KR-4", "KR-6")]
        )


def generate(triples: int, seed: int = 1, share: float = 0.1) -> tuple[str, dict[str, int]]:
    land = landscape(triples, seed, share)
    expected = dict(sorted(land.expected.items()))
    return "".join(land.w.lines), expected


def landscape(triples: int, seed: int = 1, share: float = 0.1, supply: bool = False) -> Landscape:
    """The generated landscape (its Turtle in ``.w.lines``, planted single points of failure in ``.planted``)."""
    land = Landscape(seed, share)
    scale = max(1, triples // 10_000)
    land.units_for(4, 2 * scale, 15 if supply else 5)
    if supply:
        land.supply()
    for i in range(20 * scale):
        land.actor(public=i % 3 == 0)
    scen = land.scenarios()
    while land.w.triples < triples:
        land.rnd.choice(scen)()
        if land.rnd.random() < 0.05:
            land.cooperation()
        if land.rnd.random() < 0.02:
            land.actor(public=land.rnd.random() < 0.3)
    return land


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--triples", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--share", type=float, default=0.1, help="share of scenario agreements that violate their rule")
    p.add_argument("-o", "--output", type=Path, help="Turtle file to write (default: stdout)")
    p.add_argument("--expect", type=Path, help="write the expected findings per rule as JSON")
    p.add_argument("--supply", action="store_true", help="add supply networks with planted single points of failure")
    args = p.parse_args(argv)
    land = landscape(args.triples, args.seed, args.share, args.supply)
    text = "".join(land.w.lines)
    expected: dict[str, object] = dict(sorted(land.expected.items()))
    if args.supply:
        expected["spof"] = land.planted
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if args.expect:
        args.expect.write_text(json.dumps(expected, indent=1))
    print(json.dumps(expected), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
