"""Browsing in a real browser (Debian chromium + chromedriver via Selenium) against the real server on a store
built from the repository into a temp dir (tests/browser.py): the big lists' A–Z index, Land facet, filter box
and German collation; the network's node search, expand-on-click and keyboard list; an entity page without
aligned duplicate rows; a Land page whose counts equal the Länder table; the ontology page's linked diagrams."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator

import pytest
from browser import built_server, console_errors, shot, wait
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from kooperationsgraph.web.listing import collation_key

pytestmark = pytest.mark.slow
TRIANEL = "https://w3id.org/kooperationsgraph/id/kooperation/trianel"
STAWAG = "https://w3id.org/kooperationsgraph/id/akteur/stawag"
NRW = "https://w3id.org/kooperationsgraph/id/land/05"


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Lists and the label index are built once per store version: warmed here so the pages below wait for the
    browser only."""
    with built_server(tmp_path_factory) as base:
        for path in ("/lists/class/Gemeinde", "/network"):
            urllib.request.urlopen(base + path, timeout=600)  # a generous bound for a loaded machine
        yield base


def row_names(driver) -> list[str]:
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child a")]


def test_az_index_jumps_to_u_where_umlauts_sort_with_their_letter(driver, web_server: str) -> None:
    driver.get(web_server + "/lists/class/Gemeinde")
    driver.find_element(By.CSS_SELECTOR, "nav.az").find_element(By.LINK_TEXT, "U").click()
    wait(driver, lambda d: "#az-U" in d.current_url and "page=" in d.current_url)
    names = row_names(driver)
    assert any(n.startswith("Ü") for n in names) and any(n.startswith("U") for n in names)
    keys = [collation_key(n) for n in names]
    assert keys == sorted(keys), "Ü names are filed under U, not after Z"
    first_u = driver.find_element(By.ID, "az-U").find_element(By.TAG_NAME, "a").text
    assert collation_key(first_u)[0].startswith("u")
    shot(driver, "lists-az-u")
    assert console_errors(driver) == []


def test_land_facet_and_filter_box_narrow_the_list(driver, web_server: str) -> None:
    driver.get(web_server + "/lists/class/Gemeinde")
    option = driver.find_element(By.CSS_SELECTOR, f'#list-land option[value="{NRW}"]').text
    n = int(re.search(r"\((\d+)\)", option).group(1))
    Select(driver.find_element(By.ID, "list-land")).select_by_value(NRW)
    box = driver.find_element(By.ID, "list-q")
    box.send_keys("bad", Keys.ENTER)
    wait(driver, lambda d: "q=bad" in d.current_url)
    assert "land=" in driver.current_url
    names = row_names(driver)
    assert names and all("bad" in collation_key(x)[0] for x in names)
    lands = {td.text for td in driver.find_elements(By.CSS_SELECTOR, "tbody tr td:nth-child(4)")}
    assert lands == {"Nordrhein-Westfalen"}
    driver.get(web_server + "/lists/class/Gemeinde?land=" + NRW)
    assert f"von {n}" in driver.find_element(By.CSS_SELECTOR, "nav.pager").text
    driver.find_element(By.ID, "list-q").send_keys("muenster", Keys.ENTER)  # transliteration finds "Münster"
    wait(driver, lambda d: "Münster" in row_names(d))
    shot(driver, "lists-filter")


