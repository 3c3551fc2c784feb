"""Browsing through the Flask test client: the big lists (German collation, A–Z index, filter box, jump-to-page,
Land/Kreis facets and columns), entity pages (aligned duplicates hidden, tooltips, region types, editorial
notes, paged incoming links), Land pages agreeing with the Länder table, the network's tools and the ontology
page's per-class diagrams."""

from __future__ import annotations

import re
from html import unescape

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from kooperationsgraph.namespaces import KG
from kooperationsgraph.web.entity_clean import hide_aligned, is_editorial
from kooperationsgraph.web.listing import collation_key, initial

LAND_05 = "https://w3id.org/kooperationsgraph/id/land/05"
ORG_HAS_MEMBER = "http://www.w3.org/ns/org#hasMember"


def names(html: str) -> list[str]:
    """The row labels of a list page, in page order."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [unescape(m) for m in re.findall(r'<tr[^>]*><td><a href="[^"]+">([^<]+)</a>', body)]


def test_collation_files_umlauts_and_sharp_s_with_their_base_letters() -> None:
    words = ["Zwickau", "Überlingen", "Ulm", "Ärzteverbund", "Aachen", "Straße", "Strasburg", "Öhringen", "Oberhof"]
    assert sorted(words, key=collation_key) == [
        "Aachen", "Ärzteverbund", "Oberhof", "Öhringen", "Strasburg", "Straße", "Überlingen", "Ulm", "Zwickau"]
    assert initial(collation_key("Überlingen")[0]) == "U" and initial(collation_key("1. FC")[0]) == "#"


def test_gemeinden_sort_umlauts_with_their_letter_not_after_z(client) -> None:
    last = names(client.get("/lists/class/Gemeinde?page=99999").get_data(as_text=True))
    assert last and all(collation_key(n)[0][0] == "z" for n in last)  # the last page holds Z names only
    page = client.get("/lists/class/Gemeinde?q=%C3%BCberl").get_data(as_text=True)
    assert "Überlingen" in names(page)
    html = client.get("/lists/class/Gemeinde").get_data(as_text=True)
    u_page = int(re.search(r'href="/lists/class/Gemeinde\?page=(\d+)#az-U"', unescape(html)).group(1))
    rows = names(client.get(f"/lists/class/Gemeinde?page={u_page}").get_data(as_text=True))
    assert any(n.startswith("Ü") for n in rows) and any(n.startswith("U") for n in rows)  # Ü is filed under U
    keys = [collation_key(n) for n in rows]
    assert keys == sorted(keys)


def test_az_index_links_each_letter_to_the_page_where_it_starts(client) -> None:
    html = unescape(client.get("/lists/class/Gemeinde").get_data(as_text=True))
    links = dict((c, int(p)) for p, c in re.findall(r'href="/lists/class/Gemeinde\?page=(\d+)#az-([A-Z#])"', html))
    assert links["A"] == 1 and links["Z"] > links["M"] > links["B"]
    page = client.get(f"/lists/class/Gemeinde?page={links['M']}").get_data(as_text=True)
    assert 'id="az-M"' in page
    first_m = re.search(r'<tr id="az-M"><td><a href="[^"]+">([^<]+)</a>', page).group(1)
    assert collation_key(first_m)[0].startswith("m")


def test_filter_box_matches_words_and_transliterations_and_keeps_facets(client) -> None:
    rows = names(client.get("/lists/class/Gemeinde?q=muenchen").get_data(as_text=True))
    assert "München" in rows
    html = client.get(f"/lists/class/Gemeinde?q=bad&land={LAND_05}").get_data(as_text=True)
    assert all("bad" in collation_key(n)[0] for n in names(html))
    assert '<input type="hidden" name="land"' not in html.split('class="jump"')[0]  # the select carries it
    assert "Keine Einträge" in client.get("/lists/class/Gemeinde?q=xyzzyqq").get_data(as_text=True)
    hostile = client.get("/lists/class/Gemeinde?q=%22%7D%20UNION%20%7B%20?s%20?p%20?o").get_data(as_text=True)
    assert "Keine Einträge" in hostile  # the text is matched in Python, never part of a query


def test_land_and_kreis_facets_count_and_filter_and_columns_show_kreis_land_population(client) -> None:
    html = client.get("/lists/class/Gemeinde").get_data(as_text=True)
    count = int(re.search(r'value="' + re.escape(LAND_05) + r'"[^>]*>Nordrhein-Westfalen \((\d+)\)', html).group(1))
    assert count == 396
    nrw = client.get(f"/lists/class/Gemeinde?land={LAND_05}").get_data(as_text=True)
    assert f"1–50 von {count}" in nrw
    assert "<th scope=\"col\">Kreis</th>" in html and "Einwohner" in html
    herford = client.get("/lists/class/Gemeinde?q=herford").get_data(as_text=True)
    row = herford.split('href="/id/gemeinde/057580012012">Herford</a>', 1)[1].split("</tr>", 1)[0]
    assert "/id/kreis/05758" in row and "Nordrhein-Westfalen" in row and "66.551" in row


def test_jump_to_page_and_bad_arguments(client) -> None:
    html = client.get("/lists/class/Gemeinde?page=7").get_data(as_text=True)
    assert 'id="jump-page"' in html and "Seite 7 von" in html
    assert client.get("/lists/class/Gemeinde?page=abc").status_code == 400
    assert client.get("/lists/class/Gibtsnicht").status_code == 404
    assert client.get("/lists/class/Gemeinde?land=not%20an%20iri").status_code == 400


def test_hide_aligned_keeps_one_row_for_a_value_both_properties_carry() -> None:
    sub, sup, v, w = KG.hatMitglied, URIRef(ORG_HAS_MEMBER), URIRef("urn:x:a"), URIRef("urn:x:b")
    out = hide_aligned({sub: [v], sup: [v, w]}, {str(sup): {str(sub)}})
    assert out == {sub: [v], sup: [w]}
    assert hide_aligned({sub: [v], sup: [v]}, {str(sup): {str(sub)}}) == {sub: [v]}


def test_entity_page_shows_hat_mitglied_once_and_tooltips_are_never_empty(client) -> None:
    html = client.get("/id/kooperation/trianel").get_data(as_text=True)
    out = html.split('id="h-out"', 1)[1].split('id="h-src"', 1)[0]
    assert out.count("/id/akteur/stawag\"") == 1  # org:hasMember's copy of kg:hatMitglied is hidden
    assert 'href="http://www.w3.org/ns/org#hasMember"' not in out
    assert 'title=""' not in html.split('id="h-net"', 1)[0]


def test_gemeinde_herford_says_its_kreis_is_a_kreis(client) -> None:
    html = client.get("/id/gemeinde/057580012012").get_data(as_text=True)
    assert re.search(r'href="/id/kreis/05758">Herford</a> <span class="kind">\(Kreis\)</span>', html)


def test_editorial_notes_stay_off_public_pages_but_in_the_rdf(client) -> None:
    assert is_editorial(RDFS.comment, Literal("verified: value from mondaq.com"))
    assert is_editorial(SKOS.editorialNote, Literal("anything"))
    assert not is_editorial(RDFS.comment, Literal("Ein Schwellenwert"))
    assert "verified:" not in client.get("/id/schwellenwert/2026-bau").get_data(as_text=True)
    assert "verified:" in client.get("/id/schwellenwert/2026-bau?format=turtle").get_data(as_text=True)


def test_incoming_links_are_paged_with_a_count(client) -> None:
    html = client.get("/id/land/05").get_data(as_text=True)
    total = int(re.search(r'>liegt in</a> <span class="count">\((\d+)\)</span>', html).group(1))
    assert total > 100 and "Seite 1 von" in html
    page3 = client.get("/id/land/05?in=https://w3id.org/kooperationsgraph/ontology%23liegtIn&inpage=3")
    assert f"101–150 von {total}" in page3.get_data(as_text=True)
    assert client.get("/id/land/05?inpage=x").status_code == 400


@pytest.mark.parametrize("ars", ["05", "09", "11", "16"])
def test_land_page_counts_equal_the_laender_table(client, ars: str) -> None:
    table = client.get("/lists/laender").get_data(as_text=True)
    row = table.split(f"<tr><td>{ars}</td>", 1)[1].split("</tr>", 1)[0]
    koop, akt = (int(x) for x in re.findall(r'class="num">(\d+)<', row))
    page = client.get(f"/id/land/{ars}").get_data(as_text=True)
    h3 = re.findall(r'<h3 id="land-(kooperationen|akteure)">(\d+) ', page)
    assert dict(h3) == {"kooperationen": str(koop), "akteure": str(akt)}
    listed = client.get(f"/lists/kooperationen?land=https://w3id.org/kooperationsgraph/id/land/{ars}")
    assert (f"von {koop}" in listed.get_data(as_text=True)) or koop == 0


def test_network_tools_empty_message_neighbours_and_short_land_filter(client) -> None:
    html = client.get("/network").get_data(as_text=True)
    for marker in ('id="net-q"', 'class="legend"', 'id="net-list"', 'data-expand="/network/neighbours.json"'):
        assert marker in html
    empty = client.get("/network?land=https://w3id.org/kooperationsgraph/id/land/99").get_data(as_text=True)
    assert 'id="net-empty"' in empty and 'id="net"' not in empty
    def blob(path: str) -> str:
        return client.get(path).get_data(as_text=True).split('id="net-data">', 1)[1].split("</script>", 1)[0]

    assert blob("/network?land=09") == blob("/network?land=https://w3id.org/kooperationsgraph/id/land/09")
    data = client.get("/network/neighbours.json?node=https://w3id.org/kooperationsgraph/id/kooperation/trianel").json
    ids = {n["id"] for n in data["nodes"]}
    assert "https://w3id.org/kooperationsgraph/id/akteur/stawag" in ids and data["total"] == len(data["edges"])
    assert client.get("/network/neighbours.json").status_code == 400


def test_wheel_sensitivity_is_not_customised() -> None:
    from pathlib import Path

    js = (Path(__file__).resolve().parents[1] / "src/kooperationsgraph/web/static/js/netview.js").read_text()
    assert "wheelSensitivity" not in js


def test_ontology_page_draws_one_small_diagram_per_class(client) -> None:
    html = client.get("/ontology").get_data(as_text=True)
    diagrams = re.findall(r'<pre class="kg-diagram"[^>]*>(.*?)</pre>', html, re.S)
    assert len(diagrams) > 50
    assert max(d.count("\n") for d in diagrams) <= 27  # at most MAX_EDGES edges each: no tangle
    assert 'id="Kooperation"' in html and "ontology-diagrams.js" in html
