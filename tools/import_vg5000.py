"""Convert the BKG VG5000 extract (state 1 Jan 2021) into Turtle: Bund, Länder, Kreise, Gemeinden.

Reads ``vg5000_2021_laender.csv``, ``vg5000_2021_kreise.csv``, ``vg5000_2021_gemeinden.csv`` and
``laender_seed.csv`` from the shared data folder and writes four files into ``--out``:

* ``staat.ttl``     staat:de
* ``laender.ttl``   land:01 … land:16
* ``kreise.ttl``    kreis:<5-digit ARS> (400 current Kreise plus Eisenach, merged on 1 Jul 2021)
* ``gemeinden.ttl`` gemeinde:<12-digit ARS> (municipalities only; "Gemeindefreies Gebiet" rows are skipped)

The one territorial change after the data's reference date is applied: the kreisfreie Stadt Eisenach
(Kreis 16056) was merged into the Wartburgkreis (16063) on 1 July 2021. kreis:16056 stays in the data with
kg:aufgeloest and kg:aufgegangenIn. The Gemeinde Eisenach keeps its 2021 key (the new key is not in the
shipped data) and a kg:hinweis saying so.

Every file carries the provenance node quelle:bkg-vg5000-2021 once; every unit cites it.
Output is deterministic (rdflib's Turtle serializer sorts subjects, predicates and objects).

Usage: .venv/bin/python tools/import_vg5000.py [--shared PATH] [--out data/verwaltung]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from _common import REPO, find_shared, new_graph
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

BASE = "https://w3id.org/kooperationsgraph/"
KG = Namespace(BASE + "ontology#")
STAAT = Namespace(BASE + "id/staat/")
LAND = Namespace(BASE + "id/land/")
KREIS = Namespace(BASE + "id/kreis/")
GEMEINDE = Namespace(BASE + "id/gemeinde/")
EBENE = Namespace(BASE + "id/ebene/")
QUELLE = Namespace(BASE + "id/quelle/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")

PREFIXES: dict[str, Namespace] = {
    "kg": KG, "staat": STAAT, "land": LAND, "kreis": KREIS, "gemeinde": GEMEINDE, "ebene": EBENE,
    "quelle": QUELLE, "dcterms": DCTERMS, "prov": PROV, "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
}

QUELLE_BKG = QUELLE["bkg-vg5000-2021"]
BKG_PRODUCT_PAGE = URIRef(
    "https://gdz.bkg.bund.de/index.php/default/verwaltungsgebiete-1-5-000-000-stand-01-01-vg5000-01-01.html")
BKG_COPY = URIRef(
    "https://github.com/Praesklepios/geoGermany/tree/7af434f1917117f1101e6f2237b3c50422cc46bc/"
    "geogermany/bkgdata/vg5000_01-01.gk3.shape.ebenen")
DL_DE_BY_2_0 = URIRef("https://www.govdata.de/dl-de/by-2-0")
ATTRIBUTION = "© GeoBasis-DE / BKG 2021 (Daten verändert)"

#: Kreis designations (column ``bez``) → specific class.
KREIS_KLASSE: dict[str, URIRef] = {
    "Landkreis": KG.Landkreis,
    "Kreis": KG.Landkreis,
    "Kreisfreie Stadt": KG.KreisfreieStadt,
    "Stadtkreis": KG.KreisfreieStadt,
}

# --- the one change after 2021-01-01: Eisenach -------------------------------------------------------
EISENACH_KREIS = "16056"
WARTBURGKREIS = "16063"
EISENACH_GEMEINDE = "160560000000"
EISENACH_AUFGELOEST = "2021-07-01"
#: Sources for the merger (legally effective 1 Jul 2021; decided by the Thüringer Landtag in 2019).
EISENACH_QUELLEN = (
    URIRef("https://www.tlz.de/regionen/eisenach/eisenach-kehrt-in-den-wartburgkreis-zurueck-id232675017.html"),
    URIRef("https://www.hoerselberg-hainich.de/index.php/aktuelles/aktuelles-2?start=21"),
)


@dataclass(frozen=True)
class Row:
    ars: str
    ags: str
    name: str
    bez: str
    nuts: str
    sitz_ars: str



def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [Row(ars=r["ars"].strip(), ags=r["ags"].strip(), name=r["name"].strip(), bez=r["bez"].strip(),
                    nuts=r["nuts"].strip(), sitz_ars=r["sitz_ars"].strip())
                for r in csv.DictReader(fh)]


def read_iso(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["ars"].strip(): r["iso3166_2"].strip() for r in csv.DictReader(fh)}


def dedupe(rows: Iterable[Row], what: str) -> list[Row]:
    """One row per ARS (first in ARS order wins; conflicting duplicates are reported)."""
    seen: dict[str, Row] = {}
    for row in sorted(rows, key=lambda r: r.ars):
        if row.ars in seen:
            if seen[row.ars] != row:
                print(f"warning: {what} {row.ars} appears twice with different data; keeping the first",
                      file=sys.stderr)
            continue
        seen[row.ars] = row
    return list(seen.values())



def add_provenance(g: Graph) -> None:
    q = QUELLE_BKG
    g.add((q, RDF.type, KG.Quelle))
    g.add((q, RDF.type, PROV.Entity))
    g.add((q, RDFS.label, Literal("BKG Verwaltungsgebiete 1:5 000 000 (VG5000), Stand 01.01.2021",
                                  lang="de")))
    g.add((q, RDFS.label, Literal("BKG administrative areas 1:5,000,000 (VG5000), as of 1 January 2021",
                                  lang="en")))
    g.add((q, DCTERMS.title, Literal("Verwaltungsgebiete 1:5 000 000, Stand 01.01. (VG5000 01.01.), "
                                     "Ausgabe 2021", lang="de")))
    g.add((q, DCTERMS.publisher, Literal("Bundesamt für Kartographie und Geodäsie (BKG)", lang="de")))
    g.add((q, DCTERMS.license, DL_DE_BY_2_0))
    g.add((q, DCTERMS.rightsHolder, Literal(ATTRIBUTION)))
    g.add((q, DCTERMS.source, BKG_PRODUCT_PAGE))
    g.add((q, DCTERMS.source, BKG_COPY))
    g.add((q, DCTERMS.description, Literal(
        "Gebietsstand 01.01.2021. Attributtabellen (VG5000_LAN, VG5000_KRS, VG5000_GEM) aus der Kopie im "
        "GitHub-Repository Praesklepios/geoGermany (Commit 7af434f) nach CSV umgewandelt und mit "
        "tools/import_vg5000.py konvertiert. Daten verändert: gemeindefreie Gebiete ausgelassen; die "
        "Eingliederung der kreisfreien Stadt Eisenach in den Wartburgkreis zum 01.07.2021 nachgetragen.",
        lang="de")))
    g.add((q, DCTERMS.description, Literal(
        "Territorial status 1 January 2021. Attribute tables (VG5000_LAN, VG5000_KRS, VG5000_GEM) taken "
        "from the copy in the GitHub repository Praesklepios/geoGermany (commit 7af434f), converted to CSV "
        "and then by tools/import_vg5000.py. Data modified: unincorporated areas left out; the merger of the "
        "district-free city of Eisenach into the Wartburgkreis on 1 July 2021 added.", lang="en")))


def build_staat() -> Graph:
    g = new_graph(PREFIXES)
    add_provenance(g)
    de = STAAT.de
    g.add((de, RDF.type, KG.Staat))
    g.add((de, RDFS.label, Literal("Bundesrepublik Deutschland", lang="de")))
    g.add((de, RDFS.label, Literal("Federal Republic of Germany", lang="en")))
    g.add((de, KG.ebene, EBENE.bund))
    g.add((de, KG.nuts, Literal("DE")))
    g.add((de, DCTERMS.source, QUELLE_BKG))
    return g


def build_laender(laender: list[Row], iso: dict[str, str], gemeinde_ars: set[str]) -> Graph:
    g = new_graph(PREFIXES)
    add_provenance(g)
    for row in laender:
        if len(row.ars) != 2 or not row.ars.isdigit():
            raise ValueError(f"Land with malformed ARS: {row}")
        x = LAND[row.ars]
        g.add((x, RDF.type, KG.Bundesland))
        g.add((x, RDFS.label, Literal(row.name, lang="de")))
        g.add((x, RDFS.label, Literal(row.name, lang="en")))
        g.add((x, KG.ars, Literal(row.ars)))
        g.add((x, KG.nuts, Literal(row.nuts)))
        g.add((x, KG.bez, Literal(row.bez)))
        g.add((x, KG.teilVon, STAAT.de))
        g.add((x, KG.ebene, EBENE.land))
        if row.ars in iso and iso[row.ars]:
            g.add((x, KG.iso31662, Literal(iso[row.ars])))
        else:
            print(f"warning: no ISO 3166-2 code for Land {row.ars}", file=sys.stderr)
        if row.sitz_ars:
            if row.sitz_ars in gemeinde_ars:
                g.add((x, KG.hauptstadt, GEMEINDE[row.sitz_ars]))
            else:
                print(f"warning: seat {row.sitz_ars} of Land {row.ars} is not a Gemeinde", file=sys.stderr)
        g.add((x, DCTERMS.source, QUELLE_BKG))
    return g


def build_kreise(kreise: list[Row], laender_ars: set[str]) -> Graph:
    g = new_graph(PREFIXES)
    add_provenance(g)
    for row in kreise:
        if len(row.ars) != 5 or not row.ars.isdigit():
            raise ValueError(f"Kreis with malformed ARS: {row}")
        if row.ars[:2] not in laender_ars:
            raise ValueError(f"Kreis {row.ars} has no Land")
        x = KREIS[row.ars]
        g.add((x, RDF.type, KG.Kreis))
        g.add((x, RDFS.label, Literal(row.name, lang="de")))
        g.add((x, KG.ars, Literal(row.ars)))
        if row.nuts:
            g.add((x, KG.nuts, Literal(row.nuts)))
        g.add((x, KG.bez, Literal(row.bez)))
        g.add((x, KG.teilVon, LAND[row.ars[:2]]))
        g.add((x, KG.ebene, EBENE.kommune))
        g.add((x, DCTERMS.source, QUELLE_BKG))
        if row.ars == EISENACH_KREIS:
            # Dissolved: stays a kg:Kreis, without the specific (current) subclass.
            g.add((x, KG.aufgeloest, Literal(EISENACH_AUFGELOEST, datatype=XSD.date)))
            g.add((x, KG.aufgegangenIn, KREIS[WARTBURGKREIS]))
            for src in EISENACH_QUELLEN:
                g.add((x, DCTERMS.source, src))
            g.add((x, KG.hinweis, Literal(
                "Die bisher kreisfreie Stadt Eisenach wurde zum 01.07.2021 in den Wartburgkreis "
                "eingegliedert (vom Thüringer Landtag 2019 beschlossene Fusion). kg:bez gibt den Stand "
                "01.01.2021 wieder.",
                lang="de")))
            g.add((x, KG.hinweis, Literal(
                "The formerly district-free city of Eisenach was merged into the Wartburgkreis on "
                "1 July 2021 (merger passed by the Thuringian Landtag in 2019). kg:bez gives the state of "
                "1 January 2021.",
                lang="en")))
            continue
        klasse = KREIS_KLASSE.get(row.bez)
        if klasse is None:
            print(f"warning: unknown Kreis designation {row.bez!r} for {row.ars}", file=sys.stderr)
        else:
            g.add((x, RDF.type, klasse))
    return g


def build_gemeinden(gemeinden: list[Row], kreise_ars: set[str]) -> Graph:
    g = new_graph(PREFIXES)
    add_provenance(g)
    for row in gemeinden:
        if len(row.ars) != 12 or not row.ars.isdigit() or len(row.ags) != 8 or not row.ags.isdigit():
            raise ValueError(f"Gemeinde with malformed ARS/AGS: {row}")
        if row.ars[:5] not in kreise_ars:
            raise ValueError(f"Gemeinde {row.ars} has no Kreis")
        x = GEMEINDE[row.ars]
        g.add((x, RDF.type, KG.Gemeinde))
        if row.bez == "Stadt":
            g.add((x, RDF.type, KG.Stadt))
        g.add((x, RDFS.label, Literal(row.name, lang="de")))
        g.add((x, KG.ars, Literal(row.ars)))
        g.add((x, KG.ags, Literal(row.ags)))
        g.add((x, KG.teilVon, KREIS[row.ars[:5]]))
        g.add((x, KG.ebene, EBENE.kommune))
        g.add((x, DCTERMS.source, QUELLE_BKG))
        if row.ars == EISENACH_GEMEINDE:
            g.add((x, KG.hinweis, Literal(
                "ARS state 2021-01-01; re-keyed on 2021-07-01, new key not in the shipped data", lang="en")))
            g.add((x, KG.hinweis, Literal(
                "ARS-Stand 01.01.2021; am 01.07.2021 umgeschlüsselt, der neue Schlüssel ist in den "
                "mitgelieferten Daten nicht enthalten", lang="de")))
    return g


HEADER = """\
# {title}
# GENERATED by tools/import_vg5000.py — do not edit by hand; re-run the converter instead.
# Source: BKG, Verwaltungsgebiete 1:5 000 000 (VG5000), Stand 01.01.2021,
#   {page}
# Licence: Datenlizenz Deutschland – Namensnennung – 2.0 (https://www.govdata.de/dl-de/by-2-0)
# Attribution: {attribution}
"""


def write(g: Graph, path: Path, title: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = g.serialize(format="turtle")
    text = HEADER.format(title=title, page=str(BKG_PRODUCT_PAGE), attribution=ATTRIBUTION) + "\n" + body
    path.write_text(text, encoding="utf-8")
    return len(g)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--shared", help="folder with the shared CSV files (default ../shared/data, "
                                     "else /work/shared/data)")
    ap.add_argument("--out", default=str(REPO / "data" / "verwaltung"), help="output folder")
    args = ap.parse_args(argv)

    shared = find_shared(args.shared)
    out = Path(args.out)

    laender = dedupe(read_rows(shared / "vg5000_2021_laender.csv"), "Land")
    kreise = dedupe(read_rows(shared / "vg5000_2021_kreise.csv"), "Kreis")
    alle_gemeinden = read_rows(shared / "vg5000_2021_gemeinden.csv")
    skipped = [r for r in alle_gemeinden if r.bez == "Gemeindefreies Gebiet"]
    gemeinden = dedupe((r for r in alle_gemeinden if r.bez != "Gemeindefreies Gebiet"), "Gemeinde")
    iso = read_iso(shared / "laender_seed.csv")

    gemeinde_ars = {r.ars for r in gemeinden}
    counts = {
        "staat.ttl": write(build_staat(), out / "staat.ttl", "Bundesrepublik Deutschland (staat:de)"),
        "laender.ttl": write(build_laender(laender, iso, gemeinde_ars), out / "laender.ttl",
                             "Die 16 Länder der Bundesrepublik Deutschland"),
        "kreise.ttl": write(build_kreise(kreise, {r.ars for r in laender}), out / "kreise.ttl",
                            "Kreise und kreisfreie Städte (Stand 01.01.2021, "
                            "Eisenach-Einkreisung 01.07.2021)"),
        "gemeinden.ttl": write(build_gemeinden(gemeinden, {r.ars for r in kreise}), out / "gemeinden.ttl",
                               "Gemeinden (Stand 01.01.2021, ohne gemeindefreie Gebiete)"),
    }
    current_kreise = sum(1 for r in kreise if r.ars != EISENACH_KREIS)
    print(f"Länder: {len(laender)}; Kreise: {len(kreise)} ({current_kreise} current); "
          f"Gemeinden: {len(gemeinden)} (skipped {len(skipped)} 'Gemeindefreies Gebiet' rows)")
    for name, n in counts.items():
        print(f"  {out / name}: {n} triples, {(out / name).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