def test_network_search_centres_a_node_and_a_click_expands_its_neighbours(driver, web_server: str) -> None:
    driver.get(web_server + "/network?land=05")
    wait(driver, lambda d: int(d.find_element(By.ID, "net").get_attribute("data-nodes") or 0) > 5)
    driver.find_element(By.ID, "net-q").send_keys("STAWAG", Keys.ENTER)
    wait(driver, lambda d: d.find_element(By.ID, "net").get_attribute("data-found") == STAWAG)
    assert "STAWAG" in driver.find_element(By.ID, "net-found").text
    assert driver.execute_script("return window.kgNetwork.getElementById(arguments[0]).hasClass('kg-hit')", STAWAG)
    driver.execute_script("window.kgNetwork.getElementById(arguments[0]).emit('tap')", STAWAG)
    wait(driver, lambda d: d.find_element(By.ID, "net").get_attribute("data-expanded") == STAWAG)
    assert driver.current_url.endswith("/network?land=05"), "a click expands instead of leaving the page"
    with urllib.request.urlopen(web_server + "/network/neighbours.json?node=" + STAWAG) as resp:
        neighbours = [n["id"] for n in json.load(resp)["nodes"]]
    present = driver.execute_script("return arguments[0].filter(function (id) { "
                                    "return window.kgNetwork.getElementById(id).length > 0; }).length", neighbours)
    assert present == len(neighbours)
    link = driver.find_element(By.CSS_SELECTOR, "#net-selected a")
    assert link.get_attribute("href").endswith("/id/akteur/stawag")
    shot(driver, "network-expand")
    warnings = [e["message"] for e in driver.get_log("browser") if "wheel" in e["message"].lower()]
    assert warnings == [] and console_errors(driver) == []


def test_network_node_list_works_from_the_keyboard_and_an_empty_filter_says_so(driver, web_server: str) -> None:
    driver.get(web_server + "/network?land=05")
    wait(driver, lambda d: int(d.find_element(By.ID, "net").get_attribute("data-nodes") or 0) > 5)
    driver.find_element(By.CSS_SELECTOR, "#net-list summary").send_keys(Keys.ENTER)
    button = driver.find_element(By.CSS_SELECTOR, f'#net-list button[data-node="{TRIANEL}"]')
    button.send_keys(Keys.ENTER)
    wait(driver, lambda d: d.find_element(By.ID, "net").get_attribute("data-expanded") == TRIANEL)
    driver.get(web_server + "/network?land=https://w3id.org/kooperationsgraph/id/land/99")
    assert driver.find_element(By.ID, "net-empty").is_displayed()
    assert driver.find_elements(By.ID, "net") == []


def test_entity_page_shows_each_member_once(driver, web_server: str) -> None:
    driver.get(web_server + "/id/kooperation/trianel")
    props = driver.find_element(By.CSS_SELECTOR, "#h-out + dl.props")
    labels = [dt.text for dt in props.find_elements(By.TAG_NAME, "dt")]
    assert "hat Mitglied" in labels and not any("hasMember" in x for x in labels)
    links = [a.get_attribute("href") for a in props.find_elements(By.CSS_SELECTOR, "dd a")]
    assert sum(1 for h in links if h.endswith("/id/akteur/stawag")) == 1
    titles = [a.get_attribute("title") for a in props.find_elements(By.CSS_SELECTOR, "dt a.prop")]
    assert all(titles), "every property has a tooltip"


def test_land_page_counts_equal_the_laender_table(driver, web_server: str) -> None:
    driver.get(web_server + "/lists/laender")
    row = driver.find_element(By.XPATH, "//tbody/tr[td[1]='05']")
    koop, akt = (int(td.text) for td in row.find_elements(By.CSS_SELECTOR, "td.num"))
    row.find_element(By.TAG_NAME, "a").click()
    wait(driver, lambda d: d.current_url.endswith("/id/land/05"))
    assert driver.find_element(By.ID, "land-kooperationen").text.split()[0] == str(koop)
    assert driver.find_element(By.ID, "land-akteure").text.split()[0] == str(akt)
    assert koop > 1
    shot(driver, "land-page")


def test_ontology_diagram_boxes_link_to_the_class_sections(driver, web_server: str) -> None:
    driver.get(web_server + "/ontology")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "pre.kg-diagram[data-linked] g[data-target]"))
    box = driver.find_element(By.CSS_SELECTOR, "pre.kg-diagram[data-linked] g[data-target='#Netzwerk']")
    driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", box)
    wait(driver, lambda d: d.current_url.endswith("#Netzwerk"))
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#Netzwerk details.diagram").get_attribute("open"))
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#Netzwerk pre.kg-diagram svg"))
    shot(driver, "ontology-diagram")
    assert console_errors(driver) == []
