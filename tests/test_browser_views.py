"""The query page's result views and the validation page's problems table in a real browser (Debian chromium +
chromedriver via Selenium, tests/browser.py) against the real server on a store built from the repository:
labels instead of IRIs in result tables, autocomplete of project names, the map view, the problems table's
filter and a parse error that keeps the input. `make screenshots` writes three of them to docs/screenshots/."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from browser import shot, wait
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

pytestmark = pytest.mark.slow
TRIANEL = "https://w3id.org/kooperationsgraph/id/kooperation/trianel"


def open_query(driver, base: str, query: str, view: str = "table") -> None:
    driver.get("about:blank")  # a new hash alone would not reload the page
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


def test_map_view_colours_the_laender_by_count(driver, web_server: str) -> None:
    driver.get(web_server + "/query")
    driver.find_element(By.CSS_SELECTOR, 'form.example[data-example="kooperationen-pro-land"] button[type=submit]').click()
    box = wait(driver, lambda d: next(iter(d.find_elements(By.CSS_SELECTOR, "#kg-map[data-regions]")), None), 120)
    assert box.get_attribute("data-regions") == "16"
    fills = driver.execute_script("return Array.from(document.querySelectorAll('#kg-map path')).map("
                                  "function (p) { return p.getAttribute('fill'); })")
    assert len(fills) == 16 and len(set(fills)) > 3  # coloured by value, not one flat colour
    nrw = driver.find_element(By.CSS_SELECTOR, '#kg-map path[data-ars="05"]')
    assert nrw.get_attribute("data-value") not in ("", None)
    assert "GeoBasis-DE / BKG" in box.text
    driver.execute_script("document.querySelector('.yasr_header').scrollIntoView()")
    shot(driver, "map-view", "map-view.png")


def test_map_view_draws_wkt_points(driver, web_server: str) -> None:
    open_query(driver, web_server, 'SELECT ?name ?ort WHERE { VALUES (?name ?ort) { ("Berlin" "POINT(13.40 52.52)") '
                                   '("München" "POINT(11.58 48.14)") } }', "map")
    box = wait(driver, lambda d: next(iter(d.find_elements(By.CSS_SELECTOR, "#kg-map[data-points]")), None), 60)
    assert box.get_attribute("data-points") == "2"
    ys = driver.execute_script("return Array.from(document.querySelectorAll('#kg-map circle.kg-point')).map("
                               "function (c) { return Number(c.getAttribute('cy')); })")
    assert ys[0] < ys[1]  # Berlin north of Munich


def test_query_error_screenshot_shows_message_and_marked_line(driver, web_server: str) -> None:
    open_query(driver, web_server, "ASK {}")
    driver.execute_script("var cm = document.querySelector('#yasgui .CodeMirror').CodeMirror;"
                          "cm.setValue('SELECT ?k WHERE {\\n  ?k a kg:Kooperation .\\n  FILTER(\\n}'); cm.query();")
    wait(driver, lambda d: d.find_element(By.ID, "query-error").get_attribute("data-code") == "query-syntax")
    assert driver.find_element(By.ID, "query-error").get_attribute("data-line") == "4"
    assert driver.find_elements(By.CSS_SELECTOR, ".CodeMirror .kg-error-line")
    driver.execute_script("document.getElementById('yasgui').scrollIntoView()")
    shot(driver, "query-error", "query-error.png")


# ------------------------------------------------------------------------------------------------ validation page
def visible_rows(driver) -> list:
    return [r for r in driver.find_elements(By.CSS_SELECTOR, "#problems-table tbody tr") if r.is_displayed()]


def test_problems_table_pages_sorts_and_filters(driver, web_server: str) -> None:
    driver.get(web_server + "/validate")
    driver.find_element(By.ID, "s-regime").click()
    Select(driver.find_element(By.NAME, "regime")).select_by_value("ST")
    driver.find_element(By.ID, "run").click()
    wait(driver, lambda d: d.find_elements(By.ID, "problems-table"), 600)
    total = len(driver.find_elements(By.CSS_SELECTOR, "#problems-table tbody tr"))
    assert total > 50 and len(visible_rows(driver)) == 50 and driver.find_element(By.ID, "problems-pager").is_displayed()
    driver.find_element(By.ID, "pp-next").click()
    assert visible_rows(driver)[0].find_element(By.TAG_NAME, "td").text == "51"
    rule = driver.find_element(By.CSS_SELECTOR, '#problems-table th[data-key="rule"] button')
    rule.click()
    rule.click()  # descending: the highest rule number first
    first = visible_rows(driver)[0].find_elements(By.TAG_NAME, "td")[2].text
    assert first == max((r.find_elements(By.TAG_NAME, "td")[2].get_attribute("textContent")
                         for r in driver.find_elements(By.CSS_SELECTOR, "#problems-table tbody tr")),
                        key=lambda s: [int(p) if p.isdigit() else p for p in s.replace("-", " ").split()])
    box = driver.find_element(By.ID, "pf-text")
    box.send_keys("ST-1")
    rows = wait(driver, lambda d: visible_rows(d) if all("ST-1" in r.text for r in visible_rows(d)) else None)
    assert 0 < len(rows) < total and "von" in driver.find_element(By.ID, "pf-count").text
    driver.find_element(By.CSS_SELECTOR, "#problems-table tbody tr td code")  # file:line cells
    Select(driver.find_element(By.ID, "pf-sev")).select_by_value("Warning")
    driver.execute_script("document.getElementById('problems').scrollIntoView()")
    shot(driver, "problems-table", "problems-table.png")


def test_parse_error_keeps_the_input_and_selects_the_line(driver, web_server: str) -> None:
    driver.get(web_server + "/validate")
    text = '@prefix x: <urn:x#> .\nx:a x:b x:c .\nx:a x:b "offen .\n'
    box = driver.find_element(By.ID, "text")
    driver.execute_script("arguments[0].value = arguments[1]", box, text)
    driver.find_element(By.ID, "run").click()
    wait(driver, lambda d: d.find_elements(By.ID, "validate-error"), 120)
    box = driver.find_element(By.ID, "text")
    assert box.get_attribute("value") == text
    line = int(box.get_attribute("data-error-line"))
    start, end = driver.execute_script("var b = document.getElementById('text'); return [b.selectionStart, b.selectionEnd]")
    assert text[start:end] == text.splitlines()[line - 1]
    assert driver.find_element(By.CSS_SELECTOR, "#error-excerpt .bad-line").get_attribute("data-line") == str(line)
