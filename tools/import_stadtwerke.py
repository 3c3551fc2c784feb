"""Convert the municipal utilities ("Stadtwerke") of the open German electricity-supplier list into Turtle.

Reads ``datenschule_stromanbieter_2020.csv`` (Datenschule/oekostromreport-data, ``assets/data/providers.csv``)
and ``vg5000_2021_gemeinden.csv`` from the shared data folder, takes every row whose Firmenname contains
"Stadtwerk" (case-insensitive) and writes ``data/akteure/stadtwerke.ttl``:

* ``akteur:<slug of the name>`` a kg:Energieunternehmen, rdfs:label @de, kg:sektor sektor:energie,
  kg:eigentumLautQuelle "unbekannt", foaf:homepage (URL column, only if it is a well-formed http(s) URL),
  kg:plz (5 digits, zero-padded), dcterms:source quelle:datenschule-stromanbieter-2020. The list says
  nothing about ownership, and a name containing "Stadtwerk" does not prove municipal ownership, so the
  rows are NOT typed kg:Stadtwerk (a public enterprise, on which §§ 99/100 GWB reasoning rests);
* kg:sitz → the Gemeinde whose name matches the Stadt column, or kg:sitzOrt "…" when the match is not
  unambiguous;
* sales brands ("X - eine Marke der Y"): ``marke:<slug>`` a kg:Marke with kg:markeVon → the operator Y
  (an existing row or hand-written actor with that name, else a new kg:Energieunternehmen carrying the
  row's address); the brand itself is not an actor;
* rows that name an organisation already written by hand in data/kooperationen/ (``IDENTITY``) are not
  minted again: their homepage, postcode, list name (skos:altLabel) and source are added to the
  hand-written IRI, so each organisation has one IRI.

Seat matching (conservative; a wrong seat is worse than none):
1. Normalise the Stadt value: strip ", Stadt", compare case-insensitively (Unicode casefold, so ß = ss)
   and ignore whitespace ("Weiden i.d.OPf." = "Weiden i.d. OPf.").
2. Candidates: Gemeinden with exactly that name, plus Gemeinden whose name is that name followed by a
   qualifier in the official list (" (…)", "/…", " am …", e.g. "Verden" → "Verden (Aller)",
   "Halle" → "Halle (Saale)", "Halle (Westf.)", "Halle").
3. If a PLZ is given, keep only candidates in a Land that the PLZ's first digit (Leitzone) can belong to.
   The zone → Länder table below is deliberately generous (it lists every Land a zone may touch), so the
   filter only removes candidates that clearly cannot be meant.
4. Exactly one candidate left → kg:sitz; otherwise kg:sitzOrt with the Stadt value.

Usage: .venv/bin/python tools/import_stadtwerke.py [--shared PATH] [--out data/akteure/stadtwerke.ttl]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from _common import REPO, find_shared, new_graph, slug
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

BASE = "https://w3id.org/kooperationsgraph/"
KG = Namespace(BASE + "ontology#")
AKTEUR = Namespace(BASE + "id/akteur/")
GEMEINDE = Namespace(BASE + "id/gemeinde/")
MARKE = Namespace(BASE + "id/marke/")
SEKTOR = Namespace(BASE + "id/sektor/")
QUELLE = Namespace(BASE + "id/quelle/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")

PREFIXES: dict[str, Namespace] = {
    "kg": KG, "akteur": AKTEUR, "marke": MARKE, "skos": SKOS, "gemeinde": GEMEINDE, "sektor": SEKTOR, "quelle": QUELLE,
    "dcterms": DCTERMS, "prov": PROV, "foaf": FOAF, "rdfs": Namespace(str(RDFS)),
}

QUELLE_DS = QUELLE["datenschule-stromanbieter-2020"]
DS_COMMIT = "64e036bd3afb9293692b1917561a7cfd5066727d"
DS_REPO = URIRef("https://github.com/Datenschule/oekostromreport-data")
DS_FILE = URIRef(f"https://github.com/Datenschule/oekostromreport-data/blob/{DS_COMMIT}/assets/data/providers.csv")
DS_README = URIRef(
    f"https://github.com/Datenschule/oekostromreport-data/blob/{DS_COMMIT}/assets/data-src/README.md")
MIT = URIRef("https://opensource.org/licenses/MIT")

#: First digit of the PLZ (Leitzone) → ARS Land codes the zone may touch. Generous on purpose: a Land
#: is listed whenever some postcodes of the zone might lie in it.
#: 01 SH, 02 HH, 03 NI, 04 HB, 05 NW, 06 HE, 07 RP, 08 BW, 09 BY, 10 SL,
#: 11 BE, 12 BB, 13 MV, 14 SN, 15 ST, 16 TH
ZONE_LAENDER: dict[str, frozenset[str]] = {
    "0": frozenset({"12", "14", "15", "16"}),
    "1": frozenset({"01", "03", "11", "12", "13", "15"}),
    "2": frozenset({"01", "02", "03", "04", "13"}),
    "3": frozenset({"03", "05", "06", "09", "15", "16"}),
    "4": frozenset({"03", "05"}),
    "5": frozenset({"05", "06", "07", "10"}),
    "6": frozenset({"06", "07", "08", "09", "10"}),
    "7": frozenset({"07", "08", "09"}),
    "8": frozenset({"08", "09"}),
    "9": frozenset({"06", "08", "09", "14", "16"}),
}

#: Qualifiers that may follow a place name in the official Gemeinde name ("Verden (Aller)", "Saalfeld/Saale",
#: "Emmerich am Rhein", "Bad Neustadt a.d. Saale", "Buchholz in der Nordheide", "Rothenburg ob der Tauber").
QUALIFIER = re.compile(r"(\s*\(|\s*/|\s+(am|an|a\.|a\.d\.|bei|b\.|im|in|i\.|ob|o\.|vor|v\.d\.)(\s|$))")

#: Supplier-list rows (slug of the Firmenname) that are organisations already written by hand in
#: data/kooperationen/ with their own sources: slug → local name of the hand-written akteur IRI.
#: Checked by name and seat (tests/test_data.py fails on new duplicates with the same name and seat).
IDENTITY: dict[str, str] = {
    "berliner-stadtwerke-gmbh": "berliner-stadtwerke",
    "stadtwerke-bad-salzuflen-gmbh": "stadtwerke-bad-salzuflen",
    "stadtwerke-bad-sooden-allendorf": "stadtwerke-bad-sooden-allendorf",
    "stadtwerke-bochum-gmbh": "stadtwerke-bochum",
    "stadtwerke-detmold-gmbh": "stadtwerke-detmold",
    "stadtwerke-eschwege-gmbh": "stadtwerke-eschwege",
    "stadtwerke-hamm-gmbh": "stadtwerke-hamm",
    "stadtwerke-herford-gmbh": "stadtwerke-herford",
    "stadtwerke-lemgo-gmbh": "stadtwerke-lemgo",
    "stadtwerke-lindau-b-gmbh-co-kg": "stadtwerke-lindau",
    "stadtwerke-tuttlingen-gmbh": "stadtwerke-tuttlingen",
    "stadtwerke-wolfhagen-gmbh": "stadtwerke-wolfhagen",
    "stawag-stadtwerke-aachen-aktiengesellschaft": "stawag",
    # brand operators only (no row of their own)
    "staedtische-werke-ag-kassel": "staedtische-werke-kassel",
}

#: "X - eine Marke der Y", "X Online-Marke der Y" → Y is the operator.
BRAND = re.compile(r"^(?P<brand>.+?)\s*(?:-\s*)?(?:eine\s+|online-)?marke\s+der\s+(?P<operator>.+)$", re.IGNORECASE)

#: Legal-form words ignored when a brand's operator name is looked up among the rows.
LEGAL_FORM = re.compile(r"\b(gmbh|ag|aktiengesellschaft|mbh|co|kg|se|eg|ug)\b")

UMLAUTE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass(frozen=True)
class Gemeinde:
    ars: str
    name: str

    @property
    def land(self) -> str:
        return self.ars[:2]


@dataclass(frozen=True)
class Match:
    gemeinde: Gemeinde | None
    how: str  # "exact", "qualified", "ambiguous", "none", "no-stadt"




def slugify(text: str) -> str:
    return slug(text)


def core(text: str) -> str:
    """Name without legal-form words, as a slug ("Stadtwerke Lübeck GmbH" → "stadtwerke-luebeck")."""
    return slugify(LEGAL_FORM.sub(" ", slugify(text).replace("-", " ")))


def key(text: str) -> str:
    """Comparison key: casefolded, whitespace removed."""
    return re.sub(r"\s+", "", text.casefold())


def clean_stadt(stadt: str) -> str:
    return re.sub(r",\s*Stadt\s*$", "", stadt.strip(), flags=re.IGNORECASE).strip()


def fix_plz(raw: str) -> str | None:
    """'67061.0' → '67061', '1069.0' → '01069'; None if empty or not a postcode."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        n = int(float(raw))
    except ValueError:
        return None
    return f"{n:05d}" if 1000 <= n <= 99999 else None


