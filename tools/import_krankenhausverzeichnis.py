"""Convert the Destatis hospital directory (Krankenhausverzeichnis, 31.12.2021) into Turtle.

Reads ``destatis_krankenhausverzeichnis_2021_standorte.csv`` (2,769 hospital sites, derived from sheet KHV_2021
of the Destatis xlsx; see SOURCES.md) and ``vg5000_2021_gemeinden.csv`` from the shared data folder and writes
``data/versorgung/krankenhaeuser.ttl``:

* ``kh:khv2021-<AGS>-<n>`` a kg:Krankenhausstandort: rdfs:label (the hospital's name, plus the site name where
  it differs), kg:sitz (Gemeinde), kg:inKreis (Kreis on 31.12.2021), kg:sektor sektor:krankenhaus,
  kg:betreiber, kg:traegerart, kg:notfallstufe, kg:betten (where the source has beds), kg:einrichtungstyp,
  kg:plz, kg:stichtag 2021-12-31, dcterms:source quelle:destatis-krankenhausverzeichnis-2021;
* ``betreiber:<slug>`` a kg:Klinikbetreiber, one per operator name, with its kind (the most frequent kind
  where the directory gives several).

Seat: the AGS of the row mapped to the graph's Gemeinde (BKG VG5000, 01.01.2021) by AGS; Eisenach's new key
16063105 → gemeinde:160560000000 (the graph keeps the 2021 key); for the three outdated keys in the source
(Helmstedt, Walsrode) the Gemeinde of the same Kreis with the name of the row's "ort", and for Wahlsburg
(06633027, merged into Wesertal on 01.01.2020) Wesertal; Hamburg and
Berlin rows (Bezirk codes in the source) sit in the city-state Gemeinde. A row that cannot be placed stops the
conversion. The Kreis (kg:inKreis) is the source's, so the 2 Eisenach sites lie in the Wartburgkreis (16063).

Usage: .venv/bin/python tools/import_krankenhausverzeichnis.py [--shared PATH] [--out data/versorgung/krankenhaeuser.ttl]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from _common import REPO, find_shared, new_graph
from _common import slug as _slug
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

BASE = "https://w3id.org/kooperationsgraph/"
KG = Namespace(BASE + "ontology#")
KH = Namespace(BASE + "id/krankenhaus/")
BETREIBER = Namespace(BASE + "id/betreiber/")
KREIS = Namespace(BASE + "id/kreis/")
GEMEINDE = Namespace(BASE + "id/gemeinde/")
SEKTOR = Namespace(BASE + "id/sektor/")
TRAEGER = Namespace(BASE + "id/traegerart/")
NFS = Namespace(BASE + "id/notfallstufe/")
QUELLE = Namespace(BASE + "id/quelle/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")

PREFIXES: dict[str, Namespace] = {
    "kg": KG, "kh": KH, "betreiber": BETREIBER, "kreis": KREIS, "gemeinde": GEMEINDE, "sektor": SEKTOR,
    "traegerart": TRAEGER, "nfs": NFS, "quelle": QUELLE, "dcterms": DCTERMS, "prov": PROV,
    "rdfs": Namespace(str(RDFS)), "xsd": Namespace(str(XSD)),
}

QUELLE_KHV = QUELLE["destatis-krankenhausverzeichnis-2021"]
DL_DE_BY_2_0 = URIRef("https://www.govdata.de/dl-de/by-2-0")
ATTRIBUTION = ("Statistische Ämter des Bundes und der Länder, Krankenhausverzeichnis, Stand 31.12.2021; "
               "Datenlizenz Deutschland – Namensnennung – Version 2.0 (Daten verändert)")
KHV_PAGE = URIRef("https://www.statistikportal.de/de/veroeffentlichungen/krankenhausverzeichnis")
KHV_COPY = URIRef("https://github.com/Timo123456789/hospital_transparency_board/blob/"
                  "7f8770d6a2e9135bfd76ead4e75b323f7ef2c93f/data/krankenhausverzeichnis-3500100217005.xlsx")
STICHTAG = Literal("2021-12-31", datatype=XSD.date)
EXPECTED_SITES = 2769

TRAEGERART = {"1": TRAEGER.oeffentlich, "2": TRAEGER.freigemeinnuetzig, "3": TRAEGER.privat}
#: Destatis AGS of 31.12.2021 → Gemeinde ARS of the graph, for the new code of 2021.
NEW_CODES = {"16063105": "160560000000"}
CITY_STATES = {"02000000": "020000000000", "11000000": "110000000000"}
#: Outdated key in the source whose place name no longer exists: Wahlsburg (06633027) formed the new Gemeinde
#: Wesertal with Oberweser (VG5000 legal-effect date 01.01.2020); the site's PLZ 37194 is Wahlsburg-Lippoldsberg.
OUTDATED = {"06633027": "066330030030"}




def slug(text: str) -> str:
    return _slug(text, 80, "unbenannt")


def norm_name(text: str) -> str:
    return re.sub(r"\s+", "", text.split(",")[0]).casefold()


class Placer:
    """AGS (and, for outdated keys, Kreis + place name) → the graph's Gemeinde ARS."""

    def __init__(self, vg_rows: list[dict[str, str]]):
        gem = [r for r in vg_rows if r["bez"].strip() != "Gemeindefreies Gebiet"]
        self.by_ags = {r["ags"].strip(): r["ars"].strip() for r in gem}
        self.by_kreis_name: dict[tuple[str, str], list[str]] = defaultdict(list)
        for r in gem:
            self.by_kreis_name[(r["kreis_ars"].strip(), norm_name(r["name"]))].append(r["ars"].strip())

    def place(self, row: dict[str, str]) -> str | None:
        ags = row["ags"]
        if ags in CITY_STATES:
            return CITY_STATES[ags]
        if ags in NEW_CODES:
            return NEW_CODES[ags]
        if ags in OUTDATED:
            return OUTDATED[ags]
        if ags in self.by_ags:
            return self.by_ags[ags]
        found = self.by_kreis_name.get((row["kreis_ars"], norm_name(row["ort"])), [])
        return found[0] if len(found) == 1 else None



