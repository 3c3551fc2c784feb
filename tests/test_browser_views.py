"""The query page's result views and the validation page's problems table in a real browser (Debian chromium +
chromedriver via Selenium, tests/browser.py) against the real server on a store built from the repository:
labels instead of IRIs in result tables, autocomplete of project names, the map view, the problems table's
filter and a parse error that keeps the input. `make screenshots` writes three of them to docs/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from browser import built_server, chromium, wait
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

pytestmark = pytest.mark.slow
TRIANEL = "https://w3id.org/kooperationsgraph/id/kooperation/trianel"


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with built_server(tmp_path_factory) as base:
        yield base


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    with chromium(tmp_path_factory) as drv:
        yield drv


def open_query(driver, base: str, query: str, view: str = "table") -> None:
    driver.get(base + "/query#" + urlencode({"query": query, "view": view}))
    wait(driver, lambda d: d.find_element(By.ID, "yasgui").get_attribute("data-labels") == "ready", 120)


# ------------------------------------------------------------------------------------------------ query page
def test_result_iris_show_their_labels_with_the_iri_as_tooltip(driver, web_server: str) -> None:
    open_query(driver, web_server, "SELECT ?k WHERE { VALUES ?k { koop:trianel kg:Kooperation } }")
    links = {a.get_attribute("data-iri"): a for a in driver.find_elements(By.CSS_SELECTOR, ".yasr a.iri")}
    assert "Trianel" in links[TRIANEL].text and links[TRIANEL].get_attribute("title") == TRIANEL
    assert links[TRIANEL].get_attribute("href").endswith("/id/kooperation/trianel")  # this server's entity page
    assert links["https://w3id.org/kooperationsgraph/ontology#Kooperation"].text == "Kooperation"
    assert links[TRIANEL].get_attribute("data-short") == "koop:trianel"


def test_autocomplete_offers_project_classes_and_entities(driver, web_server: str) -> None:
    open_query(driver, web_server, "ASK {}")
    area = driver.find_element(By.CSS_SELECTOR, "#yasgui .CodeMirror textarea")
    driver.execute_script("document.querySelector('#yasgui .CodeMirror').CodeMirror.setValue('SELECT * WHERE { ?x a ');"
                          "document.querySelector('#yasgui .CodeMirror').CodeMirror.setCursor({line: 0, ch: 99});")
    area.send_keys("kg:Koo")
    hints = wait(driver, lambda d: [li.text for li in d.find_elements(By.CSS_SELECTOR, ".CodeMirror-hints li")] or None)
    assert "kg:Kooperation" in hints
    area.send_keys(Keys.ESCAPE, " . ?x kg:kooperation koop:tria")
    hints = wait(driver, lambda d: [li.text for li in d.find_elements(By.CSS_SELECTOR, ".CodeMirror-hints li")
                                    if li.text.startswith("koop:")] or None)
    assert "koop:trianel" in hints
