# Quick start: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= data/demo.duckdb
NASIONAL_DB ?= data/nasional.duckdb
PORT ?= 8501

.PHONY: run test test-fast bench lint format demo-db browser office screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(DEMO_DB): | $(STAMP)
	SPM_DB=$(DEMO_DB) $(BIN)/spm init
	SPM_DB=$(DEMO_DB) $(BIN)/spm demo --scale babel --seed 7

# The national view's demo: this province's demo with the 37 others (about half a minute).
$(NASIONAL_DB): | $(DEMO_DB)
	SPM_DB=$(DEMO_DB) $(BIN)/spm nasional --demo --out $(NASIONAL_DB)

demo-db: $(DEMO_DB) $(NASIONAL_DB)

run: $(STAMP) $(DEMO_DB) $(NASIONAL_DB)
	SPM_DB=$(DEMO_DB) SPM_NASIONAL=$(NASIONAL_DB) $(BIN)/streamlit run dashboard/server.py --server.port $(PORT) --server.headless true

# Headless Chromium for the real-browser tests (Debian's package; root on CI).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# LibreOffice (the reports' PDFs) and poppler (the PDF tests render pages to PNG),
# Debian's packages, without the desktop; fonts with Arial/Times metrics.
office:
	@(command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation2 fonts-dejavu-core >/dev/null)

# Every test, browser tests included, spread over the machine's cores.
test: $(STAMP) browser office
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto

# The quick part while developing: no browser, no multi-process or property tests.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "not browser and not slow"

# Refresh the README's screenshots from the real-browser tests.
screenshots: $(STAMP) browser
	SPM_UPDATE_DOCS=1 $(BIN)/python -m pytest -m browser

# Speed, size and memory figures (the memory one drives Chromium); 10 to 25 minutes.
bench: $(STAMP) browser
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) $(DEMO_DB) data/test-artifacts
