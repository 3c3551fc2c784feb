"""The Resilienz page in a real browser (Debian chromium + chromedriver via Selenium) against the real server
(`kooperationsgraph serve`) on a store built from the repository into a temp dir, like tests/test_browser.py:
autocomplete, picking and dropping what fails, the result of the real Lübeck scenario, the network picture with
the failed node highlighted, the permalink, English, and the entity page's link to its scenario."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from browser import built_server, console_errors, shot, wait
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec

pytestmark = pytest.mark.slow
SW_LUEBECK = "https://w3id.org/kooperationsgraph/id/akteur/stadtwerke-luebeck-gmbh"
BERLIN_SW = "https://w3id.org/kooperationsgraph/id/akteur/berliner-stadtwerke"
LUEBECK_GEMEINDE = "https://w3id.org/kooperationsgraph/id/gemeinde/010030000000"
STROM = "https://w3id.org/kooperationsgraph/id/gut/strom"



@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The analysis is warmed once (it is built per store version) so that the page loads below wait for the
    browser only."""
    with built_server(tmp_path_factory) as base:
        urllib.request.urlopen(base + "/resilience/suggest?q=xx", timeout=600)  # a generous bound for a loaded machine
        yield base


def suggestion(driver, iri: str):
    return wait(driver, lambda d: next((li for li in d.find_elements(By.CSS_SELECTOR, "#rz-list li")
                                        if li.get_attribute("data-iri") == iri and li.is_displayed()), None))


def picked(driver) -> list[str]:
    return [li.get_attribute("data-iri") for li in driver.find_elements(By.CSS_SELECTOR, "#rz-picked li")]


def goods_cell(driver, good: str, column: int) -> str:
    row = driver.find_element(By.CSS_SELECTOR, f'#rz-goods tr[data-good="{good}"]')
    return row.find_elements(By.CSS_SELECTOR, "th, td")[column].text


# ------------------------------------------------------------------------------------------------ scenarios
def test_pick_by_autocomplete_then_see_the_result_and_the_failed_node(driver, web_server: str) -> None:
    driver.get(web_server + "/resilience")
    box = driver.find_element(By.ID, "rz-q")
    box.send_keys("Stadtwerke Lübeck")
    suggestion(driver, SW_LUEBECK).find_element(By.TAG_NAME, "a").click()
    assert picked(driver) == [SW_LUEBECK] and box.get_attribute("value") == ""
    box.send_keys("Berliner Stadtwerke")  # a second pick by keyboard, then dropped again
    suggestion(driver, BERLIN_SW)
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    wait(driver, lambda d: picked(d) == [SW_LUEBECK, BERLIN_SW])
    driver.find_element(By.CSS_SELECTOR, f'#rz-picked li[data-iri="{BERLIN_SW}"] .rz-drop').click()
    assert picked(driver) == [SW_LUEBECK]
    shot(driver, "resilience-pick")
    driver.find_element(By.ID, "rz-run").click()
    wait(driver, ec.presence_of_element_located((By.ID, "rz-result")))
    assert "remove=" + quote(SW_LUEBECK, safe="") in driver.current_url and "remove=&" not in driver.current_url
    assert goods_cell(driver, STROM, 1) == "216.277"
    assert "Energie-Kooperation Sana Kliniken Lübeck" in driver.find_element(By.ID, "rz-coops").text
    assert "Notstromversorgung der Krankenhäuser" in driver.find_element(By.ID, "rz-sites").text
    # the network picture: drawn, the failed node red, the Gemeinde without electricity marked as cut off
    wait(driver, lambda d: d.find_element(By.ID, "net").get_attribute("data-failed") == "1")
    wait(driver, lambda d: d.execute_script("return document.querySelector('#net canvas') !== null"))
    failed = driver.execute_script("return window.kgNetwork.nodes(\"[state = 'failed']\").map(function (n) "
                                   "{ return [n.id(), n.style('background-color')]; })")
    assert failed == [[SW_LUEBECK, "rgb(185,28,28)"]]
    cut = driver.execute_script("return window.kgNetwork.getElementById(arguments[0]).data('state')", LUEBECK_GEMEINDE)
    assert cut == "cut"
    shot(driver, "resilience-result")
    assert console_errors(driver) == []


def test_permalink_reopens_the_scenario_in_english(driver, web_server: str) -> None:
    driver.get(web_server + "/resilience?remove=" + quote(SW_LUEBECK, safe="") + "&lang=en")
    wait(driver, ec.presence_of_element_located((By.ID, "rz-result")))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert goods_cell(driver, STROM, 0) == "Electricity" and goods_cell(driver, STROM, 1) == "216,277"
    assert picked(driver) == [SW_LUEBECK], "the form shows the scenario it computed"
    permalink = driver.find_element(By.ID, "rz-permalink").get_attribute("href")
    driver.get(permalink)
    wait(driver, lambda d: d.find_element(By.ID, "net").get_attribute("data-failed") == "1")
    assert goods_cell(driver, STROM, 1) == "216,277"
    driver.get(web_server + "/lang/de?next=/resilience")
    assert console_errors(driver) == []


def test_entity_page_links_to_its_scenario(driver, web_server: str) -> None:
    driver.get(web_server + "/id/akteur/stadtwerke-luebeck-gmbh")
    wait(driver, lambda d: "216.277" in d.find_element(By.ID, "if-this-fails").text)  # inline or loaded by script
    section = driver.find_element(By.ID, "if-this-fails")
    section.find_element(By.ID, "if-this-fails-scenario").click()
    wait(driver, ec.presence_of_element_located((By.ID, "rz-result")))
    assert goods_cell(driver, STROM, 1) == "216.277"
    assert console_errors(driver) == []
