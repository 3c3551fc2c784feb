"""The shipped data: every file parses, every real entity is sourced and labelled in German, every IRI of
ours is typed, administrative units carry well-formed ARS matching their parent, examples stay apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kooperationsgraph.namespaces import BASE, sparql_prologue
from kooperationsgraph.stats import collect

P = sparql_prologue()
REPO = Path(__file__).resolve().parents[1]

#: Classes whose instances are real-world things that must carry a source.
SOURCED = ["kg:Akteur", "kg:Kooperation", "kg:Mitgliedschaft", "kg:Rechtsakt", "kg:Rechtsnorm",
           "kg:Schwellenwert", "kg:Vereinbarung", "kg:Verwaltungseinheit", "kg:Versorgungskrise"]


def rows(backend, q: str) -> list[tuple]:
    return backend.query(P + q).rows


@pytest.mark.parametrize("cls", SOURCED)
def test_every_real_entity_has_a_source_and_a_german_label(backend, cls: str) -> None:
    missing_src = rows(backend, f"""SELECT ?x WHERE {{ ?x a {cls} .
        FILTER(!STRSTARTS(STR(?x), STR(ex:)))
        FILTER NOT EXISTS {{ ?x dcterms:source ?s }} FILTER NOT EXISTS {{ ?x prov:wasDerivedFrom ?s }} }}""")
    assert not missing_src, f"{len(missing_src)} {cls} without source, e.g. {missing_src[:5]}"
    if cls == "kg:Mitgliedschaft":
        return
    missing_label = rows(backend, f"""SELECT ?x WHERE {{ ?x a {cls} .
        FILTER NOT EXISTS {{ ?x rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "de")) }} }}""")
    assert not missing_label, f"{len(missing_label)} {cls} without German label, e.g. {missing_label[:5]}"


def test_no_project_iri_is_used_without_a_type(backend) -> None:
    """Every IRI in our namespace that appears as subject or object in data/ has an rdf:type somewhere."""
    untyped = rows(backend, f"""SELECT DISTINCT ?x WHERE {{
        {{ GRAPH ?g {{ ?x ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?p ?x }} }}
        FILTER(STRSTARTS(STR(?g), "{BASE}graph/data/"))
        FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{BASE}id/"))
        FILTER NOT EXISTS {{ ?x a ?type }} }} LIMIT 20""")
    assert not untyped, untyped


def test_administrative_units_have_well_formed_ars_matching_their_parent(backend) -> None:
    units = rows(backend, """SELECT ?x ?cls ?ars ?parentArs WHERE {
        VALUES ?cls { kg:Bundesland kg:Kreis kg:Gemeinde }
        ?x a ?cls ; kg:ars ?ars .
        OPTIONAL { ?x kg:teilVon ?parent . ?parent kg:ars ?parentArs } }""")
    assert units
    length = {"Bundesland": 2, "Kreis": 5, "Gemeinde": 12}
    bad = []
    for x, cls, ars, parent_ars in units:
        n = length[str(cls).rsplit("#", 1)[1]]
        if not re.fullmatch(rf"\d{{{n}}}", str(ars)):
            bad.append((x, ars, "malformed"))
        elif n > 2 and (parent_ars is None or not str(ars).startswith(str(parent_ars))):
            bad.append((x, ars, f"parent {parent_ars}"))
    assert not bad, bad[:10]


def test_counts_of_the_foundation(backend) -> None:
    st = collect(backend)
    assert st.laender == 16
    assert st.kreise == 400
    assert 10_700 <= st.gemeinden <= 10_900
    assert st.sourced_cooperations >= 120  # issue 11: at least 120 real, sourced cooperations
    assert st.agreements >= 30


def test_examples_are_fictional_and_apart() -> None:
    """Files in data/examples/ use only the ex: namespace for the things they describe."""
    from rdflib import Graph

    for f in sorted((REPO / "data" / "examples").rglob("*.ttl")):
        g = Graph().parse(f)
        subjects = {str(s) for s in g.subjects() if not str(s).startswith("n")}
        ours = {s for s in subjects if s.startswith(BASE) and not s.startswith(BASE + "example/")}
        assert not ours, (f.name, sorted(ours)[:5])


def test_no_example_leaks_into_the_store(backend) -> None:
    assert not rows(backend, "SELECT ?x WHERE { ?x ?p ?o FILTER(STRSTARTS(STR(?x), STR(ex:))) } LIMIT 1")


#: Hosts that only copy or proxy other publishers' pages (university EZproxy links, Wikipedia mirrors,
#: document-sharing and scraper sites). A fact must cite the original publisher (issue 11).
MIRROR_HOSTS = ("ezproxy.", "wiki.li", "dewiki.de", "wikiwand.com", "wikizero.net", "wikipedia.jakami.de",
                "paperai.life", "de-academic.com", "zxc.wiki", "readkong.com", "fdokument.com", "yumpu.com",
                "scribd.com", "issuu.com", "9dok.net", "docplayer.", "studylib.", "haohao.work.gd",
                "kxan36news.com", "de-angebote.deals", "paragraphen.online", "distantreader.org", "litmir.")


def mirror_host(url: str) -> str | None:
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return next((m for m in MIRROR_HOSTS if m in host), None)


def test_mirror_host_check_recognises_proxies_and_mirrors() -> None:
    assert mirror_host("https://de-statista-com.ezproxy.canberra.edu.au/themen/1289/edeka")
    assert mirror_host("https://de.wiki.li/Sana_Kliniken")
    assert mirror_host("https://issuu.com./esvmedien/docs/x")
    assert mirror_host("https://de.wikipedia.org/wiki/Sana_Kliniken") is None
    assert mirror_host("https://www.bbk.bund.de/DE/Infothek/") is None


def test_no_source_from_a_mirror_or_proxy_host(backend) -> None:
    found = [(s, src) for s, src in rows(backend, """SELECT ?s ?src WHERE {
        ?s dcterms:source ?src FILTER(isIRI(?src)) }""") if mirror_host(str(src))]
    assert not found, f"{len(found)} sources from mirror/proxy hosts, e.g. {found[:5]}"


LEGAL_FORM = re.compile(r"\b(gmbh|ag|aktiengesellschaft|mbh|co|kg|se|eg|e v|ev|ug)\b")


def organisation_key(label: str) -> str:
    """Name for duplicate detection: casefolded, without parentheses, legal forms and punctuation."""
    s = re.sub(r"\(.*?\)", " ", label.casefold())
    s = re.sub(r"[^\w]+", " ", s)
    return re.sub(r"\s+", "", LEGAL_FORM.sub(" ", s))


def test_organisation_key_ignores_legal_form_and_punctuation() -> None:
    assert organisation_key("Stadtwerke Herford GmbH") == organisation_key("Stadtwerke Herford")
    assert organisation_key("Stadtwerke Tuttlingen (SWT)") == organisation_key("Stadtwerke Tuttlingen GmbH")
    assert organisation_key("Stadtwerke Hamm") != organisation_key("Stadtwerke Hammelburg GmbH")


def test_no_organisation_exists_twice_with_the_same_name_and_seat(backend) -> None:
    """One IRI per organisation: actors with the same name (see organisation_key) and the same seat are
    duplicates unless they are linked by owl:sameAs, or one is a site of the other (org:siteOf, from
    tools/link_hospital_sites.py). Hospital sites of the Destatis directory take part: a site that shares name
    and seat with a hand-written actor must be linked to it. Two sites of one hospital may share name and seat
    (facilities identified by their site number), so a pair of two sites is not a duplicate."""
    groups: dict[tuple[str, str], set[str]] = {}
    for x, label, sitz in rows(backend, """SELECT ?x ?l ?sitz WHERE {
            ?x a kg:Akteur ; kg:sitz ?sitz ; rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "de")) }"""):
        groups.setdefault((organisation_key(str(label)), str(sitz)), set()).add(str(x))
    sites = {str(x) for (x,) in rows(backend, "SELECT ?x WHERE { ?x a kg:Krankenhausstandort }")}
    linked = {frozenset((str(a), str(b))) for a, b in rows(backend, """SELECT ?a ?b WHERE {
            { ?a owl:sameAs ?b } UNION { ?a <http://www.w3.org/ns/org#siteOf> ?b } }""")}

    def distinct(a: str, b: str) -> bool:
        return frozenset((a, b)) in linked or (a in sites and b in sites)

    dupes = [sorted(xs) for xs in groups.values()
             if len(xs) > 1 and not all(distinct(a, b) for a in xs for b in xs if a < b)]
    assert not dupes, f"{len(dupes)} organisations exist twice, e.g. {dupes[:5]}"


def test_hospital_sites_are_linked_to_the_hand_written_hospitals(backend) -> None:
    """tools/link_hospital_sites.py links sites to actors by exact name and seat; both directions are stated."""
    pairs = rows(backend, """SELECT ?site ?actor WHERE { ?site <http://www.w3.org/ns/org#siteOf> ?actor .
        ?site a kg:Krankenhausstandort . ?actor kg:sitz ?sitz . ?site kg:sitz ?sitz
        FILTER EXISTS { ?actor <http://www.w3.org/ns/org#hasSite> ?site }
        FILTER NOT EXISTS { ?actor a kg:Krankenhausstandort } }""")
    actors = {str(a) for _, a in pairs}
    assert {BASE + "id/akteur/charite", BASE + "id/akteur/klinikum-leverkusen",
            BASE + "id/akteur/universitaetsklinikum-duesseldorf"} <= actors
    unpaired = rows(backend, """SELECT ?s WHERE { ?s <http://www.w3.org/ns/org#siteOf> ?a
        FILTER NOT EXISTS { ?a <http://www.w3.org/ns/org#hasSite> ?s } }""")
    assert not unpaired, unpaired


def test_every_kreis_links_to_one_wikidata_item(backend) -> None:
    links = rows(backend, """SELECT DISTINCT ?k ?wd WHERE { ?k a kg:Kreis . OPTIONAL { ?k kg:wikidata ?wd } }""")
    assert len(links) >= 400
    missing = [k for k, wd in links if wd is None]
    assert not missing, missing[:5]
    qids = [str(wd) for _, wd in links]
    assert all(re.fullmatch(r"http://www\.wikidata\.org/entity/Q[1-9]\d*", q) for q in qids)
    assert len(set(qids)) == len(qids), "two Kreise share a Wikidata item"
