"""Convert Destatis population and area per Gemeinde and Kreis (GV-ISys, 31.12.2021) into Turtle.

Reads ``destatis_gv_2021_gemeinden_bevoelkerung.csv``, ``destatis_gv_2021_kreise_bevoelkerung.csv`` and
``vg5000_2021_gemeinden.csv`` from the shared data folder (see its SOURCES.md) and writes into ``--out``:

* ``gemeinden.ttl`` one kg:Bevoelkerungsstand per Gemeinde (and per inhabited gemeindefreies Gebiet):
  kg:gebiet, kg:einwohner, kg:flaecheKm2, kg:stichtag 2021-12-31, dcterms:source quelle:destatis-gv-2021;
* ``kreise.ttl``    the same per Kreis (400 Kreise on 31.12.2021), per Land and for Germany (sums of the Kreise).

Joining the Destatis keys (Gebietsstand 31.12.2021) to the Gemeinden of the graph (BKG VG5000, 01.01.2021):
1. by the 12-digit ARS; 2. else by the 8-digit AGS (Samtgemeinde/VG regroupings in 2021 change the ARS, not
the AGS); 3. the two new codes of 2021: Eisenach 16063105 → gemeinde:160560000000 (the city joined the
Wartburgkreis on 01.07.2021; the graph keeps its 2021 key) and Langelsheim 03153019 → gemeinde:031530007007,
which absorbed Hahausen, Lutter am Barenberge and Wallmoden on 01.11.2021 — those three get kg:aufgegangenIn
and kg:aufgeloest here, and Langelsheim's figure a kg:hinweis; 4. the two inhabited gemeindefreie Gebiete
(Lohheide, Osterheide) become kg:GemeindefreiesGebiet nodes, so the population adds up to the official total;
the uninhabited ones are left out. Any other row that does not join stops the conversion.

Usage: .venv/bin/python tools/import_destatis_gv.py [--shared PATH] [--out data/statistik]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from _common import REPO, find_shared, new_graph, read_csv
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

BASE = "https://w3id.org/kooperationsgraph/"
KG = Namespace(BASE + "ontology#")
STAAT = Namespace(BASE + "id/staat/")
LAND = Namespace(BASE + "id/land/")
KREIS = Namespace(BASE + "id/kreis/")
GEMEINDE = Namespace(BASE + "id/gemeinde/")
STAT = Namespace(BASE + "id/statistik/gv-2021-12-31/")
QUELLE = Namespace(BASE + "id/quelle/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")

PREFIXES: dict[str, Namespace] = {
    "kg": KG, "staat": STAAT, "land": LAND, "kreis": KREIS, "gemeinde": GEMEINDE, "stat": STAT,
    "quelle": QUELLE, "dcterms": DCTERMS, "prov": PROV, "rdfs": Namespace(str(RDFS)), "xsd": Namespace(str(XSD)),
}

QUELLE_GV = QUELLE["destatis-gv-2021"]
DL_DE_BY_2_0 = URIRef("https://www.govdata.de/dl-de/by-2-0")
ATTRIBUTION = ("Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem GV-ISys, Stand 31.12.2021; "
               "Datenlizenz Deutschland – Namensnennung – Version 2.0 (Daten verändert)")
GV_PAGE = URIRef("https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/Administrativ/"
                 "Archiv/GVAuszugJ/31122021_Auszug_GV.html")
GV_COPY = URIRef("https://github.com/awiedem/german_election_data/blob/dc7922137c2d051ed08617668a42cd9bcb0a5b06/"
                 "data/crosswalks/raw/31122021_Auszug_GV.xlsx")
STICHTAG = Literal("2021-12-31", datatype=XSD.date)
OFFICIAL_TOTAL = 83_237_124

#: Destatis AGS of 31.12.2021 → Gemeinde ARS of the graph (VG5000 01.01.2021), for the two new codes of 2021.
NEW_CODES = {"16063105": "160560000000", "03153019": "031530007007"}
#: Gemeinden merged into Langelsheim on 01.11.2021 (VG5000 ARS).
INTO_LANGELSHEIM = ("031535401006", "031535401009", "031535401014")
LANGELSHEIM_DATE = "2021-11-01"
GEMEINDEFREI_BEWOHNT = "Gemeindefreies Gebiet, bewohnt"


@dataclass(frozen=True)
class Figure:
    ars: str
    name: str
    population: int
    area_km2: Decimal
    typ: str
    kreis_ars: str





def add_provenance(g: Graph) -> None:
    q = QUELLE_GV
    g.add((q, RDF.type, KG.Quelle))
    g.add((q, RDF.type, PROV.Entity))
    g.add((q, RDFS.label, Literal("Destatis GV-ISys: Gemeinden mit ausgewählten Merkmalen am 31.12.2021", lang="de")))
    g.add((q, RDFS.label, Literal("Destatis GV-ISys: municipalities with selected characteristics on 31 Dec 2021",
                                  lang="en")))
    g.add((q, DCTERMS.publisher, Literal("Statistisches Bundesamt (Destatis)", lang="de")))
    g.add((q, DCTERMS.license, DL_DE_BY_2_0))
    g.add((q, DCTERMS.rightsHolder, Literal(ATTRIBUTION)))
    g.add((q, DCTERMS.source, GV_PAGE))
    g.add((q, DCTERMS.source, GV_COPY))
    g.add((q, KG.stichtag, STICHTAG))
    g.add((q, DCTERMS.description, Literal(
        "Gebietsstand und Bevölkerung (Fortschreibung auf Basis des Zensus 2011) am 31.12.2021, veröffentlicht "
        "September 2022; Summe 83.237.124 Einwohner. Mit tools/import_destatis_gv.py an die Gemeinden des Graphen "
        "(BKG VG5000, 01.01.2021) angeschlossen: Eisenach (16063105) und Langelsheim (03153019) tragen 2021 neue "
        "Schlüssel; Kreis-, Landes- und Bundeswerte sind Summen über die Gemeinden (Daten verändert).", lang="de")))
    g.add((q, DCTERMS.description, Literal(
        "Territorial status and population (update based on the 2011 census) on 31 Dec 2021, published September "
        "2022; total 83,237,124 people. Joined to the graph's Gemeinden (BKG VG5000, 1 Jan 2021) by "
        "tools/import_destatis_gv.py: Eisenach (16063105) and Langelsheim (03153019) have new keys in 2021; "
        "district, Land and national figures are sums over the municipalities (data modified).", lang="en")))


def add_figure(g: Graph, unit: URIRef, key: str, population: int, area: Decimal, name: str) -> URIRef:
    obs = STAT[key]
    g.add((obs, RDF.type, KG.Bevoelkerungsstand))
    g.add((obs, RDFS.label, Literal(f"Bevölkerung {name}, 31.12.2021", lang="de")))
    g.add((obs, RDFS.label, Literal(f"Population {name}, 31 Dec 2021", lang="en")))
    g.add((obs, KG.gebiet, unit))
    g.add((obs, KG.einwohner, Literal(population, datatype=XSD.integer)))
    g.add((obs, KG.flaecheKm2, Literal(area, datatype=XSD.decimal)))
    g.add((obs, KG.stichtag, STICHTAG))
    g.add((obs, DCTERMS.source, QUELLE_GV))
    return obs


def clean_name(name: str) -> str:
    return name.split(",")[0].strip()


def join_gemeinden(rows: list[dict[str, str]], vg_rows: list[dict[str, str]]) -> tuple[list[tuple[str, Figure]],
                                                                                        list[Figure]]:
    """Return (graph ARS, figure) pairs and the inhabited gemeindefreie Gebiete; raise on anything unjoined."""
    vg_ars = {r["ars"].strip() for r in vg_rows if r["bez"].strip() != "Gemeindefreies Gebiet"}
    by_ags = {r["ags"].strip(): r["ars"].strip() for r in vg_rows if r["ars"].strip() in vg_ars}
    joined: list[tuple[str, Figure]] = []
    frei: list[Figure] = []
    unjoined: list[str] = []
    for r in rows:
        fig = Figure(r["ars"], r["name"], int(r["population"]), Decimal(r["area_km2"]), r["typ"], r["kreis_ars"])
        if r["typ"].startswith("Gemeindefreies Gebiet"):
            if r["typ"] == GEMEINDEFREI_BEWOHNT and fig.population > 0:
                frei.append(fig)
            elif fig.population:
                unjoined.append(f"{r['ars']} {r['name']}: uninhabited area with population {fig.population}")
            continue
        target = r["ars"] if r["ars"] in vg_ars else by_ags.get(r["ags"]) or NEW_CODES.get(r["ags"])
        if target is None:
            unjoined.append(f"{r['ars']} {r['name']}")
            continue
        joined.append((target, fig))
    if unjoined:
        raise SystemExit("rows that do not join to a Gemeinde of the graph:\n  " + "\n  ".join(unjoined))
    targets = [t for t, _ in joined]
    if len(targets) != len(set(targets)):
        raise SystemExit("two Destatis rows join to the same Gemeinde")
    return joined, frei


def build_gemeinden(joined: list[tuple[str, Figure]], frei: list[Figure]) -> Graph:
    g = new_graph(PREFIXES)
    add_provenance(g)
    for ars, fig in sorted(joined):
        obs = add_figure(g, GEMEINDE[ars], ars, fig.population, fig.area_km2, clean_name(fig.name))
        if ars == NEW_CODES["03153019"]:
            g.add((obs, KG.hinweis, Literal(
                "Gebietsstand 31.12.2021 (AGS 03153019): einschließlich Hahausen, Lutter am Barenberge und Wallmoden, "
                "die am 01.11.2021 eingegliedert wurden.", lang="de")))
            g.add((obs, KG.hinweis, Literal(
                "Territory of 31 Dec 2021 (AGS 03153019): including Hahausen, Lutter am Barenberge and Wallmoden, "
                "merged in on 1 Nov 2021.", lang="en")))
        if ars == NEW_CODES["16063105"]:
            g.add((obs, KG.hinweis, Literal(
                "Destatis-Schlüssel 31.12.2021: 16063105 (Wartburgkreis, seit 01.07.2021).", lang="de")))
            g.add((obs, KG.hinweis, Literal("Destatis key on 31 Dec 2021: 16063105 (Wartburgkreis, since 1 Jul 2021).",
                                            lang="en")))
    for old in INTO_LANGELSHEIM:
        g.add((GEMEINDE[old], KG.aufgegangenIn, GEMEINDE[NEW_CODES["03153019"]]))
        g.add((GEMEINDE[old], KG.aufgeloest, Literal(LANGELSHEIM_DATE, datatype=XSD.date)))
        g.add((GEMEINDE[old], DCTERMS.source, QUELLE_GV))
    for fig in frei:
        unit = GEMEINDE[fig.ars]
        name = clean_name(fig.name)
        g.add((unit, RDF.type, KG.GemeindefreiesGebiet))
        g.add((unit, RDFS.label, Literal(f"{name} (gemeindefreier Bezirk)", lang="de")))
        g.add((unit, RDFS.label, Literal(f"{name} (unincorporated district)", lang="en")))
        g.add((unit, KG.ars, Literal(fig.ars)))
        g.add((unit, KG.teilVon, KREIS[fig.kreis_ars]))
        g.add((unit, DCTERMS.source, QUELLE_GV))
        add_figure(g, unit, fig.ars, fig.population, fig.area_km2, name)
    return g


def build_kreise(kreise: list[dict[str, str]]) -> Graph:
    g = new_graph(PREFIXES)
    add_provenance(g)
    land_pop: dict[str, int] = defaultdict(int)
    land_area: dict[str, Decimal] = defaultdict(Decimal)
    for r in sorted(kreise, key=lambda r: r["ars"]):
        pop, area = int(r["population"]), Decimal(r["area_km2"])
        add_figure(g, KREIS[r["ars"]], r["ars"], pop, area, clean_name(r["name"]))
        land_pop[r["land_ars"]] += pop
        land_area[r["land_ars"]] += area
    for land in sorted(land_pop):
        add_figure(g, LAND[land], land, land_pop[land], land_area[land], f"Land {land}")
    total = sum(land_pop.values())
    if total != OFFICIAL_TOTAL:
        raise SystemExit(f"Kreise add up to {total}, not the official {OFFICIAL_TOTAL}")
    add_figure(g, STAAT.de, "de", total, sum(land_area.values(), Decimal()), "Deutschland")
    return g


HEADER = """# {title}
# GENERATED by tools/import_destatis_gv.py — do not edit by hand; re-run the converter instead.
# Source: Statistisches Bundesamt (Destatis), GV-ISys, Alle politisch selbständigen Gemeinden mit ausgewählten
#   Merkmalen am 31.12.2021, {page}
# Licence: Datenlizenz Deutschland – Namensnennung – 2.0 (https://www.govdata.de/dl-de/by-2-0)
# Attribution: {attribution}

