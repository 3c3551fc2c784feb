"""The web UI in a real browser (Debian chromium + chromedriver via Selenium) against the real server
(`kooperationsgraph serve`) on a store built from the repository into a temp dir. Screenshots of the main
pages go to tests/artifacts/ (not committed); the four the README shows
are copied to docs/screenshots/ only by `make screenshots` (KG_SCREENSHOTS=1): a test run leaves the checkout
clean."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest
from browser import built_server, console_errors, wait
from browser import shot as _shot
from live import REPO
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec

README_SHOTS = {"start": "start.png", "entity": "entity.png", "query": "query.png",
                "report": "validation-report.png"}
TOKEN = "browser-test-token"


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with built_server(tmp_path_factory, "--write-token", TOKEN) as base:
        yield base


def shot(driver, name: str):
    return _shot(driver, name, README_SHOTS.get(name))


def sparql_available(base: str) -> bool:
    try:
        urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=10)
        return True
    except OSError:
        return False


# ------------------------------------------------------------------------------------------ scenarios
def test_search_trianel_then_entity_then_member_then_back(driver, web_server: str) -> None:
    driver.get(web_server + "/")
    shot(driver, "start")
    box = driver.find_element(By.ID, "qs")
    box.send_keys("Trianel")
    first = wait(driver, ec.visibility_of_element_located((By.CSS_SELECTOR, "#qs-list li a")))
    assert "Trianel" in first.text
    box.send_keys(Keys.ENTER)  # full results page, grouped by type
    wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, "ul.results")))
    driver.find_element(By.CSS_SELECTOR, 'a[href="/id/kooperation/trianel"]').click()
    wait(driver, ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Trianel GmbH"))
    wait(driver, lambda d: int(d.find_element(By.ID, "net").get_attribute("data-nodes") or 0) > 1)
    shot(driver, "entity")
    entity_url = driver.current_url
    driver.find_element(By.CSS_SELECTOR, '#h-members ~ div a[href="/id/akteur/stawag"]').click()
    wait(driver, ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "STAWAG"))
    driver.back()
    wait(driver, ec.url_to_be(entity_url))
    assert "Trianel GmbH" in driver.find_element(By.TAG_NAME, "h1").text
    assert console_errors(driver) == []


def test_switch_to_english_shows_english_labels_and_persists(driver, web_server: str) -> None:
    driver.get(web_server + "/id/kooperation/trianel")
    driver.find_element(By.CSS_SELECTOR, "a.langswitch").click()
    wait(driver, ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "municipal utility cooperation"))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    driver.get(web_server + "/lists/sektoren")  # the choice persists (cookie)
    assert "Energy" in driver.find_element(By.TAG_NAME, "main").text
    shot(driver, "sectors-en")
    driver.find_element(By.CSS_SELECTOR, "a.langswitch").click()
    wait(driver, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de")
    assert console_errors(driver) == []


def test_network_page_draws_nodes(driver, web_server: str) -> None:
    driver.get(web_server + "/network")
    wait(driver, lambda d: int(d.find_element(By.ID, "net").get_attribute("data-nodes") or 0) > 10)
    wait(driver, lambda d: d.execute_script("return document.querySelector('#net canvas') !== null"))
    shot(driver, "network")
    assert console_errors(driver) == []


def upload(driver, base: str, example: str, save: bool) -> None:
    driver.get(base + "/validate")
    driver.find_element(By.ID, "file").send_keys(str(REPO / "data" / "examples" / example))
    if save:
        driver.find_element(By.ID, "save").click()
        driver.find_element(By.ID, "token").send_keys(TOKEN)
    old_page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, "run").click()
    wait(driver, ec.staleness_of(old_page))
    wait(driver, ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Prüfbericht"))


def test_upload_violating_example_shows_rule_citation_and_hint(driver, web_server: str) -> None:
    driver.get(web_server + "/validate")
    shot(driver, "validate")
    upload(driver, web_server, "ds-1-verstoss.ttl", save=False)
    rule = driver.find_element(By.CSS_SELECTOR, 'article.rule[data-rule="DS-1"]')
    assert "DS-1" in rule.text
    assert rule.find_element(By.CSS_SELECTOR, ".citation a").get_attribute("href")
    assert "Was zu tun ist" in rule.find_element(By.CSS_SELECTOR, ".hint").text
    focus = rule.find_element(By.CSS_SELECTOR, "li.finding a").get_attribute("href")
    assert "#u" in focus  # the uploaded entity, shown with its triples in the report
    assert driver.find_element(By.ID, focus.rsplit("#", 1)[1]).find_element(By.TAG_NAME, "table")
    shot(driver, "report")
    assert console_errors(driver) == []


def test_history_shows_a_fixed_finding_after_the_data_is_corrected(driver, web_server: str) -> None:
    upload(driver, web_server, "ds-1-verstoss.ttl", save=True)
    assert "gespeichert" in driver.find_element(By.ID, "save-notice").text
    upload(driver, web_server, "ds-1-konform.ttl", save=True)
    diff = driver.find_element(By.ID, "diff").text
    assert "behoben 1" in diff and "DS-1" in diff
    driver.get(web_server + "/validate/history")
    fixed = driver.find_element(By.ID, "h-fixed")
    assert "DS-1" in fixed.text
    shot(driver, "history")
    assert console_errors(driver) == []


def test_catalogue_query_runs_and_shows_rows(driver, web_server: str) -> None:
    if not sparql_available(web_server):
        pytest.fail("the /sparql endpoint is missing")
    driver.get(web_server + "/query")
    examples = driver.find_elements(By.CSS_SELECTOR, "form.example")
    if not examples:
        pytest.fail("the query catalogue is missing")
    examples[0].find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr, #yasr-network canvas, "
                                                                ".yasr svg rect")) > 0, timeout=40)
    assert "#query=" in driver.current_url  # permalink
    shot(driver, "query")
    assert console_errors(driver) == []


def test_query_editor_runs_and_permalink_reopens_query_and_view(driver, web_server: str) -> None:
    if not sparql_available(web_server):
        pytest.fail("the /sparql endpoint is missing")
    driver.get(web_server + "/query")
    wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
    driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")) > 0, timeout=40)
    wait(driver, lambda d: "#query=" in d.current_url)
    permalink = driver.current_url.replace("view=table", "view=barchart")
    driver.get("about:blank")
    driver.get(permalink)
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".yasr svg rect")) > 0, timeout=40)
    shot(driver, "query-permalink-barchart")
    assert console_errors(driver) == []


@pytest.mark.parametrize("path", ["/", "/search?q=edeka", "/lists", "/lists/kooperationen", "/lists/laender",
                                  "/lists/sektoren", "/ontology", "/id/kreis/05334", "/validate/history"])
def test_no_console_errors_on_reading_pages(driver, web_server: str, path: str) -> None:
    driver.get(web_server + path)
    wait(driver, ec.presence_of_element_located((By.TAG_NAME, "footer")))
    if path == "/ontology":
        wait(driver, lambda d: d.execute_script("return !!document.querySelector('pre.kg-diagram svg')"))
    shot(driver, "page-" + (path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"))
    assert console_errors(driver) == []


def test_mobile_width_has_no_horizontal_scroll(driver, web_server: str) -> None:
    driver.set_window_size(375, 800)
    try:
        for path in ("/", "/id/kooperation/trianel", "/validate"):
            driver.get(web_server + path)
            width = driver.execute_script("return document.documentElement.scrollWidth")
            assert width <= driver.execute_script("return window.innerWidth") + 1, path
            shot(driver, "mobile-" + (path.strip("/").replace("/", "-") or "home"))
    finally:
        driver.set_window_size(1280, 900)


def editor_query(driver, text: str) -> None:
    """Put ``text`` into the YASQE editor (a CodeMirror instance) and run it with the editor's query button."""
    wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
    driver.execute_script("document.querySelector('.yasqe .CodeMirror').CodeMirror.setValue(arguments[0]);", text)
    driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()