#: Characters that may not appear in a Turtle IRIREF.
BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def homepage(raw: str) -> URIRef | None:
    url = raw.strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or "." not in parts.netloc:
        return None
    if BAD_IRI_CHARS.search(url):
        return None
    return URIRef(url)


class Matcher:
    def __init__(self, gemeinden: list[Gemeinde]) -> None:
        self.gemeinden = gemeinden
        self.by_key: dict[str, list[Gemeinde]] = {}
        for g in gemeinden:
            self.by_key.setdefault(key(g.name), []).append(g)

    def candidates(self, stadt: str) -> tuple[list[Gemeinde], list[Gemeinde]]:
        exact = self.by_key.get(key(stadt), [])
        folded = stadt.casefold()
        qualified = [g for g in self.gemeinden
                     if g.name.casefold().startswith(folded)
                     and QUALIFIER.match(g.name.casefold(), len(folded))]
        return exact, qualified

    def match(self, stadt_raw: str, plz: str | None) -> Match:
        stadt = clean_stadt(stadt_raw)
        if not stadt:
            return Match(None, "no-stadt")
        exact, qualified = self.candidates(stadt)
        pool = {g.ars: g for g in exact + qualified}
        cands = sorted(pool.values(), key=lambda g: g.ars)
        if not cands:
            return Match(None, "none")
        if plz:
            allowed = ZONE_LAENDER.get(plz[0], frozenset())
            cands = [g for g in cands if g.land in allowed]
        if len(cands) == 1:
            g = cands[0]
            return Match(g, "exact" if g in exact else "qualified")
        return Match(None, "ambiguous" if cands else "none")


