# The two commands of this project (see README.md):
#   make run   — set up, build the embedded store from ontology/ + data/, serve http://127.0.0.1:8000
#   make test  — set up (incl. system packages the tests need) and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test venv install system-deps build lint clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

venv install: $(VENV)/.installed

build: install
	$(BIN)/kooperationsgraph build

run: install
	$(BIN)/kooperationsgraph build
	$(BIN)/kooperationsgraph serve --host $(HOST) --port $(PORT)

# System packages for the browser tests (Chromium + ChromeDriver) and the remote-backend tests (Virtuoso).
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v virtuoso-t >/dev/null || ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver virtuoso-opensource default-jre-headless >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver virtuoso-opensource default-jre-headless >/dev/null; fi; \
	fi

lint: install
	$(BIN)/ruff check src tests tools bench

test: install system-deps
	$(BIN)/ruff check src tests tools bench
	$(BIN)/python -m pytest -q tests; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: setup failure"; exit 1; fi; exit $$rc

# Refresh the README's screenshots (docs/screenshots/) from the browser tests.
screenshots: install system-deps
	KG_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/test_browser.py tests/test_browser_views.py

clean:
	rm -rf var $(VENV) build *.egg-info src/*.egg-info
