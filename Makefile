# linernotes: `make demo` builds the demo atlas, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench bench-scale browser screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/linernotes demo --out site

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) browser
	$(BIN)/pytest

# The browser tests drive Debian's chromium (Playwright's own download is not used).
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get install -y chromium || { $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }; }

# Screenshots of the main page types (1280 and 390 px, light and dark) into screenshots/.
screenshots: $(STAMP) browser
	test -f site/index.html || $(MAKE) demo
	$(BIN)/python -m tests.browser.screenshots site screenshots

bench: $(STAMP)
	$(BIN)/python bench/demo.py

# make bench-scale SIZE=50k RUNS=3 (see bench/README.md)
bench-scale: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/scale.py --size $(or $(SIZE),2k) --runs $(or $(RUNS),3)

clean:
	rm -rf $(VENV) site screenshots .linernotes .pytest_cache .mypy_cache .ruff_cache