def add_provenance(g: Graph) -> None:
    q = QUELLE_KHV
    g.add((q, RDF.type, KG.Quelle))
    g.add((q, RDF.type, PROV.Entity))
    g.add((q, RDFS.label, Literal("Krankenhausverzeichnis der Statistischen Ämter, Stand 31.12.2021", lang="de")))
    g.add((q, RDFS.label, Literal("Hospital directory of the statistical offices, as of 31 Dec 2021", lang="en")))
    g.add((q, DCTERMS.title, Literal("Verzeichnis der Krankenhäuser und Vorsorge- oder Rehabilitationseinrichtungen "
                                     "in Deutschland, Stand 31.12.2021 (Artikelnummer 3500100217005)", lang="de")))
    g.add((q, DCTERMS.publisher, Literal("Statistisches Bundesamt (Destatis) im Auftrag der Statistischen Ämter des "
                                         "Bundes und der Länder", lang="de")))
    g.add((q, DCTERMS.license, DL_DE_BY_2_0))
    g.add((q, DCTERMS.rightsHolder, Literal(ATTRIBUTION)))
    g.add((q, DCTERMS.source, KHV_PAGE))
    g.add((q, DCTERMS.source, KHV_COPY))
    g.add((q, KG.stichtag, STICHTAG))
    g.add((q, DCTERMS.description, Literal(
        "Blatt KHV_2021: 2.769 Krankenhausstandorte mit Anschrift, Gemeinde- und Kreisschlüssel, Träger (Name, Art), "
        "Einrichtungstyp, Notfallstufe (G-BA) und aufgestellten Betten (484.534 insgesamt). Telefon, E-Mail und die "
        "Betten je Fachabteilung sind nicht übernommen (Daten verändert).", lang="de")))
    g.add((q, DCTERMS.description, Literal(
        "Sheet KHV_2021: 2,769 hospital sites with address, municipality and district key, operator (name, kind), "
        "type, emergency-care level (G-BA) and beds (484,534 in total). Phone, e-mail and beds per department were "
        "not taken over (data modified).", lang="en")))