def page_errors(driver) -> list[str]:
    """Console errors other than the browser's own note on a 4xx/5xx answer (which the test provokes)."""
    return [m for m in console_errors(driver) if "Failed to load resource" not in m]


def test_query_syntax_error_is_shown_with_line_and_column(driver, web_server: str) -> None:
    if not sparql_available(web_server):
        pytest.fail("the /sparql endpoint is missing")
    driver.get(web_server + "/query")
    editor_query(driver, "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(\n}")
    box = wait(driver, ec.visibility_of_element_located((By.ID, "query-error")))
    wait(driver, lambda d: d.find_element(By.ID, "query-error").get_attribute("data-code") == "query-syntax")
    assert box.get_attribute("data-line") == "4"
    assert "Syntaxfehler in Zeile 4, Spalte" in box.text
    assert box.find_element(By.CSS_SELECTOR, ".detail").text  # the server's own message
    marked = driver.execute_script(
        "var cm = document.querySelector('.yasqe .CodeMirror').CodeMirror, out = [];"
        "for (var i = 0; i < cm.lineCount(); i++) {"
        "  if ((cm.lineInfo(i).bgClass || '').indexOf('kg-error-line') >= 0) { out.push(i + 1); } }"
        "return out;")
    assert marked == [4]  # the line the server named, and only that one
    assert driver.find_elements(By.CSS_SELECTOR, ".CodeMirror .kg-error-line")
    assert "}" in driver.find_element(By.CSS_SELECTOR, ".CodeMirror .kg-error-mark").text
    assert not driver.find_element(By.ID, "query-cancel").is_displayed()
    shot(driver, "query-syntax-error")
    # a refused SERVICE: the message in the page language, nothing marked
    editor_query(driver, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    wait(driver, lambda d: d.find_element(By.ID, "query-error").get_attribute("data-code") == "query-refused")
    assert "abgelehnt" in driver.find_element(By.ID, "query-error").text
    assert not driver.find_elements(By.CSS_SELECTOR, ".CodeMirror .kg-error-line, .CodeMirror .kg-error-mark")
    # a good query clears the error
    editor_query(driver, "SELECT ?s WHERE { ?s a kg:Kooperation } LIMIT 3")
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")) > 0, timeout=40)
    assert not driver.find_element(By.ID, "query-error").is_displayed()
    assert page_errors(driver) == []


def test_bar_chart_of_foundings_per_year_labels_bars_by_year(driver, web_server: str) -> None:
    if not sparql_available(web_server):
        pytest.fail("the /sparql endpoint is missing")
    driver.get(web_server + "/query")
    form = driver.find_element(By.CSS_SELECTOR, 'form.example[data-example="gruendungen-pro-jahr"]')
    assert "Balkendiagramm" in form.text
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".yasr svg rect")) > 0, timeout=40)
    svg = driver.find_element(By.CSS_SELECTOR, ".yasr svg[role=img]")
    assert svg.get_attribute("aria-label").endswith("kooperationen")
    labels = [t.text for t in svg.find_elements(By.CSS_SELECTOR, "text[text-anchor=end]")]
    assert labels and all(lab.isdigit() and len(lab) == 4 for lab in labels), labels
    # the user's choice of view survives a re-run (the gallery's view is applied once)
    driver.find_element(By.CSS_SELECTOR, ".yasr .select_table").click()
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")) > 0)
    driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait(driver, lambda d: "view=table" in d.current_url, timeout=40)
    assert driver.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")
    assert not driver.find_elements(By.CSS_SELECTOR, ".yasr svg[role=img] rect")
    assert page_errors(driver) == []