"""


def write(g: Graph, path: Path, title: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = g.serialize(format="turtle")
    path.write_text(HEADER.format(title=title, page=GV_PAGE, attribution=ATTRIBUTION) + body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shared", help="folder with the source CSV files (default ../shared/data)")
    p.add_argument("--out", type=Path, default=REPO / "data" / "statistik")
    args = p.parse_args(argv)
    shared = find_shared(args.shared)
    gem_rows = read_csv(shared / "destatis_gv_2021_gemeinden_bevoelkerung.csv")
    kreis_rows = read_csv(shared / "destatis_gv_2021_kreise_bevoelkerung.csv")
    vg_rows = read_csv(shared / "vg5000_2021_gemeinden.csv")
    joined, frei = join_gemeinden(gem_rows, vg_rows)
    total = sum(f.population for _, f in joined) + sum(f.population for f in frei)
    if total != OFFICIAL_TOTAL:
        raise SystemExit(f"Gemeinden add up to {total}, not the official {OFFICIAL_TOTAL}")
    write(build_gemeinden(joined, frei), args.out / "gemeinden.ttl",
          "Bevölkerung und Fläche der Gemeinden am 31.12.2021 (Destatis GV-ISys)")
    write(build_kreise(kreis_rows), args.out / "kreise.ttl",
          "Bevölkerung und Fläche der Kreise, Länder und Deutschlands am 31.12.2021 (Destatis GV-ISys)")
    print(f"{len(joined)} Gemeinden, {len(frei)} inhabited gemeindefreie Gebiete, {len(kreis_rows)} Kreise; "
          f"{total:,} people", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