def read_gemeinden(path: Path) -> list[Gemeinde]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [Gemeinde(ars=r["ars"].strip(), name=r["name"].strip())
                for r in csv.DictReader(fh) if r["bez"].strip() != "Gemeindefreies Gebiet"]
    return sorted({g.ars: g for g in rows}.values(), key=lambda g: g.ars)



def add_provenance(g: Graph) -> None:
    q = QUELLE_DS
    g.add((q, RDF.type, KG.Quelle))
    g.add((q, RDF.type, PROV.Entity))
    g.add((q, RDFS.label, Literal("Datenschule: Stromanbieterliste des Ökostromreports 2020", lang="de")))
    g.add((q, RDFS.label, Literal("Datenschule: electricity supplier list of the Ökostromreport 2020",
                                  lang="en")))
    g.add((q, DCTERMS.title, Literal("oekostromreport-data, assets/data/providers.csv", lang="de")))
    g.add((q, DCTERMS.publisher, Literal("Datenschule (Open Knowledge Foundation Deutschland)", lang="de")))
    g.add((q, DCTERMS.license, MIT))
    g.add((q, DCTERMS.source, DS_REPO))
    g.add((q, DCTERMS.source, DS_FILE))
    g.add((q, DCTERMS.source, DS_README))
    g.add((q, DCTERMS.description, Literal(
        "Liste von 1.208 Stromanbietern in Deutschland (Commit 64e036b). Datenstand 2019/20: laut README im "
        "August/September 2019 aus mehreren Quellen gesammelt, u. a. der Stromversorgerliste der "
        "Bundesnetzagentur, teils mit Angaben aus 2018. Das Repository steht unter der MIT-Lizenz; das "
        "Daten-README nennt für die Daten CC0. Übernommen wurden nur Anbieter mit „Stadtwerk“ im Namen "
        "(tools/import_stadtwerke.py); Anschrift, Rechtsform und Homepage können sich seither geändert "
        "haben.",
        lang="de")))
    g.add((q, DCTERMS.description, Literal(
        "List of 1,208 electricity suppliers in Germany (commit 64e036b). Status 2019/20: according to the "
        "README collected in August/September 2019 from several sources, among them the supplier list of "
        "the Federal Network Agency (BNetzA), partly with 2018 figures. The repository is MIT-licensed; the "
        "data README states CC0 for the data. Only suppliers with \"Stadtwerk\" in the name were taken "
        "(tools/import_stadtwerke.py); address, legal form and homepage may have changed since.",
        lang="en")))


