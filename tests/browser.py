"""Shared parts of the browser tests: a real headless Chromium (Debian chromium + chromedriver via Selenium) and the
real server (`kooperationsgraph serve`, see live.py) on a store built from the repository into a temp dir.
Screenshots go to tests/artifacts/ (not committed); `make screenshots` (KG_SCREENSHOTS=1) copies the named ones the
README shows to docs/screenshots/, so a test run leaves the checkout clean."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from live import REPO, live_server
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from kooperationsgraph.config import Settings

ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"

if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():  # a failure, not a skip: the setup installs them
    raise RuntimeError("Debian chromium and chromium-driver are not installed: run `make system-deps`")


@contextmanager
def built_server(tmp_path_factory: pytest.TempPathFactory, *extra: str) -> Iterator[str]:
    """The real server on a free port, on its own freshly built store (no reasoner)."""
    from kooperationsgraph.store.build import build

    store = tmp_path_factory.mktemp("browser-store") / "store"
    build(Settings(root=REPO, store_path=store), reason=False)
    with live_server(store, tmp_path_factory.mktemp("server"), *extra) as base:
        yield base


@contextmanager
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    opts = Options()
    opts.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900", f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        yield drv
    finally:
        drv.quit()


def wait(driver, cond, timeout: float = 30):
    # while a page is replaced, Chromium may report nodes of the old document: keep polling until the condition
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException, WebDriverException)
                         ).until(cond)


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def shot(driver, name: str, readme_name: str | None = None) -> Path:
    """Save a screenshot to tests/artifacts/; with KG_SCREENSHOTS=1 also to docs/screenshots/<readme_name>."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    if readme_name and os.environ.get("KG_SCREENSHOTS") == "1":
        dest = REPO / "docs" / "screenshots" / readme_name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    return path
