"""Accessibility: axe-core (vendored from npm under tests/vendor/axe-core/, for the tests only) injected into
every main page in a real Chromium (tests/browser.py) finds no `critical` violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import chromium, wait
from selenium.webdriver.common.by import By

pytestmark = pytest.mark.slow
AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
PAGES = ["/", "/search?q=trianel", "/id/kooperation/trianel", "/lists", "/lists/kooperationen", "/network",
         "/query", "/validate", "/resilience", "/catalog", "/beitragen", "/aenderungen", "/ontology"]
RUN = """var done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
  done(r.violations.map(function (v) { return {id: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(" "); })}; }));
}).catch(function (e) { done([{id: "axe-error", impact: "critical", nodes: [String(e)]}]); });"""


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    with chromium(tmp_path_factory) as drv:
        drv.set_script_timeout(300)
        yield drv


def critical(driver) -> list[dict]:
    driver.execute_script(AXE)
    return [v for v in driver.execute_async_script(RUN) if v["impact"] == "critical"]


@pytest.mark.parametrize("path", PAGES)
def test_main_page_has_no_critical_accessibility_violation(driver, web_server: str, path: str) -> None:
    driver.get(web_server + path)
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")
    assert critical(driver) == [], path


def test_validation_report_has_no_critical_accessibility_violation(driver, web_server: str) -> None:
    driver.get(web_server + "/validate")
    text = (Path(__file__).parents[1] / "data/examples/ds-1-verstoss.ttl").read_text(encoding="utf-8")
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "text"), text)
    driver.find_element(By.ID, "run").click()
    wait(driver, lambda d: d.find_elements(By.ID, "problems-table"), 300)
    assert critical(driver) == []
