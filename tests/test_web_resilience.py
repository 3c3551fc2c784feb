"""The Resilienz page through the Flask test client: the scenario in the query string (permalink), the figures of
a real scenario (Stadtwerke Lübeck: electricity lost for 216,277 people, hospitals at risk for 24 hours of emergency
power), CSV and JSON downloads, suggestions, the single points of failure, 404 for unknown IRIs, hostile query
strings, German and English, and the "if this fails" section of entity pages."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import pytest

from kooperationsgraph.config import Settings
from kooperationsgraph.namespaces import PREFIXES
from kooperationsgraph.resilience.dominators import dominator_sweep
from kooperationsgraph.resilience.render import whatif_json
from kooperationsgraph.resilience.whatif import what_if
from kooperationsgraph.web import create_app

GUT = PREFIXES["gut"]
STROM, KH = GUT + "strom", GUT + "krankenhausversorgung"
SW_LUEBECK = PREFIXES["akteur"] + "stadtwerke-luebeck-gmbh"
BERLIN_SW = PREFIXES["akteur"] + "berliner-stadtwerke"
COOP_LUEBECK = "https://w3id.org/kooperationsgraph/id/kooperation/sana-kliniken-luebeck-stadtwerke-luebeck"
NOTSTROM = "https://w3id.org/kooperationsgraph/id/notversorgung/krankenhaus-notstrom"
LUEBECK = "/resilience?remove=" + quote(SW_LUEBECK, safe="")


@pytest.fixture(scope="module")
def rz_app(settings: Settings):
    """One app for the module: the analysis is built once per app and store version, as in production."""
    return create_app(settings, {"TESTING": True})


@pytest.fixture()
def client(rz_app):
    return rz_app.test_client()  # fresh cookies (language) per test, shared analysis


@pytest.fixture(scope="module")
def index(rz_app):
    from kooperationsgraph.web.extensions import cached_resilience

    with rz_app.app_context():
        return cached_resilience()


def html_of(client, url: str, status: int = 200) -> str:
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.status_code)
    return resp.get_data(as_text=True)


def row_of(html: str, table_id: str, *keys: str) -> str:
    table = html[html.index(f'id="{table_id}"'):]
    table = table[:table.index("</table>")]
    rows = [r for r in table.split("<tr") if all(k in r for k in keys)]
    assert rows, f"no row with {keys!r} in #{table_id}"
    return rows[0]


def cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]


# ----------------------------------------------------------------------------------------------- the page
def test_page_without_scenario_has_form_navigation_and_ranked_single_points_of_failure(client) -> None:
    html = html_of(client, "/resilience")
    assert '<a href="/resilience" aria-current="page">Resilienz</a>' in html
    assert 'id="rz-q"' in html and 'data-suggest="/resilience/suggest"' in html
    assert "Hinweise, keine Prognose" in html
    strom = html[html.index(f'data-good="{STROM}"'):]
    first = cells(strom[strom.index("<tbody>"):].split("<tr")[1])
    assert first[1] == "Berliner Stadtwerke" and first[2].startswith("3.677.472")
    assert "⚠" in first[2], "above the BSI-KritisV threshold of 500,000 people"
    assert 'id="rz-result"' not in html


def test_luebeck_scenario_shows_the_cli_figures(client) -> None:
    html = html_of(client, "/resilience?remove=Stadtwerke+L%C3%BCbeck+GmbH")
    assert cells(row_of(html, "rz-goods", f'data-good="{STROM}"'))[:2] == ["Strom", "216.277"]
    kh = cells(row_of(html, "rz-goods", f'data-good="{KH}"'))
    assert kh[1] == "0" and kh[4] == "216.277", "hospital care: not lost, at risk on emergency power"
    assert "Sana Kliniken Lübeck GmbH" in cells(row_of(html, "rz-goods", f'data-good="{STROM}"'))[5]
    # the Kreise table (no Kreis boundaries at hand: said on the page) and the shaded Länder map
    assert cells(row_of(html, "rz-kreise", "01003", ">Strom<"))[:3] == ["Lübeck (01003)", "Strom", "216.277"]
    assert "Kreisgrenzen liegen nicht vor" in html
    assert 'data-ars="01" data-people="216277"' in html and 'data-ars="02" data-people="0"' in html
    # hospital sites at risk, the backup named with its hours
    sites = html[html.index('id="rz-sites"'):html.index("</table>", html.index('id="rz-sites"'))]
    assert sites.count('data-order="risk"') == 13 and 'data-order="first"' not in sites
    assert "24 Stunden Notversorgung für Strom" in sites and "Notstromversorgung der Krankenhäuser" in sites
    assert "13 Versorger von Krankenhausversorgung überbrücken den Ausfall von Strom für 24 Stunden" in html
    # the cooperation that loses a member, and derived supply shown as such
    assert cells(row_of(html, "rz-coops", "Energie-Kooperation"))[1:] == ["Stadtwerke Lübeck GmbH", "1", "2", "ja"]
    assert "abgeleitet" in html
    # the network picture data: the failed node and the cut-off Gemeinde
    net = re.search(r'<script type="application/json" id="net-data">(.*?)</script>', html, re.S).group(1)
    assert f'"id": "{SW_LUEBECK}"' in net and '"state": "failed"' in net
    assert '"id": "https://w3id.org/kooperationsgraph/id/gemeinde/010030000000"' in net


def test_permalink_uses_iris_and_reopens_the_same_scenario(client) -> None:
    html = html_of(client, "/resilience?remove=Stadtwerke+L%C3%BCbeck+GmbH&good=strom")
    link = re.search(r'id="rz-permalink" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "remove=https" in link and "good=https" in link
    again = html_of(client, link)
    assert cells(row_of(again, "rz-goods", f'data-good="{STROM}"'))[:2] == ["Strom", "216.277"]
    assert f'data-good="{KH}"' not in again[again.index('id="rz-goods"'):again.index('id="h-spof"')], "good filter"


def test_several_removals_add_up(client) -> None:
    html = html_of(client, LUEBECK + "&remove=" + quote(BERLIN_SW, safe=""))
    people = cells(row_of(html, "rz-goods", f'data-good="{STROM}"'))[1]
    assert people == "3.893.749 ⚠"  # 216,277 + 3,677,472, above the BSI-KritisV threshold


def test_land_filter_counts_only_that_land(client) -> None:
    html = html_of(client, LUEBECK + "&land=02")
    assert cells(row_of(html, "rz-goods", f'data-good="{STROM}"'))[1:5] == ["0", "0", "0", "0"]
    assert 'id="rz-kreise"' not in html
    html = html_of(client, "/resilience?land=01")
    assert "Berliner Stadtwerke" not in html[html.index('id="rz-spof"'):]


def test_english_page(client) -> None:
    html = html_of(client, LUEBECK + "&lang=en")
    assert '<html lang="en">' in html and "Resilience: what if … fails" in html
    assert cells(row_of(html, "rz-goods", f'data-good="{STROM}"'))[:2] == ["Electricity", "216,277"]
    assert "derived" in html and "No Kreis boundaries are available" in html
    assert "Findings are indicative" in html


# ------------------------------------------------------------------------------------------------ downloads
def test_json_download_equals_the_analysis(client, index) -> None:
    resp = client.get(LUEBECK + "&format=json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.get_json()
    expected = whatif_json(index.data, what_if(index.data, [SW_LUEBECK], index.graphs))
    for key in ("removed", "first_order", "second_order", "at_risk", "cooperations", "hospitals"):
        assert body[key] == expected[key], key
    strom = next(g for g in body["first_order"] if g["good"] == STROM)
    assert strom["people_lost"] == 216_277
    assert {s["order"] for s in body["hospital_sites"]} == {"risk"}
    assert all(s["backup"] == NOTSTROM and s["hours"] == 24.0 for s in body["hospital_sites"])
    assert body["permalink"].startswith("/resilience?remove=https")


def test_csv_download_by_format_and_by_accept(client) -> None:
    for url, headers in ((LUEBECK + "&format=csv", {}), (LUEBECK, {"Accept": "text/csv"})):
        resp = client.get(url, headers=headers)
        assert resp.status_code == 200 and resp.mimetype == "text/csv", url
        rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
        strom = [r for r in rows if r["good"] == STROM and r["order"] == "first" and r["loss"] == "all"]
        assert [(r["area_name"], r["people"], r["basis"]) for r in strom] == [("Lübeck", "216277", "derived")]
    assert client.get(LUEBECK, headers={"Accept": "application/json"}).mimetype == "application/json"


def test_spof_downloads_without_a_scenario(client) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/resilience?format=csv&good=strom").get_data(as_text=True))))
    assert rows[0]["node"] == BERLIN_SW and rows[0]["people"] == "3677472"
    assert {r["good"] for r in rows} == {STROM}
    body = client.get("/resilience?format=json&land=01").get_json()
    assert body["land"] == "01" and all(p["node"] != BERLIN_SW for g in body["goods"]
                                        for p in g["single_points_of_failure"])


# ----------------------------------------------------------------------------------------------- suggestions
def test_suggest_finds_what_can_fail(client) -> None:
    hits = client.get("/resilience/suggest?q=stadtwerke+l%C3%BCbeck").get_json()["hits"]
    assert hits[0]["iri"] == SW_LUEBECK and hits[0]["href"] == "/id/akteur/stadtwerke-luebeck-gmbh"
    hits = client.get("/resilience/suggest?q=kleeblatt").get_json()["hits"]
    assert any(h["kind"] == "kooperation" for h in hits)
    assert client.get("/resilience/suggest?q=").get_json()["hits"] == []


# ---------------------------------------------------------------------------------------------- bad requests
def test_unknown_iri_in_a_permalink_is_404(client) -> None:
    url = "/resilience?remove=" + quote(PREFIXES["akteur"] + "gibt-es-nicht", safe="")
    html = html_of(client, url, 404)
    assert "Nichts namens" in html and 'id="rz-q"' in html, "a clear message and the form to try again"
    resp = client.get(url + "&format=json")
    assert resp.status_code == 404 and resp.get_json()["error"] == "not-found"
    assert html_of(client, "/resilience?remove=akteur:gibt-es-nicht", 404)


def test_ambiguous_label_offers_choices(client) -> None:
    html = html_of(client, "/resilience?remove=Stadtwerke", 400)
    assert "mehrdeutig" in html and 'href="/resilience?remove=https' in html


@pytest.mark.parametrize(("query", "status"), [
    ("land=99", 400), ("land=1", 400), ("land=%27%3B--", 400), ("good=kein-gut", 400), ("format=xml", 400),
    ("remove=%3Cscript%3Ealert(1)%3C/script%3E", 404),
    ("remove=%22%7D+DROP+ALL+%7B%22", 404),
    ("remove=" + "x" * 5000, 400),
    ("remove=" + "&remove=".join(f"a{i}" for i in range(50)), 400),
    ("remove=%00%01%02", 404),
    ("remove=&good=&land=", 200),
    ("remove=%E2%80%AE%F0%9F%92%A5", 404),
    ("remove=javascript:alert(1)", 404),
])
def test_hostile_query_strings_get_a_clear_answer_and_change_nothing(client, backend, query: str, status: int) -> None:
    before = backend.version()
    resp = client.get("/resilience?" + query)
    assert resp.status_code == status, resp.get_data(as_text=True)[:300]
    html = resp.get_data(as_text=True)
    assert "<script>alert" not in html and "Traceback" not in html
    assert backend.version() == before


# ----------------------------------------------------------------------------------------------- entity pages
def test_cold_entity_page_does_not_wait_for_the_analysis(settings) -> None:
    """A fresh app has no analysis yet: the page comes with a placeholder, the section loads as a fragment."""
    cold = create_app(settings, {"TESTING": True}).test_client()
    html = html_of(cold, "/id/akteur/stadtwerke-luebeck-gmbh")
    sec = html[html.index('<section aria-labelledby="h-fails"'):]
    sec = sec[:sec.index("</section>")]
    assert 'data-src="/resilience/entity?iri=' in sec and "216.277" not in sec
    src = re.search(r'data-src="([^"]+)"', sec).group(1).replace("&amp;", "&")
    frag = html_of(cold, src)
    assert frag.lstrip().startswith('<section aria-labelledby="h-fails" id="if-this-fails">')
    assert "Strom: 216.277 Menschen in 1 Gemeinde" in frag
    assert "216.277" in html_of(cold, "/id/akteur/stadtwerke-luebeck-gmbh"), "once built, the page shows it inline"
    assert cold.get("/resilience/entity?iri=nonsense").status_code == 400
    assert cold.get("/resilience/entity?iri=https://w3id.org/kooperationsgraph/id/kreis/01003").status_code == 404


def test_entity_page_shows_who_depends_on_it_alone(client, index) -> None:
    html = html_of(client, "/id/akteur/stadtwerke-luebeck-gmbh")
    sec = html[html.index('id="if-this-fails"'):]
    sec = sec[:sec.index("</section>")]
    assert "Wenn dies ausfällt" in sec and "Strom: 216.277 Menschen in 1 Gemeinde" in sec
    assert re.search(r"in 1 Gemeinde <span class=\"derived\"[^>]*>\(abgeleitet\)", sec), "the seat rule, not a source"
    assert 'href="/id/kreis/01003"' in sec and "Sana Kliniken Lübeck GmbH" in sec
    assert f'href="/resilience?remove={SW_LUEBECK}"' in sec
    en = html_of(client, "/id/akteur/stadtwerke-luebeck-gmbh?lang=en")
    assert "If this fails" in en and "Electricity: 216,277 people in 1 Gemeinde" in en


def test_cooperation_page_and_pages_of_areas(client, index) -> None:
    sec = html_of(client, "/id/kooperation/trianel")
    sec = sec[sec.index('id="if-this-fails"'):]
    assert "STAWAG" in sec[:sec.index("</section>")], "Trianel alone supplies energy trading to its members"
    assert 'id="if-this-fails"' not in html_of(client, "/id/kreis/01003")


def test_entity_section_is_a_lookup_in_the_cached_analysis(client, rz_app, index) -> None:
    html_of(client, "/id/akteur/berliner-stadtwerke")
    html_of(client, "/resilience")
    from kooperationsgraph.web.extensions import cached_resilience

    with rz_app.app_context():
        assert cached_resilience() is index, "one analysis per store version, not one per request"
    # the subtree of a node in the dominator tree is exactly its single-failure loss (= spof ranking)
    gg = index.graphs[STROM]
    losses = dominator_sweep(gg)
    for node, loss in list(losses.items())[:200]:
        dep = {d.good: d for d in index.dependents(node)}[STROM]
        assert (dep.people, len(dep.leaves), len(dep.actors)) == (loss.people, loss.leaves, loss.actors), node
