"""Shared fixtures (flaskr/prez style): settings, a store built once per session from the real
ontology/ + data/, the Flask app and its test client. Module-specific fixtures live in their modules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kooperationsgraph.config import Settings

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The read-only ../shared folder beside the checkout (CI puts it there); /work/shared as fallback."""
    for cand in (REPO.parent / "shared", Path("/work/shared")):
        if cand.is_dir():
            return cand
    raise RuntimeError("../shared is missing: the W3C suites and source data live there")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def built_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once per session into a temp dir from the real ontology/ + data/ (no reasoner)."""
    from kooperationsgraph.store.build import build

    path = tmp_path_factory.mktemp("store") / "store"
    build(Settings(root=REPO, store_path=path), reason=False)
    return path


@pytest.fixture(scope="session")
def settings(built_store_path: Path) -> Settings:
    return Settings(root=REPO, store_path=built_store_path)


@pytest.fixture(scope="session")
def backend(settings: Settings):
    from kooperationsgraph.store import open_store

    b = open_store(settings)
    yield b
    b.close()


@pytest.fixture()
def app(settings: Settings):
    from kooperationsgraph.web import create_app

    return create_app(settings, {"TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def java() -> str:
    """The Java runtime HermiT (owlready2's reasoner) needs; missing is a failure: `make system-deps` installs it."""
    path = shutil.which("java")
    if path is None:
        pytest.fail("no Java runtime for the HermiT reasoner: run `make system-deps` (default-jre-headless)")
    return path


# ---------------------------------------------------------------------------------------------- remote backend
@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):
    """A real Virtuoso on free loopback ports (tests/virtuoso.py); missing virtuoso-t is a failure, not a
    skip: `make system-deps` installs it."""
    from virtuoso import VirtuosoMissing, VirtuosoServer

    try:
        server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    except VirtuosoMissing as exc:
        pytest.fail(str(exc))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def remote_settings(settings: Settings, virtuoso) -> Settings:
    """Settings of the remote backend on the test Virtuoso (dba over Digest on /sparql-auth)."""
    return settings.with_(backend="remote", endpoint=virtuoso.endpoint, update_endpoint=virtuoso.update_endpoint,
                          graph_store_endpoint=virtuoso.graph_store, remote_user="dba", remote_password="dba",
                          query_timeout=180.0)  # a limit for a loaded CI machine, not a measured time


#: Modules that start servers, browsers or Virtuoso: deselect them with ``-m "not slow"`` for a fast run.
SLOW_MODULES = {"test_browser", "test_remote_backend", "test_endpoint_live", "test_w3c_protocol", "test_hostile",
                "test_graphstore_void"}


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    """Browser tests: one headless Chromium per test module (tests/browser.py; a module may define its own)."""
    from browser import chromium

    with chromium(tmp_path_factory) as drv:
        yield drv


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory):
    """Browser tests: the real read-only server on its own freshly built store, per test module (a module that
    needs tokens or warm caches defines its own)."""
    from browser import built_server

    with built_server(tmp_path_factory) as base:
        yield base


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__ in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
