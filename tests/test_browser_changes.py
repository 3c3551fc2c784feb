"""Issue 13's "done when", in a real browser (Debian chromium + chromedriver via Selenium) against the real server
with a contribute and a review token: a workbook from the template with three new cooperations and a faulty
agreement is uploaded and its problems point at their cells; the corrected workbook is submitted and waits for
review; a reviewer accepts it on /aenderungen; the entries then appear on their entity pages (with "geändert am
… von …") and in /sparql. All entries are fictional (``ex:`` namespace, "(fiktiv)" in every name)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import built_server, console_errors, shot, wait
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from test_sheets import column_letter, example_rows, fill

pytestmark = pytest.mark.slow
CONTRIBUTE, REVIEW = "beitrag-token-browser", "pruef-token-browser"
COOP = "https://w3id.org/kooperationsgraph/example/netz-musterstadt"


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with built_server(tmp_path_factory, "--contribute-token", CONTRIBUTE, "--review-token", REVIEW) as base:
        yield base


def _ask(base: str, query: str) -> bool:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.load(resp)["boolean"]


def _upload(driver, base: str, path: Path, action: str, token: str = "", reason: str = "") -> None:
    driver.get(base + "/beitragen")
    driver.find_element(By.ID, "file").send_keys(str(path))
    if token:
        driver.find_element(By.ID, "token").send_keys(token)
    if reason:
        driver.find_element(By.ID, "reason").send_keys(reason)
    driver.find_element(By.ID, action).click()


def test_faulty_workbook_then_corrected_then_accepted_in_the_browser(driver, web_server: str, tmp_path: Path) -> None:
    with urllib.request.urlopen(web_server + "/beitragen/vorlage.xlsx", timeout=120) as resp:
        template = resp.read()
    faulty, clean = tmp_path / "beitrag-fehler.xlsx", tmp_path / "beitrag.xlsx"
    faulty.write_bytes(fill(template, example_rows()))
    clean.write_bytes(fill(template, example_rows(date="02.03.2026", procedure="Offenes Verfahren")))
    ask = f"ASK {{ <{COOP}> ?p ?o }}"
    assert _ask(web_server, ask) is False

    # 1. the faulty workbook: every problem at its cell, nothing written
    _upload(driver, web_server, faulty, "check")
    table = wait(driver, ec.visibility_of_element_located((By.ID, "problems")), 300)
    date_cell = f"Vereinbarungen!{column_letter(template, 'Vereinbarungen', 'kg:abschlussdatum')}4"
    assert date_cell in table.text and "31.02.2026" in table.text
    shot(driver, "contribute-problems")
    assert _ask(web_server, ask) is False

    # 2. the corrected workbook, submitted with the contribute token: it waits for review
    _upload(driver, web_server, clean, "submit", CONTRIBUTE, "Beispiel aus dem Browser-Test (fiktiv)")
    status = wait(driver, lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "main p, main div")
                                          if "wartet auf Prüfung" in e.text), None), 300)
    assert "Änderungssatz" in status.text
    assert _ask(web_server, ask) is False  # not before review

    # 3. the reviewer accepts it on /aenderungen
    driver.get(web_server + "/aenderungen")
    row = wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, "#changes tr.status-pending a")))
    row.click()
    wait(driver, ec.presence_of_element_located((By.ID, "review")))
    driver.find_element(By.ID, "token").send_keys(REVIEW)
    driver.find_element(By.ID, "reason").send_keys("geprüft (Browser-Test)")
    driver.find_element(By.ID, "accept").click()
    wait(driver, lambda d: "angenommen" in d.find_element(By.TAG_NAME, "main").text, 300)
    shot(driver, "change-accepted")

    # 4. the entries are in the graph: entity page with the change noted, and /sparql
    assert _ask(web_server, ask) is True
    driver.get(web_server + "/example/netz-musterstadt")
    h1 = wait(driver, ec.presence_of_element_located((By.TAG_NAME, "h1")))
    assert "Beispiel-Energienetzwerk Musterstadt (fiktiv)" in h1.text
    edits = driver.find_element(By.ID, "edits")
    assert "geändert am" in edits.text
    # the faulty upload's page is answered 422 (Unprocessable Content) by design; nothing else may fail
    assert [e for e in console_errors(driver) if "/beitragen" not in e or "422" not in e] == []


def test_a_reviewer_token_is_needed_to_accept(driver, web_server: str, tmp_path: Path) -> None:
    with urllib.request.urlopen(web_server + "/beitragen/vorlage.xlsx", timeout=120) as resp:
        template = resp.read()
    rows = example_rows(date="02.03.2026", procedure="Offenes Verfahren")
    for sheet in rows.values():  # a second, different fictional contribution
        for r in sheet:
            for k, v in list(r.items()):
                if isinstance(v, str) and v.startswith("ex:"):
                    r[k] = v + "-zwei"
                elif isinstance(v, str) and v.endswith("(fiktiv)"):
                    r[k] = v.replace("(fiktiv)", "Zwei (fiktiv)")
    path = tmp_path / "zwei.xlsx"
    path.write_bytes(fill(template, rows))
    _upload(driver, web_server, path, "submit", CONTRIBUTE)
    wait(driver, lambda d: "wartet auf Prüfung" in d.find_element(By.TAG_NAME, "main").text, 300)
    driver.get(web_server + "/aenderungen")
    wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, "#changes tr.status-pending a"))).click()
    wait(driver, ec.presence_of_element_located((By.ID, "review")))
    driver.find_element(By.ID, "token").send_keys(CONTRIBUTE)  # a contributor may not accept
    driver.find_element(By.ID, "accept").click()
    wait(driver, lambda d: "403" in d.title or "Prüf" in d.find_element(By.TAG_NAME, "main").text, 120)
    assert _ask(web_server, "ASK { <https://w3id.org/kooperationsgraph/example/netz-musterstadt-zwei> ?p ?o }") is False