def test_search_ranks_exact_names_first_and_transliterates(driver, web_server: str) -> None:
    driver.get(web_server + "/")
    box = driver.find_element(By.ID, "qs")
    box.send_keys("Trianel")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#qs-list li a")
         and d.find_elements(By.CSS_SELECTOR, "#qs-list li a")[0].get_attribute("href").endswith("/id/kooperation/trianel"))
    driver.get(web_server + "/search?q=muenchen")
    first = driver.find_element(By.CSS_SELECTOR, "ul.results li")
    assert first.find_element(By.TAG_NAME, "a").text == "München"
    assert "Kreis in Bayern" in first.text
    driver.get(web_server + "/search?q=Edeka+Verbund")
    first = driver.find_element(By.CSS_SELECTOR, "ul.results li a")
    assert first.get_attribute("href").endswith("/id/kooperation/edeka-verbund")
    assert console_errors(driver) == []


def test_cancel_aborts_a_running_query(driver, web_server: str) -> None:
    if not sparql_available(web_server):
        pytest.fail("the /sparql endpoint is missing")
    driver.get(web_server + "/query")
    # a cross product of the store with itself: runs until the server's timeout unless cancelled
    editor_query(driver, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    cancel = wait(driver, ec.element_to_be_clickable((By.ID, "query-cancel")))
    assert "läuft" in driver.find_element(By.ID, "query-running").text
    cancel.click()
    wait(driver, lambda d: d.find_element(By.ID, "query-error").get_attribute("data-code") == "cancelled")
    assert "abgebrochen" in driver.find_element(By.ID, "query-error").text
    assert not driver.find_element(By.ID, "query-cancel").is_displayed()
    assert not driver.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")
    assert page_errors(driver) == []