HEADER = """\
# Suppliers with "Stadtwerk" in the name from the open list of German electricity suppliers, status 2019/20.
# Typed kg:Energieunternehmen with kg:eigentumLautQuelle "unbekannt" (the list does not state ownership);
# sales brands are kg:Marke with kg:markeVon their operator; rows naming a hand-written actor extend it.
# GENERATED by tools/import_stadtwerke.py — do not edit by hand; re-run the converter instead.
# Source: Datenschule/oekostromreport-data @ {commit}, assets/data/providers.csv (MIT licence);
#   the list was compiled from several sources, among them the BNetzA supplier list.
# Seats (kg:sitz) matched against BKG VG5000 Gemeinden, state 1 Jan 2021; kg:sitzOrt where not unambiguous.
"""


@dataclass
class Result:
    graph: Graph
    total: int
    seats: Counter[str]
    unmatched: list[tuple[str, str, str, str]]
    homepages: int
    rejected_urls: list[tuple[str, str]]
    brands: int


def convert(provider_csv: Path, gemeinden_csv: Path) -> Result:
    matcher = Matcher(read_gemeinden(gemeinden_csv))
    with provider_csv.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if "stadtwerk" in r["Firmenname"].lower()]
    rows.sort(key=lambda r: (r["Firmenname"].strip(), r["PLZ"].strip(), r["Stadt"].strip(), r["URL"].strip()))

    g = new_graph(PREFIXES)
    add_provenance(g)
    names = [" ".join(r["Firmenname"].split()) for r in rows]
    slugs: list[str] = []
    used: set[str] = set()
    for name in names:
        base = slugify(name)
        slug, n = base, 1
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        slugs.append(slug)
    brand_of = {i: m for i, name in enumerate(names) if (m := BRAND.match(name))}
    by_core: dict[str, list[str]] = {}
    for i, slug in enumerate(slugs):
        if i not in brand_of:
            by_core.setdefault(core(names[i]), []).append(slug)

    def iri(slug: str) -> URIRef:
        return AKTEUR[IDENTITY.get(slug, slug)]

    seats: Counter[str] = Counter()
    unmatched: list[tuple[str, str, str, str]] = []
    rejected: list[tuple[str, str]] = []
    homepages = 0
    for i, r in enumerate(rows):
        name, slug = names[i], slugs[i]
        url = homepage(r["URL"])
        if url is None and r["URL"].strip():
            rejected.append((name, r["URL"].strip()))
        plz = fix_plz(r["PLZ"])
        m = matcher.match(r["Stadt"], plz)
        seats[m.how] += 1
        if m.gemeinde is None and m.how != "no-stadt":
            unmatched.append((name, r["Stadt"].strip(), plz or "", m.how))

        if i in brand_of:
            op_name = brand_of[i].group("operator").strip()
            op_slug = slugify(op_name)
            found = by_core.get(core(op_name), [])
            if op_slug in IDENTITY or len(found) != 1:
                operator = iri(op_slug)
                new_operator = op_slug not in IDENTITY and op_slug not in used
            else:
                operator, new_operator = iri(found[0]), False
            brand = MARKE[slug]
            g.add((brand, RDF.type, KG.Marke))
            g.add((brand, RDFS.label, Literal(name, lang="de")))
            g.add((brand, KG.markeVon, operator))
            g.add((brand, DCTERMS.source, QUELLE_DS))
            if url is not None:
                g.add((brand, FOAF.homepage, url))
                homepages += 1
            if not new_operator:
                continue
            used.add(op_slug)
            x, label = operator, op_name
        elif slug in IDENTITY:
            x = iri(slug)
            g.add((x, SKOS.altLabel, Literal(name, lang="de")))
            g.add((x, DCTERMS.source, QUELLE_DS))
            if url is not None:
                g.add((x, FOAF.homepage, url))
                homepages += 1
            if plz:
                g.add((x, KG.plz, Literal(plz)))
            continue
        else:
            x, label = iri(slug), name
            if url is not None:
                g.add((x, FOAF.homepage, url))
                homepages += 1
        g.add((x, RDF.type, KG.Energieunternehmen))
        g.add((x, RDFS.label, Literal(label, lang="de")))
        g.add((x, KG.sektor, SEKTOR.energie))
        g.add((x, KG.eigentumLautQuelle, Literal("unbekannt")))
        g.add((x, DCTERMS.source, QUELLE_DS))
        if plz:
            g.add((x, KG.plz, Literal(plz)))
        if m.gemeinde is not None:
            g.add((x, KG.sitz, GEMEINDE[m.gemeinde.ars]))
        elif m.how != "no-stadt":
            g.add((x, KG.sitzOrt, Literal(clean_stadt(r["Stadt"]))))
    return Result(g, len(rows), seats, unmatched, homepages, rejected, len(brand_of))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--shared", help="folder with the shared CSV files (default ../shared/data, "
                                     "else /work/shared/data)")
    ap.add_argument("--out", default=str(REPO / "data" / "akteure" / "stadtwerke.ttl"), help="output file")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the rows without a matched seat")
    args = ap.parse_args(argv)

    shared = find_shared(args.shared)
    res = convert(shared / "datenschule_stromanbieter_2020.csv", shared / "vg5000_2021_gemeinden.csv")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(HEADER.format(commit=DS_COMMIT) + "\n" + res.graph.serialize(format="turtle"),
                   encoding="utf-8")

    with_seat = res.seats["exact"] + res.seats["qualified"]
    only_ort = res.seats["ambiguous"] + res.seats["none"]
    print(f"Stadtwerke: {res.total}; with kg:sitz: {with_seat} (exact name {res.seats['exact']}, "
          f"qualified name {res.seats['qualified']}); kg:sitzOrt only: {only_ort} "
          f"(ambiguous {res.seats['ambiguous']}, no match {res.seats['none']}); no Stadt given: "
          f"{res.seats['no-stadt']}; homepages: {res.homepages}; brand rows: {res.brands}")
    for name, url in res.rejected_urls:
        print(f"  URL not used for {name!r}: {url!r}", file=sys.stderr)
    if args.verbose:
        for name, stadt, plz, how in res.unmatched:
            print(f"  no seat ({how}): {name} | {stadt} | {plz}")
    print(f"  {out}: {len(res.graph)} triples, {out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