def build(rows: list[dict[str, str]], placer: Placer) -> tuple[Graph, list[str]]:
    g = new_graph(PREFIXES)
    add_provenance(g)
    problems: list[str] = []
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    per_ags: Counter[str] = Counter()
    for row in rows:
        ars = placer.place(row)
        if ars is None:
            problems.append(f"{row['ags']} {row['ort']}: {row['name']}")
            continue
        per_ags[row["ags"]] += 1
        site = KH[f"khv2021-{row['ags']}-{per_ags[row['ags']]:02d}"]
        name, standort = row["name"].strip(), row["standort_name"].strip()
        label = name if not standort or standort == name or standort in name else f"{name} – {standort}"
        operator = BETREIBER[slug(row["traeger_name"])]
        kinds[str(operator)][row["traeger_code"]] += 1
        g.add((operator, RDFS.label, Literal(row["traeger_name"].strip(), lang="de")))
        g.add((site, RDF.type, KG.Krankenhausstandort))
        g.add((site, RDFS.label, Literal(label, lang="de")))
        g.add((site, RDFS.label, Literal(label, lang="en")))
        g.add((site, KG.sitz, GEMEINDE[ars]))
        g.add((site, KG.inKreis, KREIS[row["kreis_ars"]]))
        g.add((site, KG.sektor, SEKTOR.krankenhaus))
        g.add((site, KG.betreiber, operator))
        g.add((site, KG.traegerart, TRAEGERART[row["traeger_code"]]))
        g.add((site, KG.notfallstufe, NFS[row["notfallstufe_code"]]))
        if row["betten_insgesamt"].strip():
            g.add((site, KG.betten, Literal(int(row["betten_insgesamt"]), datatype=XSD.integer)))
        g.add((site, KG.einrichtungstyp, Literal(row["einrichtungstyp"].strip())))
        if row["plz"].strip():
            g.add((site, KG.plz, Literal(row["plz"].strip().zfill(5))))
        g.add((site, KG.stichtag, STICHTAG))
        g.add((site, DCTERMS.source, QUELLE_KHV))
        if row["ags_note"].strip() and row["ags"] not in CITY_STATES:
            g.add((site, KG.hinweis, Literal(f"Schlüssel in der Quelle: {row['ags']} ({row['ags_note'].strip()})",
                                             lang="de")))
    for operator, counter in kinds.items():
        o = URIRef(operator)
        g.add((o, RDF.type, KG.Klinikbetreiber))
        labels = [str(x) for x in g.objects(o, RDFS.label)]
        g.add((o, RDFS.label, Literal(labels[0], lang="en")))
        g.add((o, KG.traegerart, TRAEGERART[counter.most_common(1)[0][0]]))
        g.add((o, DCTERMS.source, QUELLE_KHV))
        if len(counter) > 1:
            g.add((o, KG.hinweis, Literal("Das Verzeichnis nennt für die Standorte dieses Trägers verschiedene "
                                          "Trägerarten; hier die häufigste.", lang="de")))
    return g, problems


HEADER = """# Krankenhausstandorte am 31.12.2021 (Krankenhausverzeichnis der Statistischen Ämter)
# GENERATED by tools/import_krankenhausverzeichnis.py — do not edit by hand; re-run the converter instead.
# Source: {page} (Destatis article 3500100217005, sheet KHV_2021)
# Licence: Datenlizenz Deutschland – Namensnennung – 2.0 (https://www.govdata.de/dl-de/by-2-0)
# Attribution: {attribution}

"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shared", help="folder with the source CSV files (default ../shared/data)")
    p.add_argument("--out", type=Path, default=REPO / "data" / "versorgung" / "krankenhaeuser.ttl")
    args = p.parse_args(argv)
    shared = find_shared(args.shared)
    with (shared / "destatis_krankenhausverzeichnis_2021_standorte.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with (shared / "vg5000_2021_gemeinden.csv").open(encoding="utf-8", newline="") as fh:
        placer = Placer(list(csv.DictReader(fh)))
    if len(rows) != EXPECTED_SITES:
        raise SystemExit(f"expected {EXPECTED_SITES} sites, found {len(rows)}")
    g, problems = build(rows, placer)
    if problems:
        raise SystemExit("sites without a Gemeinde:\n  " + "\n  ".join(problems))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(HEADER.format(page=KHV_PAGE, attribution=ATTRIBUTION) + g.serialize(format="turtle"),
                        encoding="utf-8")
    print(f"{len(rows)} sites, {len(set(g.subjects(RDF.type, KG.Klinikbetreiber)))} operators", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
